/**
 * The child of the drafts crash trials (crash-trials.ts):
 *
 *   node --import tsx test/support/draft-writer-child.ts <file> <hexKey> <account> <startIndex> (the trials run it bundled, see bundled-child.ts)
 *
 * Opens the drafts store, prints `ready`, then writes operations until it is killed: adds, updates
 * of a draft's number and removals of the oldest draft into the history, as `planOperation` says.
 * After each `transact` has returned (the change is durable) it prints `ack <json>`. The lines go
 * out with a synchronous write to fd 1, so an ack is never held in a buffer when the kill lands.
 *
 * DRAFT_WRITER_FAULT=ack-before-write makes it lie (ack, then write), to show the trials catch it.
 */
import { writeSync } from 'node:fs';
import type { Draft } from '../../common/drafts';
import { silentLogger } from '../../electron/main/log';
import { openDraftStore, type DraftsDocument } from '../../electron/main/offline/draft-store';
import { testDraft } from './drafts';
import { phoneFor, planOperation, updateTarget, type Acknowledgement } from './crash-trials';

function say(line: string): void {
  const buffer = Buffer.from(`${line}\n`, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset, buffer.length - offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the parent to read, then write the rest.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

function newDraft(index: number): Draft {
  return testDraft({ employeeId: `e-${index}`, employee: { firstName: 'Crash', lastName: `Trial ${index}`, email: `crash-${index}@acme.test` }, cellPhone: phoneFor(index) });
}

const [file, hexKey, account, startText] = process.argv.slice(2);
if (!file || !hexKey || !account || !startText) {
  process.stderr.write('usage: draft-writer-child.ts <file> <hexKey> <account> <startIndex>\n');
  process.exit(2);
}

const store = openDraftStore({ file, key: Buffer.from(hexKey, 'hex'), account, log: silentLogger });
if (store.problem) {
  process.stderr.write(`the drafts file did not open: ${store.problem}\n`);
  process.exit(3);
}
say('ready');
const isAckBeforeWrite = process.env.DRAFT_WRITER_FAULT === 'ack-before-write';

for (let index = Number(startText); ; index++) {
  const op = planOperation(index, store.drafts().length);
  let ack: Acknowledgement;
  let mutate: (document: DraftsDocument) => void;
  if (op === 'add') {
    const draft = newDraft(index);
    mutate = (document) => {
      document.drafts.push(draft);
    };
    ack = { op, index, id: draft.id, cellPhone: draft.cellPhone };
  } else if (op === 'update') {
    const position = updateTarget(index, store.drafts().length);
    const cellPhone = phoneFor(index);
    mutate = (document) => {
      const draft = document.drafts[position]!;
      draft.cellPhone = cellPhone;
      draft.updatedAt = new Date().toISOString();
    };
    ack = { op, index, id: store.drafts()[position]!.id, cellPhone };
  } else {
    const oldest = store.drafts()[0]!;
    mutate = (document) => {
      const [draft] = document.drafts.splice(0, 1);
      // The history is newest first (common/drafts: draftsStateSchema), and the store keeps its first HISTORY_LIMIT.
      document.history.unshift({
        draftId: draft!.id,
        employeeId: draft!.employeeId,
        employee: draft!.employee,
        cellPhone: draft!.cellPhone,
        basePhone: draft!.basePhone,
        version: draft!.baseVersion + 1,
        appliedAt: new Date().toISOString(),
      });
    };
    ack = { op, index, id: oldest.id, cellPhone: oldest.cellPhone };
  }
  if (isAckBeforeWrite) say(`ack ${JSON.stringify(ack)}`);
  store.transact(mutate);
  if (!isAckBeforeWrite) say(`ack ${JSON.stringify(ack)}`);
}
