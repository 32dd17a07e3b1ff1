import { employeeSchema } from '../../../common/api';
import {
  IPC_CHANNELS,
  IPC_EVENTS,
  IpcFailure,
  ipcErrorSchema,
  isIpcChannel,
  isIpcEvent,
  type ChannelOutput,
  type ChannelParsedInput,
  type IpcChannel,
  type IpcError,
  type IpcEvent,
  type IpcResult,
} from '../../../common/ipc';
import { IMPORT_HANDLERS } from '../import/import-handlers';
import { silentLogger, type Logger } from '../log';
import type { Services } from '../services/create-services';
import { checkPayload } from './payload-guard';

/** Who is calling: resolved by the transport from facts the renderer cannot forge. */
export type Sender =
  | { transport: 'electron'; frameUrl: string; isMainFrame: boolean; webContentsId: number }
  | { transport: 'websocket'; origin: string; authenticated: boolean };

export interface Gate {
  /** Answers every call with a result envelope; never throws. */
  invoke(channel: unknown, payload: unknown, sender: Sender): Promise<IpcResult<unknown>>;
  /** Service events, validated against their schemas; returns the unsubscribe function. */
  onEvent(listener: (event: IpcEvent, payload: unknown) => void): () => void;
}

export interface GateOptions {
  services: Services;
  isTrustedSender: (sender: Sender) => boolean;
  log?: Logger;
}

type Handlers = { [C in IpcChannel]: (services: Services, input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

/** Each channel's service call. The input has passed the channel's schema by the time it gets here. */
const HANDLERS: Handlers = {
  'auth:get-state': (services) => services.auth.getState(),
  'auth:start-login': (services, input) => services.auth.startLogin(input),
  'auth:send-code': (services, input) => services.auth.sendCode(input),
  'auth:verify-code': (services, input) => services.auth.verifyCode(input),
  'auth:start-step-up': (services) => services.auth.startStepUp(),
  'auth:send-step-up-code': (services, input) => services.auth.sendStepUpCode(input),
  'auth:verify-step-up': (services, input) => services.auth.verifyStepUp(input),
  'auth:sign-out': (services, input) => services.signOut(input),
  'employees:list': (services, input) => services.employees.list(input),
  'employees:get': (services, input) => services.employees.get(input),
  'employees:update': (services, input) => services.employees.update(input),
  'employees:unlock-sign-in': (services, input) => services.employees.unlockSignIn(input),
  'employees:list-offline': (services, input) => services.offline.listOffline(input),
  'drafts:get-state': (services) => services.drafts.getState(),
  'drafts:save': (services, input) => services.drafts.save(input),
  'drafts:discard': (services, input) => services.drafts.discard(input),
  'drafts:resolve': (services, input) => services.drafts.resolve(input),
  'drafts:sync-now': (services) => services.drafts.syncNow(),
  'drafts:send-reviewed': (services) => services.drafts.sendReviewed(),
  'offline:get-state': async (services) => services.offline.getState(),
  'offline:unlock': (services, input) => services.offline.unlock(input),
  'offline:leave': async (services) => services.offline.leave(),
  'connection:probe': (services) => services.connection.probe(),
  'connection:get-state': async (services) => services.connection.getState(),
  'settings:get': async (services) => services.settings.get(),
  'settings:set-portal': (services, input) => services.settings.setPortal(input),
  ...IMPORT_HANDLERS,
  'settings:get-launch-portal': async (services) => services.launchPortal.get(),
  'settings:answer-launch-portal': (services, input) => services.launchPortal.answer(input.accept),
  'settings:choose-ca-file': (services) => services.settings.chooseCaFile(),
  'settings:set-privacy-mode': async (services, input) => services.settings.update({ privacyMode: input.isOn }),
  'verification:start': (services, input) => services.numberChanges.startVerification(input),
  'verification:resend': (services, input) => services.numberChanges.resendVerification(input),
  'verification:confirm': (services, input) => services.numberChanges.confirmVerification(input),
  'employees:history': (services, input) => services.numberChanges.history(input),
  'company:get-settings': (services) => services.numberChanges.companySettings(),
};

const GENERIC_FAILURE: IpcError = { code: 'server', message: 'Something went wrong in Portal Admin. Try again; if it keeps happening, restart the app.' };

function failure(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}
function invalidInput(message: string): IpcResult<never> {
  return failure({ code: 'invalid_input', message });
}

/** A plain copy of a service's failure: only contract fields, `current` only as a valid employee. */
function toContractError(error: IpcFailure): IpcError {
  const raw = error.toError();
  const current = raw.current === undefined ? undefined : employeeSchema.safeParse(raw.current);
  const parsed = ipcErrorSchema.omit({ current: true }).safeParse(raw);
  if (!parsed.success) return { code: 'server', message: GENERIC_FAILURE.message };
  const result: IpcError = { ...parsed.data };
  if (current?.success) result.current = current.data;
  return result;
}

/** Names the field at fault, only when its path is made of our own schema's key names. */
function describeIssue(path: readonly PropertyKey[]): string {
  const text = path.map(String).join('.');
  return text !== '' && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(text) ? `The request's "${text}" is not valid.` : 'The request is not valid.';
}

function isSenderShape(sender: unknown): sender is Sender {
  if (sender === null || typeof sender !== 'object') return false;
  const transport = (sender as { transport?: unknown }).transport;
  return transport === 'electron' || transport === 'websocket';
}

/**
 * THE place where IPC handlers run, for both transports (Electron `ipcMain.handle` and the
 * browser-mode WebSocket): sender check, payload guard, schema, service, output schema, envelope.
 * The order matters: an untrusted sender learns nothing, not even which channels exist.
 */
export function createGate(options: GateOptions): Gate {
  const log = options.log ?? options.services.log ?? silentLogger;
  const { services } = options;

  function isTrusted(sender: unknown): boolean {
    if (!isSenderShape(sender)) return false;
    try {
      return options.isTrustedSender(sender) === true;
    } catch (error) {
      log.error('ipc: the sender check failed', { error });
      return false;
    }
  }

  async function dispatch<C extends IpcChannel>(channel: C, payload: unknown): Promise<IpcResult<unknown>> {
    const problem = checkPayload(payload);
    if (problem) return invalidInput(problem === 'too_large' ? 'The request is too large.' : 'The request is not valid.');
    const definition = IPC_CHANNELS[channel];
    const parsed = definition.input.safeParse(payload);
    if (!parsed.success) return invalidInput(describeIssue(parsed.error.issues[0]?.path ?? []));
    const handler = HANDLERS[channel] as (services: Services, input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;
    const value = await handler(services, parsed.data as ChannelParsedInput<C>);
    const output = definition.output.safeParse(value);
    if (!output.success) {
      log.error('ipc: a service answer did not match its channel schema', { channel, issues: output.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join('.'), code: issue.code })) });
      return failure(GENERIC_FAILURE);
    }
    return { ok: true, value: output.data };
  }

  return {
    async invoke(channel, payload, sender) {
      const started = Date.now();
      let result: IpcResult<unknown>;
      try {
        if (!isTrusted(sender)) {
          log.warn('ipc: refused a call from an untrusted sender', { transport: isSenderShape(sender) ? sender.transport : 'unknown' });
          return failure({ code: 'forbidden_sender', message: 'This request did not come from Portal Admin and was refused.' });
        }
        if (!isIpcChannel(channel)) return invalidInput('No such request.');
        result = await dispatch(channel, payload);
      } catch (error) {
        if (error instanceof IpcFailure) {
          result = failure(toContractError(error));
        } else {
          log.error('ipc: a handler failed', { channel: isIpcChannel(channel) ? channel : 'unknown', error });
          result = failure(GENERIC_FAILURE);
        }
      }
      log.debug('ipc: call', { channel: isIpcChannel(channel) ? channel : 'unknown', ok: result.ok, error: result.ok ? undefined : result.error.code, ms: Date.now() - started });
      return result;
    },

    onEvent(listener) {
      return services.emitter.onEvent((event, payload) => {
        if (!isIpcEvent(event)) return;
        const parsed = IPC_EVENTS[event].safeParse(payload);
        if (!parsed.success) {
          log.error('ipc: an event did not match its schema', { event });
          return;
        }
        listener(event, parsed.data);
      });
    },
  };
}
