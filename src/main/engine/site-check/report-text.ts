import type { SiteCheckStep } from '../../../shared/site-check';

const MARK: Record<SiteCheckStep['status'], string> = {
  pending: '[ ]',
  running: '[..]',
  passed: '[OK]',
  failed: '[FAIL]',
  skipped: '[skip]',
  'not-applicable': '[n/a]',
};

export const REDACTED_IN_REPORT = '[redacted]';

export interface ReportFacts {
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  steps: SiteCheckStep[];
  /** Lines about the system (app version, OS, profile, Patriot mode). */
  about: string[];
}

/** One line for a step, as the CLI prints it and the report lists it. */
export function stepLine(step: SiteCheckStep): string {
  return `${MARK[step.status]} ${step.title}: ${step.detail}`;
}

/** The report for the support desk; every known secret is replaced, wherever it appears. */
export function reportText(facts: ReportFacts, secrets: readonly string[]): string {
  const lines = [
    `Dialler Bridge site check: ${facts.passed ? 'PASSED' : 'FAILED'}`,
    `Started ${facts.startedAt}, finished ${facts.finishedAt}`,
    ...facts.about,
    '',
    ...facts.steps.map(stepLine),
    '',
  ];
  return scrubSecrets(lines.join('\n'), secrets);
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED_IN_REPORT);
  }
  return out;
}
