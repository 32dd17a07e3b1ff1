import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { waitForTransitions } from './admin-app';

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is now; returns the serious and critical violations, readably. */
export async function seriousViolations(page: Page, include?: string): Promise<AxeFinding[]> {
  // Colours mid-fade are neither the old nor the new ones: check the settled page.
  await waitForTransitions(page);
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
    }));
}
