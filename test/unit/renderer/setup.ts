/**
 * Setup for the renderer's component tests (happy-dom). Vuetify 4's overlays (VDialog, VMenu)
 * read `window.visualViewport`, which happy-dom does not have (TOOLCHAIN P9).
 */
const scope = globalThis as unknown as { visualViewport?: unknown };
scope.visualViewport ??= Object.assign(new EventTarget(), {
  width: 1024,
  height: 768,
  offsetLeft: 0,
  offsetTop: 0,
  pageLeft: 0,
  pageTop: 0,
  scale: 1,
  onresize: null,
  onscroll: null,
  onscrollend: null,
});

export {};
