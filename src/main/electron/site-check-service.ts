// "Check this PC" in the main process: runs the engine's site check against the running bridge, keeps the
// last report, and copies or saves it (into the logs folder) without the window handing text back.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionResult, SaveReportResult, SiteCheckRequest } from '../../shared/ipc-contract';
import type { SiteCheckReport, SiteCheckStep } from '../../shared/site-check';
import { collectSecrets } from '../engine/config/secrets';
import type { Logger } from '../engine/log/logger';
import type { CertificateChecker } from '../engine/site-check/certificate-step';
import { runSiteCheck, type SiteCheckDeps } from '../engine/site-check/run-site-check';

export interface SiteCheckServiceDeps {
  bridge: SiteCheckDeps['bridge'];
  certificates: CertificateChecker;
  settings: { apiKey(): Promise<string>; loadConfig(): Promise<{ config: unknown }> };
  clipboard: { writeText(text: string): void };
  logsDir: string;
  /** App version, OS, for the report. */
  about: string[];
  log: Logger;
  progress(steps: SiteCheckStep[]): void;
  now?: () => Date;
  /** Shorter waits (tests). */
  timeouts?: SiteCheckDeps['timeouts'];
}

export class SiteCheckService {
  private last: SiteCheckReport | null = null;
  private running: Promise<SiteCheckReport> | null = null;

  constructor(private readonly deps: SiteCheckServiceDeps) {}

  /** One check at a time: a second request while one runs gets the same report. */
  run(request: SiteCheckRequest): Promise<SiteCheckReport> {
    this.running ??= this.runOnce(request).finally(() => (this.running = null));
    return this.running;
  }

  copy(): Promise<ActionResult> {
    if (!this.last) return Promise.resolve({ ok: false, message: 'Run the check first.' });
    this.deps.clipboard.writeText(this.last.text);
    return Promise.resolve({ ok: true });
  }

  async save(): Promise<SaveReportResult> {
    if (!this.last) return { ok: false, message: 'Run the check first.' };
    const stamp = this.last.startedAt.replace(/[:.]/g, '-');
    const file = path.join(this.deps.logsDir, `site-check-${stamp}.txt`);
    try {
      await mkdir(this.deps.logsDir, { recursive: true });
      await writeFile(file, this.last.text, { mode: 0o600 });
    } catch (error) {
      return { ok: false, message: `Could not save the report: ${(error as Error).message}` };
    }
    this.deps.log.info('site check report saved', { file });
    return { ok: true, file };
  }

  private async runOnce(request: SiteCheckRequest): Promise<SiteCheckReport> {
    const { deps } = this;
    deps.log.info('site check started', { testDial: request.dialNumber !== null });
    const report = await runSiteCheck(
      {
        bridge: deps.bridge,
        certificates: deps.certificates,
        apiKey: () => deps.settings.apiKey(),
        secrets: async () => [
          ...collectSecrets((await deps.settings.loadConfig()).config),
          await deps.settings.apiKey(),
        ],
        about: deps.about,
        now: deps.now,
        timeouts: deps.timeouts,
      },
      { dialNumber: request.dialNumber ?? undefined },
      deps.progress,
    );
    this.last = report;
    deps.log.info('site check finished', {
      passed: report.passed,
      steps: Object.fromEntries(report.steps.map((step) => [step.id, step.status])),
    });
    return report;
  }
}
