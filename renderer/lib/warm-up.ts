import type { Employee } from '../../common/api';
import { i18n, t } from '../i18n';
import { describeAttention } from './attention-text';
import { displayPhone } from './display-phone';
import { EmployeeIndex, DEFAULT_QUERY } from './employee-index';
import { formatDateTime, formatEmployeeCount } from './format';

/**
 * Work done once, the first time Manage Employees opens, done ahead while the signed-in app is idle:
 * the first use of libphonenumber (its metadata is read into its tables), of the Intl formatters (their
 * locale data is loaded) and of the view's messages (vue-i18n compiles each message the first time it
 * is shown). Unwarmed, this runs between the click and the first rows (about a third of the task that
 * shows the first page, in traces). Each step runs in an idle period of its own, so a click or a key
 * waits for one step at most, never for the whole warm-up.
 */

/** Below this many ms left in an idle period, a step waits for the next one. */
const MIN_IDLE_MS = 8;

/** Runs `steps` one per idle period, in order; the function returned stops what has not run yet. */
export function runWhenIdle(steps: readonly (() => void)[]): () => void {
  let next = 0;
  let handle: number | null = null;
  const hasIdleCallback = typeof globalThis.requestIdleCallback === 'function';
  const schedule = (): void => {
    handle = hasIdleCallback ? requestIdleCallback(run) : (setTimeout(run, 50) as unknown as number);
  };
  const run = (deadline?: IdleDeadline): void => {
    handle = null;
    if (deadline === undefined || deadline.didTimeout || deadline.timeRemaining() >= MIN_IDLE_MS) {
      const step = steps[next++];
      try {
        step?.();
      } catch {
        // A warm-up step that fails costs nothing: the same work runs (and reports) when it is needed.
      }
    }
    if (next < steps.length) schedule();
  };
  if (steps.length > 0) schedule();
  return () => {
    next = steps.length;
    if (handle === null) return;
    if (hasIdleCallback) cancelIdleCallback(handle);
    else clearTimeout(handle);
    handle = null;
  };
}

/** The message sections Manage Employees shows (the view, its filters, the grid and the words in its cells). */
const GRID_SECTIONS = ['employees', 'filters', 'grid', 'roles', 'twoFactorStatus', 'format', 'attention', 'privacy', 'reopen', 'importExport'];

/** Message keys of a section, compiled a section per step (a few hundred µs each). */
function compileSection(section: string): void {
  const messages = i18n.global.getLocaleMessage(i18n.global.locale.value) as Record<string, unknown>;
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') void i18n.global.t(path, {});
    else if (value !== null && typeof value === 'object') for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
  };
  visit(messages[section], section);
}

/** An employee as the portal lists one, with a UK mobile number (Ofcom's range for drama). */
const SAMPLE: Employee = Object.freeze({
  id: 'warm-up',
  firstName: 'Ada',
  lastName: 'Sample',
  email: 'ada.sample@example.com',
  role: 'sales',
  cellPhone: '+447700900123',
  twoFactor: Object.freeze({ status: 'active', method: 'sms' }),
  lastLoginAt: '2024-01-02T03:04:05.000Z',
  updatedAt: '2024-01-02T03:04:05.000Z',
  version: 1,
  phoneVerifiedAt: '2024-01-02T03:04:05.000Z',
}) as Employee;

/** The steps that warm what the first opening of Manage Employees uses, in the language shown. */
export function gridWarmUpSteps(companyCountry: () => string | null): (() => void)[] {
  return [
    // Intl: the number and date formats (and the regional variant of the language, a locale-data load).
    () => void formatEmployeeCount(1234),
    () => void formatDateTime(SAMPLE.lastLoginAt),
    // libphonenumber: a number checked, typed and formatted as the index and the grid do with each row.
    () => {
      const index = new EmployeeIndex();
      index.append([SAMPLE, { ...SAMPLE, id: 'warm-up-2', cellPhone: '+12025550123' }]);
      index.filter({ ...DEFAULT_QUERY, text: '7700' }, companyCountry());
    },
    () => void displayPhone(SAMPLE.cellPhone),
    () => void describeAttention(['landline', 'not_enrolled']),
    () => void t('grid.editEmployee', { name: SAMPLE.firstName }),
    ...GRID_SECTIONS.map((section) => () => compileSection(section)),
  ];
}
