import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../../common/api';
import { compareByName } from '../../../../common/api/employee-order';
import { encodeEmployeeRows } from '../../../../common/ipc/employee-rows';
import { DEFAULT_QUERY, EmployeeIndex, type EmployeeQuery } from '../../../../renderer/lib/employee-index';
import { GRAM_WORDS, indexColumns, type IndexColumns } from '../../../../renderer/lib/index-columns';
import { answerColumns, transferablesOf, type ColumnsAnswer } from '../../../../renderer/workers/index-columns-job';
import { randomEmployee } from '../support/random-employees';
import { randomSource } from '../support/random-source';

/*
 * The offline copy's pages are indexed in a Web Worker: the worker decodes a page's row block and
 * makes its columns (search text, its bits, digits, attention), and the window adopts them. An index
 * built that way must answer every query exactly as one built in the window (a scratch build).
 */

/** Cell phones, landlines of several countries, toll-free, premium rate, a national prefix after +, none. */
const NUMBERS = ['+447700900123', '+442079460000', '+4930123456', '+33140000000', '+33612345678', '+18005550100', '+12125550100', '+390612345678', '+61291234567', '+819012345678', null];

function employees(seed: number, count: number): Employee[] {
  const random = randomSource(seed);
  return Array.from({ length: count }, (_, k) => {
    const employee = randomEmployee(random, `w-${seed}-${k}`);
    return Object.freeze({ ...employee, cellPhone: NUMBERS[Math.floor(random() * NUMBERS.length)]!, twoFactor: random() < 0.1 ? { ...employee.twoFactor, lockedOut: true } : employee.twoFactor });
  }).sort(compareByName);
}

/** What the window receives: the worker's answer after postMessage's structured clone. */
function throughTheWorker(items: readonly Employee[]): ColumnsAnswer {
  const answer = answerColumns({ id: 7, rows: encodeEmployeeRows(items) });
  return structuredClone(answer, { transfer: transferablesOf(answer) });
}

const columnsOf = (answer: ColumnsAnswer): IndexColumns => {
  if (!('columns' in answer)) throw new Error(answer.error);
  return answer.columns;
};

const QUERIES: Partial<EmployeeQuery>[] = [
  { text: 'smith' },
  { text: 'emile' },
  { text: 'zoe mull' },
  { text: 'acme.test' },
  { text: '7946' },
  { text: '+33 1' },
  { text: '030 123', sort: 'cellPhone' },
  { needsAttention: true },
  { neverVerified: true, sort: 'email', order: 'desc' },
  { role: 'sales', status: 'pending' },
  { needsAttention: true, text: 'a', sort: 'twoFactor' },
];

describe('index columns made in the worker', () => {
  it.each([1, 2, 3])('give the answers of an index built in the window, page after page (seed %i)', (seed) => {
    const rows = employees(seed, 900);
    const pages = [rows.slice(0, 100), rows.slice(100, 500), rows.slice(500)];
    const adopted = new EmployeeIndex();
    const scratch = new EmployeeIndex();
    for (const page of pages) {
      adopted.append(page, columnsOf(throughTheWorker(page)));
      scratch.append(page);
    }
    // A later page repeats a row (a newer version replaces it where it is), through its columns too.
    const newer = [Object.freeze({ ...rows[42]!, firstName: 'Zoë', cellPhone: '+442079460001', version: 2 })];
    adopted.append(newer, columnsOf(throughTheWorker(newer)));
    scratch.append(newer);

    expect(adopted.size).toBe(scratch.size);
    expect(adopted.attentionCount).toBe(scratch.attentionCount);
    // The landline check ran on some rows and found some (else this compared nothing).
    expect(Array.from(scratch.filter({ ...DEFAULT_QUERY, needsAttention: true })).length).toBeGreaterThan(0);
    const rowsOf = (index: EmployeeIndex) => Array.from({ length: index.size }, (_, position) => index.at(position));
    expect(rowsOf(adopted)).toEqual(rowsOf(scratch));
    for (const patch of QUERIES) {
      for (const country of [null, 'GB', 'DE']) {
        const query = { ...DEFAULT_QUERY, ...patch };
        expect(Array.from(adopted.filter(query, country)), `${JSON.stringify(patch)} in ${country}`).toEqual(Array.from(scratch.filter(query, country)));
      }
    }
  });

  it('are, row by row, what the window computes', () => {
    const rows = employees(4, 300);
    const fromWorker = columnsOf(throughTheWorker(rows));
    const inWindow = indexColumns(rows);
    expect(fromWorker.haystacks).toEqual(inWindow.haystacks);
    expect(fromWorker.digits).toEqual(inWindow.digits);
    expect(Array.from(fromWorker.grams)).toEqual(Array.from(inWindow.grams));
    expect(Array.from(fromWorker.attention)).toEqual(Array.from(inWindow.attention));
    expect(fromWorker.grams.length).toBe(rows.length * GRAM_WORDS);
  });

  it('a block that is not valid: an error answer, no columns', () => {
    const answer = answerColumns({ id: 3, rows: 'E1\u007f2\u007fnot enough' });
    expect(answer).toEqual({ id: 3, error: expect.stringContaining('not a block of employee rows') });
    expect(transferablesOf(answer)).toEqual([]);
  });

  it('columns that do not fit the page are not adopted: the window makes its own', () => {
    const rows = employees(5, 120);
    const wrong = indexColumns(rows.slice(1));
    const adopted = new EmployeeIndex();
    adopted.append(rows, wrong);
    const scratch = new EmployeeIndex();
    scratch.append(rows);
    expect(adopted.attentionCount).toBe(scratch.attentionCount);
    for (const patch of QUERIES) expect(Array.from(adopted.filter({ ...DEFAULT_QUERY, ...patch }))).toEqual(Array.from(scratch.filter({ ...DEFAULT_QUERY, ...patch })));
  });
});
