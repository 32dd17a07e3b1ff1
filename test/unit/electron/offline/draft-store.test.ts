import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppliedChange, Draft } from '../../../../common/drafts';
import { silentLogger } from '../../../../electron/main/log';
import { DRAFTS_SCHEMA_VERSION, HISTORY_LIMIT, openDraftStore, type DraftStoreOptions } from '../../../../electron/main/offline/draft-store';
import { newDataKey, seal } from '../../../../electron/main/offline/sealed-box';
import type { Migrations } from '../../../../electron/main/offline/sealed-document';
import { testDraft } from '../../../support/drafts';

const ACCOUNT = 'admin@acme.test';
const NOW = Date.parse('2026-01-15T09:00:00.000Z');
const KEPT_ASIDE_SUFFIX = '.unreadable-2026-01-15T09-00-00-000Z';

const directories: string[] = [];
function folder(): string {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-drafts-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function draft(overrides: Partial<Draft> = {}): Draft {
  return testDraft({ employeeId: 'e-101', cellPhone: '+12125550101', baseVersion: 3, basePhone: '+12125550100', ...overrides }, NOW);
}

function applied(from: Draft): AppliedChange {
  return {
    draftId: from.id,
    employeeId: from.employeeId,
    employee: from.employee,
    cellPhone: from.cellPhone,
    basePhone: from.basePhone,
    version: from.baseVersion + 1,
    appliedAt: new Date(NOW).toISOString(),
  };
}

function setup(overrides: Partial<DraftStoreOptions> = {}) {
  const directory = folder();
  const options: DraftStoreOptions = { file: join(directory, 'drafts.json'), key: newDataKey(), account: ACCOUNT, log: silentLogger, now: () => NOW, ...overrides };
  return { directory, options, open: (more: Partial<DraftStoreOptions> = {}) => openDraftStore({ ...options, ...more }) };
}

function temporaryFiles(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.includes('.tmp-'));
}

describe('drafts store', () => {
  it('starts empty when there is no file, and writes nothing until a change', () => {
    const { options, open } = setup();
    const store = open();
    expect(store.drafts()).toEqual([]);
    expect(store.history()).toEqual([]);
    expect(store.problem).toBeNull();
    expect(existsSync(options.file)).toBe(false);
  });

  it('round trip: a change is on disk when transact returns, and reopens the same', () => {
    const { directory, options, open } = setup();
    const first = draft();
    const second = draft({ employeeId: 'e-102', cellPhone: '+447400123456', state: 'failed', attempts: 2, nextAttemptAt: new Date(NOW + 60_000).toISOString(), error: { code: 'offline', message: 'The portal could not be reached.' } });
    const store = open();
    store.transact((document) => {
      document.drafts.push(first, second);
    });
    expect(store.drafts()).toEqual([first, second]);

    const reopened = open();
    expect(reopened.problem).toBeNull();
    expect(reopened.drafts()).toEqual([first, second]);
    expect(reopened.get(second.id)).toEqual(second);
    expect(reopened.forEmployee('e-101')).toEqual(first);
    expect(reopened.get(randomUUID())).toBeUndefined();
    expect(temporaryFiles(directory)).toEqual([]);
    if (process.platform !== 'win32') expect(statSync(options.file).mode & 0o777).toBe(0o600);
  });

  it('`only`: the named drafts change in place and reopen so; changing any other one throws and writes nothing', () => {
    const { options, open } = setup();
    const first = draft();
    const second = draft({ employeeId: 'e-102', cellPhone: '+12125550102' });
    const store = open();
    store.transact((document) => {
      document.drafts.push(first, second);
    });
    store.transact((document) => {
      for (const each of document.drafts) if (each.id === second.id) each.state = 'syncing';
    }, { only: new Set([second.id]) });
    expect(store.drafts()).toEqual([first, { ...second, state: 'syncing' }]);
    expect(open().drafts()).toEqual([first, { ...second, state: 'syncing' }]);

    const onDisk = readFileSync(options.file);
    const journal = readFileSync(`${options.file}.journal`);
    expect(() =>
      store.transact((document) => {
        document.drafts[1]!.state = 'pending';
        document.drafts[0]!.state = 'syncing';
      }, { only: new Set([second.id]) }),
    ).toThrow(TypeError);
    expect(store.drafts()).toEqual([first, { ...second, state: 'syncing' }]);
    expect(readFileSync(options.file).equals(onDisk)).toBe(true);
    expect(readFileSync(`${options.file}.journal`).equals(journal)).toBe(true);
    expect(open().drafts()).toEqual([first, { ...second, state: 'syncing' }]);
  });

  it('keeps the newest HISTORY_LIMIT applied changes (the history is newest first)', () => {
    const { open } = setup();
    const store = open();
    const changes = Array.from({ length: HISTORY_LIMIT + 5 }, () => applied(draft()));
    for (const change of changes) {
      store.transact((document) => {
        document.history.unshift(change);
      });
    }
    const expected = changes.slice().reverse().slice(0, HISTORY_LIMIT);
    expect(store.history()).toEqual(expected);
    expect(open().history()).toEqual(expected);
  });

  describe('an unreadable file is kept aside, byte for byte, and the store starts empty', () => {
    const cases: { name: string; write: (options: DraftStoreOptions) => string | Buffer; why: RegExp }[] = [
      { name: 'another key', write: (options) => seal(newDataKey(), JSON.stringify({ schemaVersion: 1, drafts: [draft()], history: [] }), `drafts|${options.account}`), why: /could not be decrypted/ },
      { name: "another account's file", write: (options) => seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [draft()], history: [] }), 'drafts|tech@acme.test'), why: /could not be decrypted/ },
      { name: 'the employee list copied over it', write: (options) => seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [], history: [] }), `employees|${options.account}`), why: /could not be decrypted/ },
      {
        name: 'one changed byte',
        write: (options) => {
          const text = seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [draft()], history: [] }), `drafts|${options.account}`);
          const at = text.indexOf('"data":"') + 12;
          return `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
        },
        why: /could not be decrypted/,
      },
      { name: 'a torn write (half a file)', write: (options) => { const text = seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [draft()], history: [] }), `drafts|${options.account}`); return text.slice(0, text.length >> 1); }, why: /could not be decrypted/ },
      { name: 'an empty file', write: () => '', why: /could not be decrypted/ },
      { name: 'random bytes', write: () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b, 0x22]), why: /could not be decrypted/ },
      { name: 'plaintext drafts', write: () => JSON.stringify({ schemaVersion: 1, drafts: [], history: [] }), why: /could not be decrypted/ },
      { name: 'decrypts to something that is not JSON', write: (options) => seal(options.key, 'schemaVersion: 1', `drafts|${options.account}`), why: /format this version cannot read/ },
      { name: 'a draft that fails the schema', write: (options) => seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [{ ...draft(), cellPhone: '2125550101' }], history: [] }), `drafts|${options.account}`), why: /format this version cannot read/ },
      { name: 'an unknown field', write: (options) => seal(options.key, JSON.stringify({ schemaVersion: 1, drafts: [], history: [], extra: true }), `drafts|${options.account}`), why: /format this version cannot read/ },
      { name: 'a newer version', write: (options) => seal(options.key, JSON.stringify({ schemaVersion: DRAFTS_SCHEMA_VERSION + 1, drafts: [], history: [] }), `drafts|${options.account}`), why: /format this version cannot read/ },
    ];

    it.each(cases)('$name', ({ write, why }) => {
      const { directory, options, open } = setup();
      const contents = write(options);
      writeFileSync(options.file, contents);
      const original = readFileSync(options.file);

      const store = open();
      const keptAside = `${options.file}${KEPT_ASIDE_SUFFIX}`;
      expect(store.drafts()).toEqual([]);
      expect(store.history()).toEqual([]);
      expect(store.problem).toMatch(why);
      expect(store.problem).toContain(keptAside);
      expect(store.problem).toMatch(/nothing was deleted/);
      // The same as a code for the window (it words it in the language shown).
      expect(store.problemDetail).toMatchObject({ code: 'file_kept_aside', file: 'drafts', keptAs: basename(keptAside) });
      expect(existsSync(options.file)).toBe(false);
      expect(readFileSync(keptAside).equals(original)).toBe(true);

      // The next save makes a new file and leaves the kept copy alone.
      const next = draft();
      store.transact((document) => {
        document.drafts.push(next);
      });
      expect(open().drafts()).toEqual([next]);
      expect(readFileSync(keptAside).equals(original)).toBe(true);
      expect(readdirSync(directory).sort()).toEqual(['drafts.json', `drafts.json${KEPT_ASIDE_SUFFIX}`]);
    });
  });

  describe('migrations', () => {
    const migrations: Migrations = { 0: (data) => ({ ...data, schemaVersion: 1, history: [] }) };

    it('an older file goes through the migrations before it is validated', () => {
      const { options, open } = setup({ migrations });
      const old = draft();
      writeFileSync(options.file, seal(options.key, JSON.stringify({ schemaVersion: 0, drafts: [old] }), `drafts|${ACCOUNT}`));
      const store = open();
      expect(store.problem).toBeNull();
      expect(store.drafts()).toEqual([old]);
      expect(store.history()).toEqual([]);

      // Saved again, it is the current version and opens without the migrations.
      store.transact((document) => {
        document.drafts[0]!.cellPhone = '+12125550102';
      });
      const reopened = open({ migrations: {} });
      expect(reopened.problem).toBeNull();
      expect(reopened.drafts()).toEqual([{ ...old, cellPhone: '+12125550102' }]);
    });

    it('an older file with no migration for its version is kept aside', () => {
      const { options, open } = setup({ migrations: {} });
      writeFileSync(options.file, seal(options.key, JSON.stringify({ schemaVersion: 0, drafts: [draft()] }), `drafts|${ACCOUNT}`));
      const store = open();
      expect(store.drafts()).toEqual([]);
      expect(store.problem).toMatch(/format this version cannot read/);
      expect(existsSync(`${options.file}${KEPT_ASIDE_SUFFIX}`)).toBe(true);
    });

    it('a migration that throws keeps the file aside', () => {
      const { options, open } = setup({ migrations: { 0: () => { throw new Error('cannot upgrade'); } } });
      writeFileSync(options.file, seal(options.key, JSON.stringify({ schemaVersion: 0, drafts: [] }), `drafts|${ACCOUNT}`));
      const store = open();
      expect(store.problem).not.toBeNull();
      expect(existsSync(`${options.file}${KEPT_ASIDE_SUFFIX}`)).toBe(true);
    });
  });

  describe('a failed transact changes nothing, in memory or on disk', () => {
    it.each([
      {
        name: 'mutate throws half-way',
        mutate: (document: { drafts: Draft[] }) => {
          document.drafts[0]!.cellPhone = '+12125550999';
          document.drafts.push(draft({ employeeId: 'e-103' }));
          throw new Error('changed my mind');
        },
        error: /changed my mind/,
      },
      {
        name: 'the result fails the schema',
        mutate: (document: { drafts: Draft[] }) => {
          document.drafts[0]!.cellPhone = 'not a number';
        },
        error: /regex|Invalid/i,
      },
    ])('$name', ({ mutate, error }) => {
      const { directory, options, open } = setup();
      const store = open();
      const kept = draft();
      store.transact((document) => {
        document.drafts.push(kept);
      });
      const before = readFileSync(options.file);
      const snapshot = structuredClone(store.drafts());

      expect(() => store.transact(mutate)).toThrow(error);
      expect(store.drafts()).toEqual(snapshot);
      expect(store.drafts()).toEqual([kept]);
      expect(readFileSync(options.file).equals(before)).toBe(true);
      expect(temporaryFiles(directory)).toEqual([]);
      expect(open().drafts()).toEqual([kept]);
    });
  });

  it('no draft content is in plaintext anywhere in the folder', () => {
    const { directory, open } = setup();
    const canaries = ['+12125550199', '2125550199', 'canary-xyz@acme.test', 'Canaryfirst', 'Canarylast'];
    const store = open();
    const canary = draft({ employeeId: 'e-canary', cellPhone: '+12125550199', employee: { firstName: 'Canaryfirst', lastName: 'Canarylast', email: 'canary-xyz@acme.test' } });
    store.transact((document) => {
      document.drafts.push(canary, draft());
    });
    store.transact((document) => {
      document.history.unshift(applied(canary));
    });
    // An unreadable file kept aside is still ciphertext too: open with another key once.
    open({ key: newDataKey() });
    open().transact((document) => {
      document.drafts.push(canary);
    });

    const files: string[] = [];
    const walk = (path: string) => {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        const full = join(path, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(directory);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const text of canaries) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect(bytes.includes(Buffer.from(text, encoding)), `${text} (${encoding}) in ${file}`).toBe(false);
        }
      }
    }
  });

  describe('journal: a change appends one record, the file is rewritten only now and then', () => {
    function withTwoChanges() {
      const context = setup();
      const store = context.open();
      const first = draft();
      const second = draft({ employeeId: 'e-102', cellPhone: '+12125550102' });
      store.transact((document) => {
        document.drafts.push(first);
      });
      const file = readFileSync(context.options.file);
      store.transact((document) => {
        document.drafts.push(second);
      });
      store.transact((document) => {
        document.drafts[0]!.state = 'syncing';
        document.history.unshift(applied(first));
      });
      return { ...context, store, file, journal: `${context.options.file}.journal`, first, second };
    }

    it('leaves the file as it was, appends a record per change, and reopens the same', () => {
      const { options, open, store, file, journal, first, second } = withTwoChanges();
      expect(readFileSync(options.file).equals(file)).toBe(true);
      // The first change made the file; the next two are records.
      expect(readFileSync(journal, 'utf8').split('\n')).toEqual([expect.any(String), expect.any(String), '']);
      const reopened = open();
      expect(reopened.problem).toBeNull();
      expect(reopened.drafts()).toEqual([{ ...first, state: 'syncing' }, second]);
      expect(reopened.drafts()).toEqual(store.drafts());
      expect(reopened.history()).toEqual([applied(first)]);
    });

    it('a torn last record (killed mid-append: never acknowledged) is cut off, and the next change is kept', () => {
      const { open, store, journal, second } = withTwoChanges();
      const whole = readFileSync(journal, 'utf8');
      writeFileSync(journal, `${whole}${whole.slice(0, 120)}`);
      const reopened = open();
      expect(reopened.problem).toBeNull();
      expect(reopened.drafts()).toEqual(store.drafts());
      expect(readFileSync(journal, 'utf8')).toBe(whole);
      reopened.transact((document) => {
        document.drafts.splice(1, 1);
      });
      expect(open().drafts().map((item) => item.id)).not.toContain(second.id);
      expect(open().drafts()).toHaveLength(1);
    });

    it('a journal left behind by a crash after the file was rewritten is ignored, not replayed', () => {
      const { options, open, store, journal, first, second } = withTwoChanges();
      const stale = readFileSync(journal);
      // Drafts in another order cannot be a record: the whole file is rewritten and the journal removed.
      store.transact((document) => {
        document.drafts.reverse();
        document.drafts[1]!.state = 'pending';
      });
      expect(existsSync(journal)).toBe(false);
      writeFileSync(journal, stale);
      const reopened = open();
      expect(reopened.problem).toBeNull();
      expect(reopened.drafts()).toEqual([second, { ...first, state: 'pending' }]);
      expect(existsSync(journal)).toBe(false);
      expect(existsSync(options.file)).toBe(true);
    });

    it('a record taken out of the middle is a changed file: kept aside with its journal, nothing deleted', () => {
      const { options, open, store, journal } = withTwoChanges();
      store.transact((document) => {
        document.drafts[1]!.state = 'syncing';
      });
      const [firstRecord, , ...rest] = readFileSync(journal, 'utf8').split('\n');
      writeFileSync(journal, [firstRecord, ...rest].join('\n'));
      const reopened = open();
      expect(reopened.drafts()).toEqual([]);
      expect(reopened.problem).toMatch(/kept aside/);
      expect(existsSync(`${options.file}${KEPT_ASIDE_SUFFIX}`)).toBe(true);
      expect(existsSync(`${options.file}${KEPT_ASIDE_SUFFIX}.journal`)).toBe(true);
    });

    it('a record from another account does not open', () => {
      const { options, open, journal } = withTwoChanges();
      const other = setup({ key: options.key, account: 'other@acme.test' });
      const otherStore = other.open();
      otherStore.transact((document) => {
        document.drafts.push(draft({ employeeId: 'e-900' }));
      });
      otherStore.transact((document) => {
        document.drafts.push(draft({ employeeId: 'e-901' }));
      });
      writeFileSync(journal, `${readFileSync(journal, 'utf8')}${readFileSync(`${other.options.file}.journal`, 'utf8')}`);
      expect(open().problem).toMatch(/could not be decrypted/);
    });
  });
});
