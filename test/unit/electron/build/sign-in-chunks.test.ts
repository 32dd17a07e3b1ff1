/**
 * The sign-in page's first screen, from a real production build of the renderer (vite.config.ts):
 * what loads before the page can paint is the entry chunk and the chunks it imports statically. What
 * the sign-in form does not need — the signed-in shell with the grid and the Outbox, the phone rules
 * and their metadata, zod, the other languages' messages, the import, Vuetify's overlays — must stay
 * behind a dynamic import(), so it cannot creep back into the first screen unnoticed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRendererGraph, type RendererGraph } from '../../../../scripts/renderer-chunk-graph';

let graph: RendererGraph;

beforeAll(async () => {
  graph = await buildRendererGraph();
}, 180_000);

const initialIds = (): string[] => graph.initialModules.map((module) => module.id);
const allIds = (): string[] => graph.chunks.flatMap((chunk) => chunk.modules.map((module) => module.id));

describe("the sign-in page's initial chunks", () => {
  it('hold the entry, the sign-in view and its form (the graph is read right)', () => {
    expect(graph.chunks.filter((chunk) => chunk.isEntry)).toHaveLength(1);
    expect(initialIds()).toEqual(expect.arrayContaining(['renderer/main.ts', 'renderer/views/SignInView.vue', 'renderer/components/sign-in/CredentialsForm.vue', 'renderer/i18n/messages/en.ts']));
  });

  // Each entry: what must load on demand, and a pattern for its modules. Every pattern must match
  // modules somewhere in the build (else the check would pass for a renamed file).
  const onDemand: [string, RegExp][] = [
    ['the signed-in shell', /^renderer\/components\/shell\/SignedInShell\.vue$/],
    ['the employee grid and the Edit Employee window', /^renderer\/components\/employees\//],
    ['Manage Employees and the Outbox', /^renderer\/views\/(ManageEmployeesView|OutboxView)\.vue$/],
    ['the Outbox components', /^renderer\/components\/outbox\//],
    ['the import and export', /^renderer\/components\/import\//],
    ['the employees and drafts stores', /^renderer\/stores\/(employees|drafts|imports)\.ts$/],
    ['the phone rules and their metadata', /node_modules\/libphonenumber-js\//],
    ['zod (the IPC schemas)', /node_modules\/zod\//],
    ['German, French and Spanish messages', /^renderer\/i18n\/messages\/(de|fr|es)\.ts$/],
    ["Vuetify's overlay, menu, list, select, dialog and snackbar (the Language menu, the launch-portal question, messages)", /node_modules\/vuetify\/lib\/components\/(VOverlay|VMenu|VList|VSelect|VDialog|VSnackbar)\//],
    ['the launch-portal question and the snackbar', /^renderer\/components\/shell\/(LaunchPortalPrompt|AppSnackbar|LanguageMenuList)\.vue$/],
    ["Vuetify's autocomplete, tabs, tables, expansion panels and app bar (signed-in screens)", /node_modules\/vuetify\/lib\/components\/(VAutocomplete|VTabs|VTable|VExpansionPanel|VAppBar)\//],
  ];

  it.each(onDemand)('leave out %s', (_what, pattern) => {
    expect(allIds().filter((id) => pattern.test(id)), 'the pattern names modules of this build').not.toHaveLength(0);
    expect(initialIds().filter((id) => pattern.test(id))).toEqual([]);
  });
});
