// The site check ("Check this PC"): its steps and report, as the engine, main process and window share them.

export type SiteCheckStepId = 'certificate' | 'patriot' | 'pbx' | 'test-dial';

/** `not-applicable` and `skipped` do not fail the check. */
export type SiteCheckStepStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'not-applicable';

export interface SiteCheckStep {
  id: SiteCheckStepId;
  title: string;
  status: SiteCheckStepStatus;
  /** What was found, in the operator's words (with the reason when it failed). Never a secret. */
  detail: string;
}

export interface SiteCheckReport {
  /** ISO times. */
  startedAt: string;
  finishedAt: string;
  /** True when no step failed. */
  passed: boolean;
  steps: SiteCheckStep[];
  /** The report as plain text for the support desk (no secrets). */
  text: string;
}

export const SITE_CHECK_TITLES: Record<SiteCheckStepId, string> = {
  certificate: 'Bridge certificate trusted by Windows',
  patriot: 'Patriot can reach the bridge',
  pbx: 'PBX link and login',
  'test-dial': 'Test dial',
};

export const SITE_CHECK_ORDER: readonly SiteCheckStepId[] = ['certificate', 'patriot', 'pbx', 'test-dial'];

/** A step that ran and failed fails the whole check. */
export function stepFailed(step: SiteCheckStep): boolean {
  return step.status === 'failed';
}
