import { employeeBatchResponseSchema } from '../../../common/api';
import type { PortalClient } from '../infra/portal-client';
import type { SyncTransport } from './sync-engine';

/** Sync over the portal's `POST /api/v1/employees/batch`, through the one verified-TLS portal client. */
export function portalSyncTransport(client: PortalClient): SyncTransport {
  return {
    async sendBatch(items) {
      const answer = await client.request({ method: 'POST', path: '/employees/batch', body: { items }, schema: employeeBatchResponseSchema });
      return answer.results;
    },
  };
}
