import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { requestHash } from '../../../server/employees/idempotency';
import { TRANSPORTS, call, ifMatch, readAudit as auditRows, readEmployee as storedEmployee, type Transport } from '../../support/employees';

// Idempotency-Key on PATCH /employees/{id}: retries get the stored answer; a key is bound to one request.
describeEachBackend('Idempotency-Key', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', secondAdmin: 'totp@acme.test' } });
  const { tokens } = env;

  const patch = (transport: Transport, id: string, options: { version: number; cellPhone: unknown; key?: string; token?: string }) =>
    call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
      token: options.token ?? tokens.admin,
      body: { cellPhone: options.cellPhone },
      headers: { 'if-match': ifMatch(options.version), ...(options.key === undefined ? {} : { 'idempotency-key': options.key }) },
    });

  const keyRow = (actor: string, key: string) =>
    env.portal.store.get<{ state: string; response_status: number | null }>('SELECT state, response_status FROM idempotency_keys WHERE actor_id = ? AND key = ?', actor, key);

  describe.each(TRANSPORTS)('Idempotency-Key over %s', (transport) => {
    const base = transport === 'inject' ? 120 : 140;
    const idOf = (offset: number) => `acme-${String(base + offset).padStart(4, '0')}`;

    it('a retry with the same key and body gets the stored answer, and the change happens once', async () => {
      const id = idOf(0);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const first = await patch(transport, id, { version: before.version, cellPhone: '+12125550120', key });
      expect(first.status).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await keyRow('acme-0001', key)).toEqual({ state: 'done', response_status: 200 });

      // The retry still names the old version: without the key it would be a 412.
      const retry = await patch(transport, id, { version: before.version, cellPhone: '+12125550120', key });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect((await storedEmployee(env.portal, id)).version).toBe(before.version + 1);
      expect(await auditRows(env.portal, id)).toHaveLength(1);

      const noKey = await patch(transport, id, { version: before.version, cellPhone: '+12125550120' });
      expect(noKey.status).toBe(412);
    });

    it('the same key with a different body (or If-Match) is 422 idempotency_key_reused', async () => {
      const id = idOf(1);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      expect((await patch(transport, id, { version: before.version, cellPhone: '+12125550121', key })).status).toBe(200);
      const otherBody = await patch(transport, id, { version: before.version, cellPhone: '+12125550122', key });
      expect(otherBody.status).toBe(422);
      expect(otherBody.body).toMatchObject({ code: 'idempotency_key_reused' });
      const otherVersion = await patch(transport, id, { version: before.version + 1, cellPhone: '+12125550121', key });
      expect(otherVersion.status).toBe(422);
      const otherEmployee = await patch(transport, idOf(2), { version: (await storedEmployee(env.portal, idOf(2))).version, cellPhone: '+12125550121', key });
      expect(otherEmployee.status).toBe(422);
      expect(await storedEmployee(env.portal, id)).toMatchObject({ version: before.version + 1, cell_phone: '+12125550121' });
      expect(await auditRows(env.portal, id)).toHaveLength(1);
    });

    it('409 in_progress while the first request with the key has not finished', async () => {
      const id = idOf(3);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const body = { version: before.version, cellPhone: '+12125550123', key };
      // Record the claim exactly as a first request would have, then retry before it completes.
      await claimAsIfInFlight(id, body);
      const retry = await patch(transport, id, body);
      expect(retry.status).toBe(409);
      expect(retry.body).toMatchObject({ code: 'in_progress' });
      expect(await storedEmployee(env.portal, id)).toEqual(before);
    });

    it('a claim abandoned for over a minute (a crashed request) is taken over', async () => {
      const id = idOf(5);
      const before = await storedEmployee(env.portal, id);
      const body = { version: before.version, cellPhone: '+12125550125', key: randomUUID() };
      await claimAsIfInFlight(id, body, new Date(Date.now() - 2 * 60_000));
      const retry = await patch(transport, id, body);
      expect(retry.status).toBe(200);
      expect(await keyRow('acme-0001', body.key)).toEqual({ state: 'done', response_status: 200 });
    });

    it('a stored answer older than 24 hours is forgotten: the key runs afresh', async () => {
      const id = idOf(6);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const first = await patch(transport, id, { version: before.version, cellPhone: '+12125550126', key });
      expect(first.status).toBe(200);
      await env.portal.store.run('UPDATE idempotency_keys SET created_at = ? WHERE key = ?', new Date(Date.now() - 25 * 3600_000).toISOString(), key);
      const later = await patch(transport, id, { version: before.version, cellPhone: '+12125550126', key });
      expect(later.status).toBe(412); // processed again, against a version that has moved on
    });

    it('errors are stored too: a retry of a 422 or 412 gets the same answer', async () => {
      const id = idOf(7);
      const before = await storedEmployee(env.portal, id);
      const invalidKey = randomUUID();
      const invalid = await patch(transport, id, { version: before.version, cellPhone: '+1 900 555 0100', key: invalidKey });
      expect(invalid.status).toBe(422);
      const invalidRetry = await patch(transport, id, { version: before.version, cellPhone: '+1 900 555 0100', key: invalidKey });
      expect([invalidRetry.status, invalidRetry.body]).toEqual([422, invalid.body]);

      const staleKey = randomUUID();
      const stale = await patch(transport, id, { version: before.version + 5, cellPhone: '+12125550127', key: staleKey });
      expect(stale.status).toBe(412);
      const staleRetry = await patch(transport, id, { version: before.version + 5, cellPhone: '+12125550127', key: staleKey });
      expect([staleRetry.status, staleRetry.body]).toEqual([412, stale.body]);
      expect(await storedEmployee(env.portal, id)).toEqual(before);
    });

    it('keys are scoped to the actor: another admin with the same key is a separate request', async () => {
      const id = idOf(8);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const mine = await patch(transport, id, { version: before.version, cellPhone: '+12125550128', key });
      expect(mine.status).toBe(200);
      const theirs = await patch(transport, id, { version: before.version, cellPhone: '+12125550128', key, token: tokens.secondAdmin });
      // Not a replay of my answer: their request runs, and its If-Match is now stale.
      expect(theirs.status).toBe(412);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(await keyRow('acme-0003', key)).toEqual({ state: 'done', response_status: 412 });
    });

    it('400 for an Idempotency-Key that is not a UUID; nothing is stored or changed', async () => {
      const id = idOf(9);
      const before = await storedEmployee(env.portal, id);
      for (const key of ['not-a-uuid', '', `${randomUUID()}x`, 'x'.repeat(300)]) {
        const response = await patch(transport, id, { version: before.version, cellPhone: '+12125550129', key });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
      }
      expect(await storedEmployee(env.portal, id)).toEqual(before);
    });
  });

  /** Inserts the in-progress claim a first request makes, computing its fingerprint the way the server does. */
  async function claimAsIfInFlight(id: string, body: { version: number; cellPhone: string; key: string }, at = new Date()): Promise<void> {
    const hash = requestHash(['PATCH', `/api/v1/employees/${id}`, ifMatch(body.version), { cellPhone: body.cellPhone }]);
    await env.portal.store.run("INSERT INTO idempotency_keys (actor_id, key, request_hash, state, created_at) VALUES ('acme-0001', ?, ?, 'in_progress', ?)",
      body.key, hash, at.toISOString());
  }

  describe('Idempotency-Key and failures', () => {
    it('an unexpected failure releases the claim, so the retry runs (and nothing half-happened)', async () => {
      const id = 'acme-0160';
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      // Make the audit insert fail: the change and its audit row are one transaction, so both roll back.
      if (backend === 'postgres') {
        await env.portal.store.run("CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$");
        await env.portal.store.run('CREATE TRIGGER audit_down BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_down()');
      } else {
        env.portal.db.exec("CREATE TEMP TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
      }
      let failed;
      try {
        failed = await patch('inject', id, { version: before.version, cellPhone: '+12125550160', key });
      } finally {
        if (backend === 'postgres') await env.portal.store.run('DROP TRIGGER audit_down ON audit_log');
        else env.portal.db.exec('DROP TRIGGER audit_down');
      }
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({ code: 'server_error', message: expect.any(String) });
      expect(failed.text).not.toMatch(/disk on fire|audit_log|INSERT|SQLITE|plpgsql/i);
      expect(await storedEmployee(env.portal, id)).toEqual(before);
      expect(await keyRow('acme-0001', key)).toBeUndefined();

      const retry = await patch('inject', id, { version: before.version, cellPhone: '+12125550160', key });
      expect(retry.status).toBe(200);
      expect((retry.body as Employee).version).toBe(before.version + 1);
      expect(await auditRows(env.portal, id)).toHaveLength(1);
    });
  });
});
