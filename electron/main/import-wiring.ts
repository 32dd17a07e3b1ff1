import { z } from 'zod';
import { employeeBatchResponseSchema } from '../../common/api';
import { IpcFailure } from '../../common/ipc';
import type { Logger } from './log';
import type { DraftsService } from './offline/drafts-service';
import type { OfflineService } from './offline/offline-service';
import type { AuthService } from './services/auth';
import type { ConnectionService } from './services/connection';
import type { ServiceEmitter } from './infra/events';
import type { PortalClient } from './infra/portal-client';
import { createImportService, type ImportFileDialog, type ImportService } from './import/import-service';

export interface ImportWiringOptions {
  auth: Pick<AuthService, 'currentUser'>;
  drafts: Pick<DraftsService, 'save'>;
  offline: Pick<OfflineService, 'applyEmployees'>;
  connection: Pick<ConnectionService, 'getState'>;
  portal: () => PortalClient;
  emitter: ServiceEmitter;
  fileDialog?: ImportFileDialog;
  log: Logger;
}

/** POST /employees/lookup/columns with a JSON body the check worker wrote; the answer's bytes, for the worker to read. */
export function lookupBytes(portal: PortalClient, body: string): Promise<Uint8Array> {
  return portal.request({ method: 'POST', path: '/employees/lookup/columns', body, headers: { 'Content-Type': 'application/json' }, responseType: 'bytes', schema: z.instanceof(Uint8Array) });
}

/** The import service over main's other services (the composition root calls this once). */
export function wireImport(options: ImportWiringOptions): ImportService {
  return createImportService({
    lookupEmployees: (body) => lookupBytes(options.portal(), body),
    async sendBatch(items) {
      const answer = await options.portal().request({ method: 'POST', path: '/employees/batch', body: { items }, schema: employeeBatchResponseSchema });
      return answer.results;
    },
    async saveDraft(employee, cellPhone) {
      await options.drafts.save({ employee, cellPhone });
    },
    companyCountry() {
      const user = options.auth.currentUser();
      if (user.role !== 'admin') throw new IpcFailure('forbidden', 'Only a portal administrator may change numbers.');
      return user.company.country;
    },
    isOffline: () => options.connection.getState().state === 'offline',
    onApplied: (employees) => options.offline.applyEmployees(employees),
    emit: (state) => options.emitter.emit('import:changed', state),
    fileDialog: options.fileDialog,
    log: options.log,
  });
}
