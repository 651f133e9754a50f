// "Check this PC": certificate, Patriot reachability, PBX link, optional test dial, in that order, with
// progress after every change. The engine runs it against a running bridge; no step needs Electron.
import {
  SITE_CHECK_ORDER,
  SITE_CHECK_TITLES,
  stepFailed,
  type SiteCheckReport,
  type SiteCheckStep,
} from '../../../shared/site-check';
import type { BridgeController } from '../bridge/controller';
import { checkCertificate, type CertificateChecker, type CertificateTrustScope } from './certificate-step';
import { checkPatriot } from './patriot-step';
import { checkPbx } from './pbx-step';
import { reportText, scrubSecrets } from './report-text';
import type { StepResult } from './step-result';
import { testDial } from './test-dial-step';

export interface SiteCheckDeps {
  bridge: Pick<BridgeController, 'snapshot' | 'subscribe' | 'dial' | 'hangup' | 'patriotSetup'>;
  certificates: CertificateChecker;
  /** The API key Patriot is given (server mode). */
  apiKey(): Promise<string>;
  /** Every secret of the configuration: none may appear in the report. */
  secrets(): Promise<readonly string[]>;
  /** Lines about the system for the report (app version, OS...). */
  about?: string[];
  readText?: (file: string) => Promise<string>;
  now?: () => Date;
  timeouts?: Partial<SiteCheckTimeouts>;
}

export interface SiteCheckTimeouts {
  /** Connecting and authenticating as Patriot, or waiting for the client-mode link. */
  patriotMs: number;
  /** Waiting for a PBX link that is still connecting. */
  pbxMs: number;
  /** Waiting for the test call to be answered or end. */
  dialMs: number;
}

const DEFAULT_TIMEOUTS: SiteCheckTimeouts = { patriotMs: 10_000, pbxMs: 15_000, dialMs: 60_000 };

export interface SiteCheckOptions {
  /** Test dial to this number; none = the step is skipped. */
  dialNumber?: string;
}

export type SiteCheckProgress = (steps: SiteCheckStep[]) => void;

export async function runSiteCheck(
  deps: SiteCheckDeps,
  options: SiteCheckOptions = {},
  onProgress: SiteCheckProgress = () => undefined,
): Promise<SiteCheckReport> {
  const now = deps.now ?? (() => new Date());
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const startedAt = now().toISOString();
  const secrets = await deps.secrets();
  const steps: SiteCheckStep[] = SITE_CHECK_ORDER.map((id) => ({
    id,
    title: SITE_CHECK_TITLES[id],
    status: 'pending',
    detail: '',
  }));
  const publish = () => onProgress(steps.map((step) => ({ ...step })));
  const run = async (index: number, work: () => Promise<StepResult>): Promise<StepResult> => {
    steps[index] = { ...steps[index]!, status: 'running', detail: 'Checking…' };
    publish();
    let result: StepResult;
    try {
      result = await work();
    } catch (error) {
      result = { status: 'failed', detail: `The check itself failed: ${(error as Error).message}` };
    }
    steps[index] = { ...steps[index]!, ...result, detail: scrubSecrets(result.detail, secrets) };
    publish();
    return result;
  };

  let scope: CertificateTrustScope = 'untrusted';
  await run(0, async () => {
    const result = await checkCertificate(deps.bridge.patriotSetup(), deps.certificates);
    scope = result.scope;
    return { status: result.status, detail: result.detail };
  });
  await run(1, () =>
    checkPatriot(
      { bridge: deps.bridge, apiKey: deps.apiKey, readText: deps.readText, timeoutMs: timeouts.patriotMs },
      scope,
    ),
  );
  await run(2, () => checkPbx(deps.bridge, timeouts.pbxMs));
  const number = options.dialNumber?.trim();
  await run(3, async () =>
    number
      ? testDial(deps.bridge, number, timeouts.dialMs)
      : { status: 'skipped', detail: 'No number given.' },
  );

  const passed = !steps.some(stepFailed);
  const finishedAt = now().toISOString();
  const text = reportText({ startedAt, finishedAt, passed, steps, about: aboutLines(deps) }, secrets);
  return { startedAt, finishedAt, passed, steps: steps.map((step) => ({ ...step })), text };
}

function aboutLines(deps: SiteCheckDeps): string[] {
  const snapshot = deps.bridge.snapshot();
  const { profile } = snapshot.pbx;
  return [
    ...(deps.about ?? []),
    `Patriot mode: ${snapshot.patriot.mode}, endpoint ${snapshot.patriot.endpoint || 'not running'}`,
    `PBX profile: ${profile.name} (${profile.type}, id ${profile.id})`,
  ];
}
