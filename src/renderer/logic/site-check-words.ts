import type { SiteCheckStepStatus } from '../../shared/site-check';
import type { Tone } from './tone';

/** The badge of a step: words and tone. */
export const STEP_BADGE: Record<SiteCheckStepStatus, { text: string; tone: Tone }> = {
  pending: { text: 'Waiting', tone: 'idle' },
  running: { text: 'Checking…', tone: 'busy' },
  passed: { text: 'OK', tone: 'ok' },
  failed: { text: 'Problem', tone: 'error' },
  skipped: { text: 'Skipped', tone: 'idle' },
  'not-applicable': { text: 'Not applicable', tone: 'idle' },
};
