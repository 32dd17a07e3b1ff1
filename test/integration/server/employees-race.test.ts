import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ApiError, Employee } from '../../../common/api';
import { PostgresStore } from '../../../server/db/postgres-store';
import { describeEachBackend } from '../../support/backends';
import { portalRequest } from '../../support/portal';
import { useBackendPortal } from '../../support/backend-portal';
import { ifMatch, readAudit as auditRows, readEmployee as storedEmployee } from '../../support/employees';
import { updatePhoneIfVersion } from '../../../server/employees/repository';

// Writers racing over real HTTPS on loopback: 50 requests in flight at once.
const WRITERS = 50;

describeEachBackend('employees race', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test' } });
  const { tokens } = env;

  const patch = (id: string, version: number, cellPhone: string, idempotencyKey?: string) =>
    portalRequest(env.portal, 'PATCH', `/api/v1/employees/${id}`, {
      token: tokens.admin,
      body: { cellPhone },
      headers: { 'if-match': ifMatch(version), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    });

  describe('the 50-writer race', () => {
    it('50 simultaneous PATCHes with the same If-Match: exactly one 200 and 49 × 412', async () => {
      const id = 'acme-0100';
      const before = await storedEmployee(env.portal, id);
      // Every writer wants a different number, so no write is a no-op.
      const responses = await Promise.all(
        Array.from({ length: WRITERS }, (_, index) => patch(id, before.version, `+1212555${String(1000 + index)}`)),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(WRITERS - 1);

      const winner = responses.find((response) => response.status === 200)!.body as Employee;
      expect(winner.version).toBe(before.version + 1);
      for (const loser of responses.filter((response) => response.status === 412)) {
        expect((loser.body as ApiError).current).toEqual(winner);
      }
      expect(await storedEmployee(env.portal, id)).toMatchObject({ version: before.version + 1, cell_phone: winner.cellPhone });
      expect(await auditRows(env.portal, id)).toHaveLength(1);
    });

    it('50 simultaneous retries of one request (same Idempotency-Key and body): one change, 50 identical answers', async () => {
      const id = 'acme-0101';
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const responses = await Promise.all(Array.from({ length: WRITERS }, () => patch(id, before.version, '+12125559999', key)));
      // The claim, the change and the stored answer are one transaction under the key's lock: a retry
      // that arrives while the first request runs waits for it and gets its answer (no 409 in_progress).
      expect(responses.map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
      const answered = responses.filter((response) => response.status === 200);
      expect(new Set(answered.map((response) => response.text)).size).toBe(1);
      expect(answered.filter((response) => response.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      expect(await storedEmployee(env.portal, id)).toMatchObject({ version: before.version + 1, cell_phone: '+12125559999' });
      expect(await auditRows(env.portal, id)).toHaveLength(1);
    });

    it('a chain of writers each naming the version they saw serialises cleanly', async () => {
      const id = 'acme-0102';
      let version = (await storedEmployee(env.portal, id)).version;
      const start = version;
      for (let step = 0; step < 10; step++) {
        // Two writers race on every version; one wins, the other must reload.
        const [a, b] = await Promise.all([patch(id, version, `+1212555${2000 + step * 2}`), patch(id, version, `+1212555${2001 + step * 2}`)]);
        expect([a.status, b.status].sort()).toEqual([200, 412]);
        version = ((a.status === 200 ? a.body : b.body) as Employee).version;
      }
      expect(version).toBe(start + 10);
      expect(await auditRows(env.portal, id)).toHaveLength(10);
    });

    it('the compare-and-swap statement refuses a version another connection has already moved on', async () => {
      const id = 'acme-0103';
      const seen = await storedEmployee(env.portal, id);
      // A second process (here: a second connection to the same file) writes first.
      if (env.portal.database) {
        const other = await PostgresStore.open(env.portal.database, { max: 1 });
        try {
          await other.run('UPDATE employees SET version = version + 1 WHERE id = ?', id);
        } finally {
          await other.close();
        }
      } else {
        const other = new Database(join(env.portal.directory, 'portal.sqlite'));
        try {
          other.prepare('UPDATE employees SET version = version + 1 WHERE id = ?').run(id);
        } finally {
          other.close();
        }
      }
      const change = { companyId: 'acme', id, expectedVersion: seen.version, cellPhone: '+12125550177', searchText: 'x', updatedAt: seen.updated_at,
        updatedBy: 'Alex Morgan', verifiedAt: null };
      expect(await updatePhoneIfVersion(env.portal.store, change)).toBeUndefined();
      expect(await storedEmployee(env.portal, id)).toMatchObject({ version: seen.version + 1, cell_phone: seen.cell_phone });
      // Wrong company: never matches either.
      expect(await updatePhoneIfVersion(env.portal.store, { ...change, companyId: 'globex', expectedVersion: seen.version + 1 })).toBeUndefined();
    });

    it('when the compare-and-swap loses after the read, the answer is 412 with the current row and nothing is audited', async () => {
      const id = 'acme-0104';
      const before = await storedEmployee(env.portal, id);
      // Make the UPDATE match nothing, as if another writer had won between our read and our write.
      if (backend === 'postgres') {
        // A BEFORE trigger that returns NULL skips the row: PostgreSQL's RAISE(IGNORE).
        await env.portal.store.run(`CREATE FUNCTION lose_the_race() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF OLD.id = '${id}' THEN RETURN NULL; END IF; RETURN NEW; END $$`);
        await env.portal.store.run('CREATE TRIGGER lose_the_race BEFORE UPDATE ON employees FOR EACH ROW EXECUTE FUNCTION lose_the_race()');
      } else {
        env.portal.db.exec(`CREATE TEMP TRIGGER lose_the_race BEFORE UPDATE ON employees WHEN OLD.id = '${id}' BEGIN SELECT RAISE(IGNORE); END`);
      }
      try {
        const response = await patch(id, before.version, '+12125550178');
        expect(response.status).toBe(412);
        expect((response.body as ApiError).current).toMatchObject({ id, version: before.version });
      } finally {
        if (backend === 'postgres') await env.portal.store.run('DROP TRIGGER lose_the_race ON employees');
        else env.portal.db.exec('DROP TRIGGER lose_the_race');
      }
      expect(await storedEmployee(env.portal, id)).toEqual(before);
      expect(await auditRows(env.portal, id)).toHaveLength(0);
    });
  });
});
