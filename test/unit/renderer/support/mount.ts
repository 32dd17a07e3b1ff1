import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { vi } from 'vitest';
import type { Component } from 'vue';
import { installPortal } from '../../../../renderer/services/portal';
import { createAppVuetify } from '../../../../renderer/plugins/vuetify';
import { i18n } from '../../../../renderer/i18n';
import { createFakePortal, type FakePortal } from './fake-portal';

export interface Harness {
  portal: FakePortal;
  pinia: Pinia;
}

/** A fresh Pinia and a fake portal, installed where the app's service module looks for it. */
export function setUpPortal(portal: FakePortal = createFakePortal()): Harness {
  installPortal(portal.api);
  const pinia = createPinia();
  setActivePinia(pinia);
  return { portal, pinia };
}

/** Mounts a component with Vuetify and the harness's Pinia, attached to the document (overlays teleport to body). */
export function mountWithApp<C extends Component>(component: C, harness: Harness, options: ComponentMountingOptions<C> = {}) {
  return mount(component, {
    attachTo: document.body,
    ...options,
    global: { plugins: [i18n, createAppVuetify(), harness.pinia], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>);
}

/** Lets pending promises, lazily loaded components (the signed-in shell) and Vue's update queue settle. */
export async function settle(times = 3): Promise<void> {
  await vi.dynamicImportSettled();
  for (let i = 0; i < times; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
