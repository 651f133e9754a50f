import type { SiteCheckStepStatus } from '../../../shared/site-check';

/** What one step found (the runner adds id and title). */
export interface StepResult {
  status: Exclude<SiteCheckStepStatus, 'pending' | 'running'>;
  detail: string;
}
