import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Employee, PortalUser } from '../../../../common/api';
import type { Draft, DraftsState, OfflineState, SyncStatus } from '../../../../common/drafts';
import {
  encodeEmployeeRows,
  IPC_CHANNELS,
  IpcFailure,
  type AuthState,
  type ImportState,
  type IpcChannel,
  type IpcEvent,
  type IpcResult,
  type Settings,
} from '../../../../common/ipc';
import { createGate, type Gate, type Sender } from '../../../../electron/main/ipc/gate';
import { checkPayload } from '../../../../electron/main/ipc/payload-guard';
import { createLogger, rememberSecret } from '../../../../electron/main/log';
import { channelHandlers } from '../../../../electron/main/channel-handlers';
import type { Services } from '../../../../electron/main/create-services';
import { createCredentialStore } from '../../../../electron/main/infra/credential-store';
import { createEmitter } from '../../../../electron/main/infra/events';
import { sampleEmployee } from '../support/fixtures';

// The test's known secrets: none may ever appear in a response (or a log line).
const PASSWORD = 'Gate-Test-Password-7Qx';
const CODE = '481516';
const ACCESS_TOKEN = 'gAT_kq3V9x1mZ0c8o7Hn2YpQ4rT6sU8wX0yA1bC3dE5fG';
const REFRESH_TOKEN = 'gRT_Zz9y8x7w6v5u4t3s2r1q0pOnMlKjIhGfEdCbA98765';
const CHALLENGE_ID = 'gCH_challenge-3f9a1c';
const KEY = 'gKEY_aes-key-0123456789abcdef0123456789abcdef';
const SECRETS = [PASSWORD, CODE, ACCESS_TOKEN, REFRESH_TOKEN, CHALLENGE_ID, KEY];

const CHANNELS = Object.keys(IPC_CHANNELS) as IpcChannel[];
const TRUSTED_ELECTRON: Sender = { transport: 'electron', frameUrl: 'app://portal-admin/index.html', isMainFrame: true, webContentsId: 1 };
const TRUSTED_WEBSOCKET: Sender = { transport: 'websocket', origin: 'http://127.0.0.1:4321', authenticated: true };
const FORGED_SENDERS: unknown[] = [
  { transport: 'electron', frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 1 },
  { transport: 'electron', frameUrl: 'app://portal-admin/index.html', isMainFrame: false, webContentsId: 1 },
  { transport: 'electron', frameUrl: 'app://portal-admin.evil/index.html', isMainFrame: true, webContentsId: 1 },
  { transport: 'websocket', origin: 'http://127.0.0.1:4321', authenticated: false },
  { transport: 'websocket', origin: 'http://evil.example', authenticated: true },
  { transport: 'carrier-pigeon' },
  null,
  undefined,
  'electron',
  { transport: 'electron', frameUrl: 'throw', isMainFrame: true, webContentsId: 1 }, // makes the check itself throw
];

function isTrustedSender(sender: Sender): boolean {
  if (sender.transport === 'electron') {
    if (sender.frameUrl === 'throw') throw new Error(`sender check exploded with ${ACCESS_TOKEN}`);
    const url = new URL(sender.frameUrl);
    return sender.isMainFrame && url.protocol === 'app:' && url.host === 'portal-admin';
  }
  return sender.authenticated && sender.origin === 'http://127.0.0.1:4321';
}

const USER: PortalUser = { id: 'acme-0001', email: 'admin@acme.test', firstName: 'Alex', lastName: 'Morgan', role: 'admin', company: { id: 'acme', name: 'Acme', country: 'US' } };
const EMPLOYEE: Employee = sampleEmployee();
const VERIFICATION_ID = 'A'.repeat(43);
const VERIFICATION = { id: VERIFICATION_ID, cellPhone: '+12125550177', method: 'sms' as const, expiresAt: '2026-01-15T09:10:00.000Z', resendAfter: 30, sendsLeft: 4 };
const SETTINGS: Settings = { portalUrl: 'https://portal.test', caFile: null, certificatePin: null, rememberMe: false, isDemoPortal: false, privacyMode: false, offlineCopyDays: 14 };
const DRAFT: Draft = {
  id: '3f2a7c1e-8b4d-4e2f-9a6b-1c2d3e4f5a6b',
  employeeId: EMPLOYEE.id,
  employee: { firstName: EMPLOYEE.firstName, lastName: EMPLOYEE.lastName, email: EMPLOYEE.email },
  cellPhone: '+12125550177',
  baseVersion: EMPLOYEE.version,
  basePhone: EMPLOYEE.cellPhone,
  idempotencyKey: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  state: 'pending',
  createdAt: '2026-01-15T09:00:00.000Z',
  updatedAt: '2026-01-15T09:00:00.000Z',
  attempts: 0,
  nextAttemptAt: null,
  error: null,
  portal: null,
};
const SYNC: SyncStatus = { state: 'idle', reason: null, done: 0, total: 0, lastSyncAt: null, nextAttemptAt: null };
const DRAFTS_STATE: DraftsState = { drafts: [DRAFT], history: [], sync: SYNC, problem: null };
const OFFLINE_STATE: OfflineState = { accounts: [{ email: USER.email, asOf: null, isLocked: false }], user: null, asOf: null };
const IMPORT_STATE: ImportState = { phase: 'empty', file: null, reading: null, activity: null, progress: null, counts: null, outcome: null, problem: null };
const STATE: AuthState = { signedIn: true, user: USER, expiresAt: '2026-01-15T09:30:00.000Z', pending: null, portalUrl: 'https://portal.test' };

/**
 * Fake services: record every input they receive and answer in rotating ways — a valid value, a
 * value with smuggled secret fields (the output schema must strip them), a contract failure
 * carrying secrets in extra fields, a plain Error whose message holds a secret, and an answer that
 * breaks the channel's output schema.
 */
function fakeServices(received: { channel: IpcChannel; input: unknown }[]): Services {
  let turn = 0;
  const answer = async <T>(channel: IpcChannel, input: unknown, value: T): Promise<T> => {
    received.push({ channel, input: structuredClone(input) });
    switch (turn++ % 5) {
      case 0:
        return value;
      case 1:
        return { ...value, accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN, challengeId: CHALLENGE_ID, password: PASSWORD } as T;
      case 2:
        throw new IpcFailure('conflict', 'Someone changed this employee.', { current: { ...EMPLOYEE, secret: KEY, accessToken: ACCESS_TOKEN } });
      case 3:
        throw new Error(`database said ${REFRESH_TOKEN} / ${PASSWORD} / code ${CODE}`);
      default:
        return { broken: true, token: ACCESS_TOKEN } as T;
    }
  };
  const log = createLogger({ level: 'error' });
  const services: Omit<Services, 'handlers'> = {
    auth: {
      getState: () => answer('auth:get-state', {}, STATE),
      startLogin: (input) => answer('auth:start-login', input, { step: 'second_factor_required' as const, methods: ['sms' as const], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' }),
      sendCode: (input) => answer('auth:send-code', input, { destination: '+1 ••• ••• 0142', resendAfterSeconds: 30, sendsLeft: 4 }),
      verifyCode: (input) => answer('auth:verify-code', input, { step: 'signed_in' as const, user: USER }),
      signOut: () => answer('auth:sign-out', {}, { revokedOnPortal: true, notCleared: [] }),
      startStepUp: () => answer('auth:start-step-up', {}, { methods: ['sms' as const], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' }),
      sendStepUpCode: (input) => answer('auth:send-step-up-code', input, { destination: '+1 ••• ••• 0142', resendAfterSeconds: 30, sendsLeft: 4 }),
      verifyStepUp: (input) => answer('auth:verify-step-up', input, { step: 'verified' as const }),
      restore: async () => false,
      currentUser: () => USER,
      tokens: { accessToken: () => ACCESS_TOKEN, refreshAfterRejection: async () => false, onActivity() {}, onUnauthenticated() {} },
      dispose() {},
    },
    employees: {
      list: (input) => answer('employees:list', input, { items: [EMPLOYEE], nextCursor: null, total: 1 }),
      get: (input) => answer('employees:get', input, EMPLOYEE),
      update: (input) => answer('employees:update', input, EMPLOYEE),
      unlockSignIn: (input) => answer('employees:unlock-sign-in', input, EMPLOYEE),
      changes: (input) => answer('employees:changes', input, { complete: true as const, items: [EMPLOYEE], deleted: [], asOf: '2026-01-15T09:00:00.000Z' }),
    },
    numberChanges: {
      startVerification: (input) => answer('verification:start', input, VERIFICATION),
      resendVerification: (input) => answer('verification:resend', input, VERIFICATION),
      confirmVerification: (input) => answer('verification:confirm', input, EMPLOYEE),
      history: (input) => answer('employees:history', input, { items: [] }),
      companySettings: () => answer('company:get-settings', {}, { requireVerifiedPhone: false }),
    },
    drafts: {
      getState: () => answer('drafts:get-state', {}, DRAFTS_STATE),
      snapshotState: () => DRAFTS_STATE,
      save: (input) => answer('drafts:save', input, DRAFT),
      discard: (input) => answer('drafts:discard', input, { discarded: true }),
      resolve: (input) => answer('drafts:resolve', input, { draft: DRAFT }),
      syncNow: () => answer('drafts:sync-now', {}, SYNC),
      sendReviewed: () => answer('drafts:send-reviewed', {}, DRAFTS_STATE),
    },
    offline: {
      active: () => null,
      ensureActive: async () => null,
      getState: () => {
        received.push({ channel: 'offline:get-state', input: {} });
        return OFFLINE_STATE;
      },
      unlock: (input) => answer('offline:unlock', input, { step: 'unlocked' as const, user: USER }),
      leave: () => {
        received.push({ channel: 'offline:leave', input: {} });
        return OFFLINE_STATE;
      },
      onPortalSignIn: async () => undefined,
      listOffline: (input) => answer('employees:list-offline', input, { rows: encodeEmployeeRows([EMPLOYEE]), total: 1, asOf: null }),
      observeListPage() {},
      applyDelta() {},
      applyEmployees() {},
      refreshFromPortal: async () => 0,
      wipeAfterSignOut: async () => undefined,
      dispose: async () => undefined,
    },
    imports: {
      getState: () => IMPORT_STATE,
      pickFile: () => answer('import:pick-file', {}, { isAvailable: false, state: IMPORT_STATE }),
      uploadChunk: (input) => {
        received.push({ channel: 'import:upload-chunk', input: structuredClone(input) });
        return IMPORT_STATE;
      },
      check: () => IMPORT_STATE,
      getReport: () => ({ changes: [], errors: [], totalChanges: 0, totalErrors: 0 }),
      apply: () => IMPORT_STATE,
      cancel: () => IMPORT_STATE,
      continueApply: () => IMPORT_STATE,
      resultFile: () => ({ fileName: 'result.csv', content: '' }),
      reset: () => IMPORT_STATE,
      idle: async () => undefined,
    },
    sync: { status: () => SYNC, run: async () => ({ batches: 0, synced: 0, conflicts: 0, rejected: 0, failed: 0 }), kick() {}, stop() {}, whenIdle: async () => undefined },
    signOut: (input) => answer('auth:sign-out', input, { revokedOnPortal: true, notCleared: [] }),
    settings: {
      get: () => {
        received.push({ channel: 'settings:get', input: {} });
        return SETTINGS;
      },
      setPortal: (input) => answer('settings:set-portal', input, SETTINGS),
      chooseCaFile: () => answer('settings:choose-ca-file', {}, { isSupported: false, file: null }),
      update: (patch) => {
        if (patch.offlineCopyDays !== undefined) received.push({ channel: 'settings:set-offline-copy-days', input: { days: patch.offlineCopyDays } });
        else received.push({ channel: 'settings:set-privacy-mode', input: { isOn: patch.privacyMode } });
        return { ...SETTINGS, ...patch };
      },
      onChange: () => () => undefined,
    },
    language: {
      get: () => ({ setting: 'auto', systemLanguages: ['de-AT'] }),
      locale: () => 'de',
      onChanged: () => () => undefined,
      set: (setting) => {
        received.push({ channel: 'settings:set-language', input: { setting } });
        return { setting, systemLanguages: ['de-AT'] };
      },
    },
    launchPortal: {
      get: () => {
        received.push({ channel: 'settings:get-launch-portal', input: {} });
        return null;
      },
      answer: (accept) => answer('settings:answer-launch-portal', { accept }, SETTINGS),
    },
    connection: {
      getState: () => ({ state: 'online', checkedAt: null }),
      report() {},
      probe: () => answer('connection:probe', {}, { state: 'online' as const, checkedAt: null }),
      start() {},
      stop() {},
      reset() {},
    },
    credentials: createCredentialStore({ kind: 'memory' }),
    emitter: createEmitter(),
    log,
    portal: () => {
      throw new IpcFailure('not_configured', 'x');
    },
    dispose: async () => undefined,
  };
  return { ...services, handlers: channelHandlers(services) };
}

/** Channel-shaped payloads, so that the fuzz also reaches the services (valid by construction or by chance). */
const shaped: Record<IpcChannel, fc.Arbitrary<unknown>> = {
  'auth:get-state': fc.constant({}),
  'auth:start-login': fc.record(
    { email: fc.oneof(fc.constant('admin@acme.test'), fc.string({ maxLength: 300 })), password: fc.oneof(fc.constant(PASSWORD), fc.string({ maxLength: 1100 })), rememberMe: fc.oneof(fc.boolean(), fc.anything()) },
    { requiredKeys: ['email', 'password'] },
  ),
  'auth:send-code': fc.record({ method: fc.oneof(fc.constantFrom('sms', 'voice', 'totp'), fc.anything()) }),
  'auth:verify-code': fc.record({ code: fc.oneof(fc.constant(CODE), fc.stringMatching(/^\d{5,7}$/), fc.anything()), method: fc.constantFrom('sms', 'voice', 'totp', 'carrier') }, { requiredKeys: ['code'] }),
  'auth:start-step-up': fc.constant({}),
  'auth:send-step-up-code': fc.record({ method: fc.oneof(fc.constantFrom('sms', 'voice', 'totp'), fc.anything()) }),
  'auth:verify-step-up': fc.record({ code: fc.oneof(fc.constant(CODE), fc.stringMatching(/^\d{5,7}$/), fc.anything()), method: fc.constantFrom('sms', 'voice', 'totp', 'carrier') }, { requiredKeys: ['code'] }),
  'auth:sign-out': fc.record({ drafts: fc.oneof(fc.constantFrom('keep', 'discard', 'shred'), fc.anything()) }, { requiredKeys: [] }),
  'employees:list': fc.record(
    { q: fc.string({ maxLength: 250 }), sort: fc.constantFrom('name', 'email', 'role', 'twoFactor', 'updatedAt', 'password'), order: fc.constantFrom('asc', 'desc', 'up'), limit: fc.oneof(fc.integer({ min: -5, max: 1005 }), fc.double()), cursor: fc.string({ maxLength: 600 }) },
    { requiredKeys: [] },
  ),
  'employees:unlock-sign-in': fc.record({ id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string()) }),
  'employees:get': fc.record({ id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string()) }),
  'employees:update': fc.record(
    { id: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), version: fc.oneof(fc.integer({ min: -2, max: 1000 }), fc.double()), cellPhone: fc.string({ maxLength: 1100 }), idempotencyKey: fc.oneof(fc.uuid(), fc.string()) },
    { requiredKeys: ['id', 'version', 'cellPhone', 'idempotencyKey'] },
  ),
  'employees:changes': fc.record({ since: fc.oneof(fc.constant('2026-01-15T09:00:00.000Z'), fc.string({ maxLength: 40 }), fc.anything()) }),
  'employees:list-offline': fc.record({ offset: fc.oneof(fc.nat(), fc.integer({ min: -10, max: 20_000_000 })), limit: fc.integer({ min: -1, max: 6000 }) }, { requiredKeys: ['offset'] }),
  'drafts:get-state': fc.constant({}),
  'drafts:save': fc.record(
    { employee: fc.oneof(fc.constant(EMPLOYEE), fc.constant({ ...EMPLOYEE, version: -1 }), fc.anything({ maxDepth: 2 })), cellPhone: fc.oneof(fc.constant('+1 212 555 0177'), fc.string({ maxLength: 1100 })) },
    { requiredKeys: ['employee'] },
  ),
  'drafts:discard': fc.record({ id: fc.oneof(fc.uuid(), fc.string()) }),
  'drafts:resolve': fc.record({ id: fc.oneof(fc.uuid(), fc.string()), choice: fc.constantFrom('mine', 'portal', 'both') }),
  'drafts:sync-now': fc.constant({}),
  'drafts:send-reviewed': fc.constant({}),
  'offline:get-state': fc.constant({}),
  'offline:unlock': fc.record({ email: fc.oneof(fc.constant('admin@acme.test'), fc.string({ maxLength: 300 })), password: fc.oneof(fc.constant(PASSWORD), fc.string({ maxLength: 1100 })) }, { requiredKeys: ['email'] }),
  'offline:leave': fc.constant({}),
  'connection:get-state': fc.constant({}),
  'connection:probe': fc.constant({}),
  'settings:get': fc.constant({}),
  'settings:get-launch-portal': fc.constant({}),
  'settings:answer-launch-portal': fc.record({ accept: fc.oneof(fc.boolean(), fc.anything()) }),
  'settings:choose-ca-file': fc.constant({}),
  'settings:set-privacy-mode': fc.record({ isOn: fc.oneof(fc.boolean(), fc.anything()) }),
  'settings:set-offline-copy-days': fc.record({ days: fc.oneof(fc.constantFrom(1, 3, 7, 14, 30), fc.anything()) }),
  'verification:start': fc.record(
    { id: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), version: fc.oneof(fc.integer({ min: -2, max: 1000 }), fc.double()), cellPhone: fc.string({ maxLength: 1100 }), method: fc.constantFrom('sms', 'voice', 'fax') },
    { requiredKeys: ['id', 'version', 'cellPhone'] },
  ),
  'verification:resend': fc.record({ id: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), verificationId: fc.oneof(fc.constant(VERIFICATION_ID), fc.string()), method: fc.constantFrom('sms', 'voice', 'fax') }, { requiredKeys: ['id', 'verificationId'] }),
  'verification:confirm': fc.record(
    { id: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), verificationId: fc.oneof(fc.constant(VERIFICATION_ID), fc.string()), version: fc.oneof(fc.integer({ min: -2, max: 1000 }), fc.double()), code: fc.oneof(fc.constant(CODE), fc.string()), idempotencyKey: fc.oneof(fc.uuid(), fc.string()) },
    { requiredKeys: ['id', 'verificationId', 'version', 'code', 'idempotencyKey'] },
  ),
  'employees:history': fc.record({ id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string()) }),
  'company:get-settings': fc.constant({}),
  'settings:get-language': fc.constant({}),
  'settings:set-language': fc.record({ setting: fc.oneof(fc.constantFrom('auto', 'en', 'de', 'fr', 'es', 'xx'), fc.anything()) }),
  'settings:set-portal': fc.record(
    { portalUrl: fc.oneof(fc.webUrl({ validSchemes: ['https', 'http', 'javascript'] }), fc.string()), caCertificate: fc.oneof(fc.constant(null), fc.string({ maxLength: 5000 })), certificatePin: fc.oneof(fc.constant(null), fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()) },
    { requiredKeys: ['portalUrl'] },
  ),
  'import:get-state': fc.constant({}),
  'import:pick-file': fc.constant({}),
  'import:upload-chunk': fc.record(
    { name: fc.string({ maxLength: 300 }), size: fc.integer({ min: -1, max: 40_000_000 }), offset: fc.integer({ min: -1, max: 40_000_000 }), data: fc.oneof(fc.base64String({ maxLength: 60_000 }), fc.string()) },
    { requiredKeys: ['name', 'size', 'offset', 'data'] },
  ),
  'import:check': fc.constant({}),
  'import:get-report': fc.constant({}),
  'import:apply': fc.constant({}),
  'import:cancel': fc.constant({}),
  'import:continue-apply': fc.constant({}),
  'import:result-file': fc.constant({}),
  'import:reset': fc.constant({}),
};

const poisonKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
function withOwnKey(target: unknown, key: string, value: unknown): unknown {
  const base: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  Object.defineProperty(base, key, { value, enumerable: true, writable: true, configurable: true });
  return base;
}
const TEN_MIB = 'a'.repeat(10 * 1024 * 1024);

function payloads(channel: IpcChannel): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 30, arbitrary: fc.anything({ maxDepth: 4, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true }) },
    { weight: 40, arbitrary: shaped[channel] },
    // Prototype-poisoning keys on an otherwise well-shaped payload, at the top and nested.
    { weight: 10, arbitrary: fc.tuple(shaped[channel], poisonKey, fc.anything({ maxDepth: 2 })).map(([base, key, value]) => withOwnKey(base, key, value)) },
    { weight: 5, arbitrary: fc.tuple(shaped[channel], poisonKey).map(([base, key]) => withOwnKey(base, 'nested', withOwnKey({}, key, { polluted: true }))) },
    { weight: 5, arbitrary: fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}').map((text) => JSON.parse(text) as unknown) },
    // Big payloads: a 10 MiB string in a few runs, and wide objects.
    { weight: 1, arbitrary: shaped[channel].map((base) => withOwnKey(base, 'email', TEN_MIB)) },
    { weight: 1, arbitrary: fc.constant(TEN_MIB) },
    { weight: 2, arbitrary: fc.integer({ min: 70, max: 200 }).map((count) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'x'.repeat(1000)]))) },
  );
}

const responses: IpcResult<unknown>[] = [];
const logLines: string[] = [];
let received: { channel: IpcChannel; input: unknown }[];
let gate: Gate;

// Main registers the secrets it holds (a password in flight, the session's tokens) with the
// redactor; the fake services hold these, so they are registered the same way.
let forgetSecrets: (() => void)[] = [];
beforeAll(() => {
  forgetSecrets = SECRETS.map((secret) => rememberSecret(secret));
});
afterAll(() => {
  for (const forget of forgetSecrets) forget();
});

beforeEach(() => {
  received = [];
  gate = createGate({ services: fakeServices(received), isTrustedSender, log: createLogger({ level: 'debug', sink: (line) => logLines.push(line) }) });
});

async function call(channel: unknown, payload: unknown, ...sender: [unknown?]): Promise<IpcResult<unknown>> {
  // An explicit `undefined` sender stays undefined (a default parameter would replace it).
  const result = await gate.invoke(channel, payload, (sender.length === 0 ? TRUSTED_ELECTRON : sender[0]) as Sender);
  responses.push(result);
  return result;
}

describe('gate: senders', () => {
  it.each(CHANNELS)('refuses a forged sender on %s before looking at the payload', async (channel) => {
    for (const sender of FORGED_SENDERS) {
      const result = await call(channel, channel === 'auth:start-login' ? { email: 'admin@acme.test', password: PASSWORD } : {}, sender);
      expect({ sender, result }).toEqual({ sender, result: { ok: false, error: { code: "forbidden_sender", message: expect.any(String) as unknown } } });
    }
    expect(received).toEqual([]);
  });

  it('refuses a forged sender even for unknown channels and poisoned payloads', async () => {
    const result = await call('debug:dump-tokens', JSON.parse('{"__proto__":{"x":1}}'), FORGED_SENDERS[0]);
    expect(result.ok ? null : result.error.code).toBe('forbidden_sender');
  });

  it('accepts our window and the authenticated browser-mode page', async () => {
    expect((await call('settings:get', {}, TRUSTED_ELECTRON)).ok).toBe(true);
    expect((await call('settings:get', {}, TRUSTED_WEBSOCKET)).ok).toBe(true);
  });
});

describe('gate: inputs', () => {
  it.each([['nope'], [''], [42], [null], [{}], ['__proto__'], ['constructor'], ['toString']])('an unknown channel (%j) is invalid_input', async (channel) => {
    const result = await call(channel, {});
    expect(result.ok ? null : result.error.code).toBe('invalid_input');
  });

  it('strict schemas refuse unknown keys; the message names the field, never its value', async () => {
    const result = await call('auth:start-login', { email: 'admin@acme.test', password: PASSWORD, isAdmin: true });
    expect(result.ok ? null : result.error.code).toBe('invalid_input');
    const bad = await call('auth:verify-code', { code: `${CODE}9` });
    expect(bad).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request\'s "code" is not valid.' } });
  });

  it('privacy mode: a boolean is stored through the settings service, anything else is refused', async () => {
    expect(await call('settings:set-privacy-mode', { isOn: true })).toEqual({ ok: true, value: { ...SETTINGS, privacyMode: true } });
    expect(received).toEqual([{ channel: 'settings:set-privacy-mode', input: { isOn: true } }]);
    for (const payload of [{ isOn: 'yes' }, {}, { isOn: true, portalUrl: 'https://evil.test' }]) {
      const result = await call('settings:set-privacy-mode', payload);
      expect(result.ok ? null : result.error.code).toBe('invalid_input');
    }
    expect(received).toHaveLength(1);
  });

  it('the offline copy’s days: one of the offered choices is stored through the settings service, anything else is refused', async () => {
    expect(await call('settings:set-offline-copy-days', { days: 3 })).toEqual({ ok: true, value: { ...SETTINGS, offlineCopyDays: 3 } });
    expect(received).toEqual([{ channel: 'settings:set-offline-copy-days', input: { days: 3 } }]);
    for (const payload of [{ days: 365 }, { days: '3' }, { days: 0 }, {}, { days: 3, privacyMode: true }]) {
      const result = await call('settings:set-offline-copy-days', payload);
      expect(result.ok ? null : result.error.code).toBe('invalid_input');
    }
    expect(received).toHaveLength(1);
  });

  it('a payload over 64 KiB is refused before zod sees it', () => {
    expect(checkPayload({ q: 'x'.repeat(70 * 1024) })).toBe('too_large');
    expect(checkPayload(JSON.parse('{"a":{"b":{"__proto__":1}}}'))).toBe('forbidden_key');
    expect(checkPayload({ when: new Date() })).toBe('not_plain_data');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkPayload(cyclic)).toBe('not_plain_data');
    expect(checkPayload({ email: 'a@b.c', password: 'x' })).toBeNull();
  });

  it.each(CHANNELS)('fuzz: ≥ 1,000 arbitrary payloads on %s — every answer is an envelope, services only see valid input', async (channel) => {
    const schema = IPC_CHANNELS[channel].input;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(payloads(channel), async (payload) => {
        runs++;
        const isAcceptable = checkPayload(payload) === null && schema.safeParse(payload).success;
        const before = received.length;
        const result = await call(channel, payload);
        expect(typeof result.ok).toBe('boolean');
        if (!isAcceptable) {
          expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.any(String) as unknown } });
          expect(received.length).toBe(before);
        } else if (!result.ok) {
          expect(['conflict', 'server']).toContain(result.error.code);
        }
      }),
      { numRuns: 1_000 },
    );
    expect(runs).toBeGreaterThanOrEqual(1_000);
    for (const { channel: seenChannel, input } of received) {
      expect(seenChannel).toBe(channel);
      expect(IPC_CHANNELS[seenChannel].input.safeParse(input).success).toBe(true);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  }, 60_000);
});

describe('gate: outputs', () => {
  it('strips smuggled fields, turns plain errors into a generic server error and keeps contract failures', async () => {
    const login = { email: 'admin@acme.test', password: PASSWORD };
    const results = [];
    for (let index = 0; index < 5; index++) results.push(await call('auth:start-login', { ...login }));
    expect(results[0]).toMatchObject({ ok: true, value: { step: 'second_factor_required' } });
    expect(results[1]).toEqual({ ok: true, value: { step: 'second_factor_required', methods: ['sms'], destination: '+1 ••• ••• 0142', expiresAt: '2026-01-15T09:10:00.000Z' } });
    expect(results[2]).toEqual({ ok: false, error: { code: 'conflict', message: 'Someone changed this employee.', current: EMPLOYEE } });
    expect(results[3]).toEqual({ ok: false, error: { code: 'server', message: expect.stringContaining('Something went wrong') as unknown } });
    expect(results[4]).toEqual({ ok: false, error: { code: 'server', message: expect.stringContaining('Something went wrong') as unknown } });
  });

  it('logs handler failures with secrets redacted', async () => {
    logLines.length = 0;
    for (let index = 0; index < 5; index++) await call('employees:get', { id: 'acme-0002' });
    await call('settings:get', {}, FORGED_SENDERS.at(-1));
    expect(logLines.some((line) => line.includes('a handler failed'))).toBe(true);
    for (const line of logLines) for (const secret of SECRETS) expect(line).not.toContain(secret);
  });

  it('forwards valid events (stripped) and drops invalid ones', () => {
    const services = fakeServices([]);
    const eventGate = createGate({ services, isTrustedSender });
    const seen: [IpcEvent, unknown][] = [];
    const unsubscribe = eventGate.onEvent((event, payload) => seen.push([event, payload]));
    services.emitter.emit('auth:state-changed', { ...STATE, accessToken: ACCESS_TOKEN } as AuthState);
    services.emitter.emit('connection:changed', { state: 'sideways' } as never);
    unsubscribe();
    services.emitter.emit('connection:changed', { state: 'online', checkedAt: null });
    expect(seen).toEqual([['auth:state-changed', STATE]]);
  });

  it('no response in this suite contains a known secret', () => {
    expect(responses.length).toBeGreaterThan(10_000);
    for (const response of responses) {
      const text = JSON.stringify(response);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
  });
});
