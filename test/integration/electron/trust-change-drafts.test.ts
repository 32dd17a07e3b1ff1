import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OFFLINE_FOLDER, SNAPSHOT_FILE } from '../../../electron/main/offline/offline-service';
import { pinOf } from '../../../server/tls/certificate';
import { useRelayedPortal } from './relayed-portal';
import { loadAllEmployees, signIn } from './support';

/** The offline copies (employees.sealed) in the profile. */
function offlineCopies(directory: string): string[] {
  const folder = join(directory, OFFLINE_FOLDER);
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, SNAPSHOT_FILE)))
    .map((entry) => entry.name);
}

/**
 * A change of the portal's trust signs out as the Sign out button does, with the unsynced drafts
 * kept (encrypted, for the next sign-in) rather than dropped: the settings change cannot stop to ask.
 */
const relayed = useRelayedPortal();

describe('sign-out on a trust change', () => {
  it('ends like Sign out: the offline copy made under the old trust goes, an unsynced draft is kept for the next sign-in', async () => {
    const { portal, relay, handle } = relayed();
    const { services } = handle;
    await signIn(portal, services, 'admin', false, true);
    const employee = (await loadAllEmployees(services)).find((candidate) => candidate.role !== 'admin' && candidate.cellPhone !== null)!;
    relay.cut();
    const draft = await services.drafts.save({ employee, cellPhone: '+12125550177' });
    expect((await services.drafts.getState()).drafts.map((entry) => entry.id)).toEqual([draft.id]);
    await vi.waitFor(() => expect(offlineCopies(handle.directory)).toHaveLength(1), { timeout: 15_000 });

    await services.settings.setPortal({ portalUrl: relay.url, certificatePin: pinOf(portal.tls.cert) });
    expect(await services.auth.getState()).toMatchObject({ signedIn: false });
    expect(offlineCopies(handle.directory)).toEqual([]);

    relay.restore();
    await signIn(portal, services, 'admin', false, true);
    // Back in the Outbox (or already sent): never silently gone.
    await vi.waitFor(
      async () => {
        const isInOutbox = (await services.drafts.getState()).drafts.some((entry) => entry.employeeId === employee.id && entry.cellPhone === '+12125550177');
        const row = portal.db.prepare('SELECT cell_phone FROM employees WHERE id = ?').get(employee.id) as { cell_phone: string };
        expect(isInOutbox || row.cell_phone === '+12125550177').toBe(true);
      },
      { timeout: 15_000, interval: 200 },
    );
  });
});
