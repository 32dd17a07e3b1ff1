import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OFFLINE_COPY_MAX_AGE_DAYS, offlineCopyDaysSchema } from '../../../common/drafts';
import { certificatePinSchema, IpcFailure, settingsSchema, type ChannelOutput, type ChannelParsedInput, type Settings } from '../../../common/ipc';
import type { Logger } from '../log';
import { writeFileAtomically } from '../infra/atomic-file';

export const SETTINGS_FILE_NAME = 'settings.json';
export const SETTINGS_VERSION = 1;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  portalUrl: null,
  caFile: null,
  certificatePin: null,
  rememberMe: false,
  isDemoPortal: false,
  privacyMode: false,
  offlineCopyDays: OFFLINE_COPY_MAX_AGE_DAYS,
});

const httpsUrlSchema = z.string().max(2048).refine((value) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}, 'the portal URL must be an https: URL');

/** The file as stored: `{version: 1, ...settings}`. Stricter than the IPC shape: it comes from disk. */
const settingsFileSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  portalUrl: httpsUrlSchema.nullable(),
  caFile: z.string().min(1).max(4096).nullable(),
  certificatePin: certificatePinSchema.nullable(),
  rememberMe: z.boolean(),
  isDemoPortal: z.boolean(),
  // Added after version 1 without a new version: a file without it was written before privacy mode existed (off).
  privacyMode: z.boolean().default(false),
  // Added the same way: a file without it keeps offline copies for the default 14 days.
  offlineCopyDays: offlineCopyDaysSchema.default(OFFLINE_COPY_MAX_AGE_DAYS),
});

/**
 * Migrations from older file versions, keyed by the version they upgrade FROM. Version 1 is the
 * first; the table is where version 2 will add `1: (v1) => v2`.
 */
const MIGRATIONS: Readonly<Record<number, (data: Record<string, unknown>) => Record<string, unknown>>> = {};

export interface SettingsService {
  get(): Settings;
  /** `settings:set-portal`: the whole trust configuration of the portal (an absent CA file or pin clears it). */
  setPortal(input: ChannelParsedInput<'settings:set-portal'>): Promise<Settings>;
  /** `settings:choose-ca-file`: the OS file dialog where there is one (Electron), read by main. */
  chooseCaFile(): Promise<ChannelOutput<'settings:choose-ca-file'>>;
  /** Changes from main itself (the launcher's portal, the remember-me choice). */
  update(patch: Partial<Settings>): Settings;
  /** Called after every change with the new and the previous settings. */
  onChange(listener: (settings: Settings, previous: Settings) => void): () => void;
}

export interface SettingsServiceOptions {
  userDataDir: string;
  log: Logger;
  now?: () => number;
}

/** Reads the settings file; a file that is unreadable or invalid is kept aside and the defaults used. */
export function loadSettings(file: string, log: Logger, now: () => number = Date.now): Settings {
  if (!existsSync(file)) return { ...DEFAULT_SETTINGS };
  let reason: string;
  try {
    let data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      let version = (data as { version?: unknown }).version;
      while (typeof version === 'number' && version !== SETTINGS_VERSION && Object.hasOwn(MIGRATIONS, version)) {
        data = MIGRATIONS[version]!(data as Record<string, unknown>);
        version = (data as { version?: unknown }).version;
      }
    }
    const parsed = settingsFileSchema.safeParse(data);
    if (parsed.success) {
      const { version: _version, ...settings } = parsed.data;
      return settings;
    }
    reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
  } catch (error) {
    reason = error instanceof SyntaxError ? 'not valid JSON' : `unreadable (${(error as { code?: string }).code ?? 'error'})`;
  }
  const aside = `${file}.invalid-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    log.warn('settings: could not keep the invalid settings file aside', { error });
  }
  log.warn('settings: the settings file was invalid; using defaults', { reason, keptAs: aside });
  return { ...DEFAULT_SETTINGS };
}

export function saveSettings(file: string, settings: Settings): void {
  const contents = { version: SETTINGS_VERSION, ...settingsSchema.parse(settings) };
  writeFileAtomically(file, `${JSON.stringify(contents, null, 2)}\n`);
}

/** Reads a CA file for the portal (the launcher's, or the copy Settings keeps): at least one PEM certificate. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new IpcFailure('validation', 'The certificate file could not be read.', {
      fields: [{ field: 'caFile', code: 'unreadable', message: 'Portal Admin cannot read this file. Check the path and its permissions.' }],
    });
  }
  return parseCaCertificate(text);
}

/** The PEM certificates in a text (a chosen file's contents), or a validation failure. */
export function parseCaCertificate(text: string): string {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new IpcFailure('validation', 'The certificate file does not hold a PEM certificate.', {
      fields: [{ field: 'caCertificate', code: 'not_a_certificate', message: 'Choose a PEM file (it starts with -----BEGIN CERTIFICATE-----).' }],
    });
  }
  return blocks.join('\n');
}

/** Where Settings keeps a chosen CA certificate: named by its digest, so another certificate is another path (a trust change). */
export const TRUST_FOLDER = 'trust';
function keepCaCertificate(userDataDir: string, pem: string): string {
  const folder = join(userDataDir, TRUST_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, `portal-ca-${createHash('sha256').update(pem).digest('hex').slice(0, 32)}.pem`);
  if (!existsSync(file)) writeFileAtomically(file, `${pem}\n`);
  return file;
}

export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const file = join(options.userDataDir, SETTINGS_FILE_NAME);
  let current = loadSettings(file, options.log, options.now);
  const listeners = new Set<(settings: Settings, previous: Settings) => void>();

  function commit(next: Settings): Settings {
    const previous = current;
    saveSettings(file, next);
    current = Object.freeze({ ...next });
    for (const listener of [...listeners]) {
      try {
        listener(current, previous);
      } catch (error) {
        options.log.error('settings: a change listener failed', { error });
      }
    }
    return current;
  }

  return {
    get: () => ({ ...current }),
    async setPortal(input) {
      const portalUrl = input.portalUrl.replace(/\/+$/, '');
      const isSamePortal = current.portalUrl === portalUrl;
      // A certificate is refused before anything is stored; absent, the current one stays for the same portal.
      const caFile =
        input.caCertificate === undefined ? (isSamePortal ? current.caFile : null) : input.caCertificate === null ? null : keepCaCertificate(options.userDataDir, parseCaCertificate(input.caCertificate));
      return { ...commit({ ...current, portalUrl, caFile, certificatePin: input.certificatePin ?? null, isDemoPortal: isSamePortal && current.isDemoPortal }) };
    },
    chooseCaFile: async () => ({ isSupported: false, file: null }),
    update(patch) {
      const next = settingsSchema.parse({ ...current, ...patch });
      const isUnchanged = (Object.keys(next) as (keyof Settings)[]).every((key) => next[key] === current[key]);
      return { ...(isUnchanged ? current : commit(next)) };
    },
    onChange(listener) {
      const entry = (settings: Settings, previous: Settings) => listener(settings, previous);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
