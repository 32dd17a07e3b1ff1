import { importHandlers } from './import/import-handlers';
import type { LanguageService } from './services/language';
import type { ImportService } from './import/import-service';
import type { ChannelHandlers } from './ipc/handlers';
import type { DraftsService } from './offline/drafts-service';
import type { SignOutChannel } from './offline/offline-aware-sign-out';
import type { OfflineService } from './offline/offline-service';
import type { AuthService } from './services/auth';
import type { ConnectionService } from './services/connection';
import type { EmployeesService } from './services/employees';
import type { LaunchPortalService } from './services/launch-portal';
import type { NumberChangesService } from './services/number-changes';
import type { SettingsService } from './services/settings';

/** The services behind the channels, as create-services.ts wires them. */
export interface HandledServices {
  auth: AuthService;
  /** offline/offline-aware-sign-out.ts over `auth.signOut`. */
  signOut: SignOutChannel;
  /** offline/offline-first-employees.ts over services/employees.ts. */
  employees: EmployeesService;
  offline: OfflineService;
  drafts: DraftsService;
  connection: ConnectionService;
  settings: SettingsService;
  launchPortal: LaunchPortalService;
  numberChanges: NumberChangesService;
  imports: ImportService;
  language: LanguageService;
}

/**
 * Which module answers each IPC channel (part of the composition root). Each channel goes to the
 * service its name says; where a service is decorated, the decorator is named in its own module:
 * `employees:*` → offline/offline-first-employees.ts (over services/employees.ts), `auth:sign-out` →
 * offline/offline-aware-sign-out.ts (over services/auth.ts).
 */
export function channelHandlers(services: HandledServices): ChannelHandlers {
  return {
    'auth:get-state': () => services.auth.getState(),
    'auth:start-login': (input) => services.auth.startLogin(input),
    'auth:send-code': (input) => services.auth.sendCode(input),
    'auth:verify-code': (input) => services.auth.verifyCode(input),
    'auth:start-step-up': () => services.auth.startStepUp(),
    'auth:send-step-up-code': (input) => services.auth.sendStepUpCode(input),
    'auth:verify-step-up': (input) => services.auth.verifyStepUp(input),
    'auth:sign-out': (input) => services.signOut(input),
    'employees:list': (input) => services.employees.list(input),
    'employees:get': (input) => services.employees.get(input),
    'employees:update': (input) => services.employees.update(input),
    'employees:unlock-sign-in': (input) => services.employees.unlockSignIn(input),
    'employees:list-offline': (input) => services.offline.listOffline(input),
    'employees:changes': (input) => services.employees.changes(input),
    'drafts:get-state': () => services.drafts.getState(),
    'drafts:save': (input) => services.drafts.save(input),
    'drafts:discard': (input) => services.drafts.discard(input),
    'drafts:resolve': (input) => services.drafts.resolve(input),
    'drafts:sync-now': () => services.drafts.syncNow(),
    'drafts:send-reviewed': () => services.drafts.sendReviewed(),
    'offline:get-state': async () => services.offline.getState(),
    'offline:unlock': (input) => services.offline.unlock(input),
    'offline:leave': async () => services.offline.leave(),
    'connection:probe': () => services.connection.probe(),
    'connection:get-state': async () => services.connection.getState(),
    'settings:get': async () => services.settings.get(),
    'settings:set-portal': (input) => services.settings.setPortal(input),
    ...importHandlers(services.imports),
    'settings:get-launch-portal': async () => services.launchPortal.get(),
    'settings:answer-launch-portal': (input) => services.launchPortal.answer(input.accept),
    'settings:choose-ca-file': () => services.settings.chooseCaFile(),
    'settings:set-privacy-mode': async (input) => services.settings.update({ privacyMode: input.isOn }),
    'settings:set-offline-copy-days': async (input) => services.settings.update({ offlineCopyDays: input.days }),
    'verification:start': (input) => services.numberChanges.startVerification(input),
    'verification:resend': (input) => services.numberChanges.resendVerification(input),
    'verification:confirm': (input) => services.numberChanges.confirmVerification(input),
    'employees:history': (input) => services.numberChanges.history(input),
    'company:get-settings': () => services.numberChanges.companySettings(),
    'settings:get-language': async () => services.language.get(),
    'settings:set-language': async (input) => services.language.set(input.setting),
  };
}
