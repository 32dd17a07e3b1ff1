import { employeeListSchema, type Employee } from '../../../common/api';
import { IpcFailure, MAX_EMPLOYEE_CHANGES, type EmployeeChanges } from '../../../common/ipc';
import type { PortalClient } from '../infra/portal-client';

/**
 * What changed on the portal since a list was loaded: `GET /employees?changedSince=`, every page,
 * with the employees deleted since (tombstones, on the first page). `since` is the portal's own
 * time (`asOf`) of the list, so this computer's clock never matters.
 */

/** Asked from a little earlier than `since`: a change committed while the list was being read is not missed; repeats merge by version. */
export const DELTA_SLACK_MS = 2_000;
const PAGE = 1000;

export async function fetchEmployeeChanges(portal: PortalClient, since: string): Promise<EmployeeChanges> {
  const changedSince = new Date(Date.parse(since) - DELTA_SLACK_MS).toISOString();
  const items: Employee[] = [];
  let deleted: string[] = [];
  let asOf: string | undefined;
  let cursor: string | undefined;
  for (;;) {
    let answer;
    try {
      answer = await portal.request({
        method: 'GET',
        path: '/employees',
        query: { changedSince, sort: 'name', order: 'asc', limit: PAGE, cursor },
        schema: employeeListSchema,
      });
    } catch (error) {
      // 410 on a list can only be `changed_since_expired`: older than the deletions the portal keeps.
      if (error instanceof IpcFailure && error.code === 'challenge_expired') return { complete: false };
      throw error;
    }
    if (cursor === undefined) {
      // A portal without tombstones or without its time cannot tell deletions: the whole list it is.
      if (answer.deleted === undefined || answer.asOf === undefined) return { complete: false };
      deleted = answer.deleted.map((tombstone) => tombstone.id);
      asOf = answer.asOf;
    }
    items.push(...answer.items);
    if (items.length + deleted.length > MAX_EMPLOYEE_CHANGES) return { complete: false };
    if (answer.nextCursor === null) break;
    cursor = answer.nextCursor;
  }
  return { complete: true, items, deleted, asOf: asOf! };
}
