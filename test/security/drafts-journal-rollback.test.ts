import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/main/log';
import { openDraftStore, type DraftStoreOptions } from '../../electron/main/offline/draft-store';
import { newDataKey } from '../../electron/main/offline/sealed-box';
import { testDraft } from '../support/drafts';

/**
 * The drafts are a file plus an append-only journal. An attacker with the profile folder cuts the
 * journal back to an earlier record (or removes it), to bring back a draft that was discarded or
 * sent. Every record counts a generation (kept in the keychain), so the shorter journal is an
 * older copy: detected, kept aside, its drafts not used.
 */
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function profile() {
  const directory = mkdtempSync(join(tmpdir(), 'portal-admin-journal-rollback-'));
  directories.push(directory);
  let newest = 0;
  const options = (): DraftStoreOptions => ({
    file: join(directory, 'drafts.sealed'),
    key,
    account: 'admin@acme.test',
    log: silentLogger,
    generations: { minimum: newest, onWritten: (generation) => (newest = generation) },
  });
  const key = newDataKey();
  return { options, journal: join(directory, 'drafts.sealed.journal') };
}

describe('attack: a drafts journal cut back to an earlier record', () => {
  it.each([
    { name: 'the last record removed', cut: (lines: string[]) => lines.slice(0, -2).concat('') },
    { name: 'the journal emptied', cut: () => [''] },
  ])('$name: detected, and the discarded draft does not come back', ({ cut }) => {
    const { options, journal } = profile();
    const store = openDraftStore(options());
    const kept = testDraft({ employeeId: 'e-1', cellPhone: '+12125550101' });
    const discarded = testDraft({ employeeId: 'e-2', cellPhone: '+12125550102' });
    store.transact((document) => {
      document.drafts.push(kept);
    });
    store.transact((document) => {
      document.drafts.push(discarded);
    });
    store.transact((document) => {
      document.drafts.splice(1, 1);
    });
    const lines = readFileSync(journal, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    writeFileSync(journal, cut(lines).join('\n'));

    const reopened = openDraftStore(options());
    expect(reopened.drafts().map((draft) => draft.cellPhone)).not.toContain('+12125550102');
    expect(reopened.problem).toMatch(/older copy/);
  });
});
