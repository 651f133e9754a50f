// The main-process side of DiallerApi: what the window (over IPC) and the tray ask for.
import type { BridgeSnapshot, CallLogEntry } from '../../shared/bridge-types';
import type {
  ActionResult,
  CertificateInfo,
  ProfileSettingsInput,
  SaveReportResult,
  SaveResult,
  SettingsView,
  TraceResult,
  SiteCheckRequest,
} from '../../shared/ipc-contract';
import type { SiteCheckReport } from '../../shared/site-check';
import type { BridgeController } from '../engine/bridge/controller';
import type { Logger } from '../engine/log/logger';
import type { CertificateTrust } from './certificate-trust';
import type { InvokeApi } from './ipc/register-ipc';
import type { SiteCheckService } from './site-check-service';
import type { PatriotSettingsInput, SettingsSource } from './settings/settings-source';

export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

export interface DiallerServiceDeps {
  bridge: BridgeController;
  settings: SettingsSource;
  certificates: Pick<CertificateTrust, 'info' | 'trust'>;
  clipboard: { writeText(text: string): void };
  loginItem: LoginItem;
  /** `shell.openPath`: resolves to an error message, or '' on success. */
  openPath(target: string): Promise<string>;
  logsDir: string;
  /** Writes the diagnostic trace into the logs folder. */
  saveTrace(dir: string): { file: string; lines: number };
  log: Logger;
  siteCheck: Pick<SiteCheckService, 'run' | 'copy' | 'save'>;
  /** Something the tray shows changed (start at login, certificate trust). */
  onDesktopStateChange?(): void;
  /** Problems found while loading the saved settings (a profile left out...), for the user. */
  reportProblems?(problems: string[]): void;
}

const failure = (message: string): ActionResult => ({ ok: false, message });

export class DiallerService implements InvokeApi {
  private certificateTrusted: boolean | null = null;

  constructor(private readonly deps: DiallerServiceDeps) {}

  /** Last known trust state, for the tray. */
  get trusted(): boolean | null {
    return this.certificateTrusted;
  }

  get startAtLogin(): boolean {
    return this.deps.loginItem.get();
  }

  getSnapshot(): Promise<BridgeSnapshot> {
    return Promise.resolve(this.deps.bridge.snapshot());
  }

  dial(number: string): Promise<ActionResult> {
    return this.deps.bridge.dial(number, 'window');
  }

  hangup(): Promise<ActionResult> {
    return this.deps.bridge.hangup('window');
  }

  async switchProfile(profileId: string): Promise<ActionResult> {
    const result = await this.deps.bridge.switchProfile(profileId);
    if (result.ok) await this.deps.settings.rememberActiveProfile(profileId);
    return result;
  }

  async retryPbx(): Promise<ActionResult> {
    return this.deps.bridge.retryPbx();
  }

  getRecentCalls(limit: number): Promise<CallLogEntry[]> {
    return this.deps.bridge.recentCalls(limit);
  }

  async getSettings(): Promise<SettingsView> {
    return { ...(await this.deps.settings.view()), startAtLogin: this.deps.loginItem.get() };
  }

  async saveProfile(profile: ProfileSettingsInput): Promise<SaveResult> {
    const result = await this.deps.settings.saveProfile(profile);
    return result.ok ? this.applied(await this.reconfigure()) : result;
  }

  async deleteProfile(profileId: string): Promise<ActionResult> {
    const result = await this.deps.settings.deleteProfile(profileId);
    return result.ok ? this.reconfigure() : result;
  }

  async savePatriotSettings(settings: PatriotSettingsInput): Promise<SaveResult> {
    const result = await this.deps.settings.savePatriotSettings(settings);
    return result.ok ? this.applied(await this.reconfigure()) : result;
  }

  async copyApiKey(): Promise<ActionResult> {
    this.deps.clipboard.writeText(await this.deps.settings.apiKey());
    this.deps.log.info('API key copied to the clipboard');
    return { ok: true };
  }

  async regenerateApiKey(): Promise<ActionResult> {
    const result = await this.deps.settings.regenerateApiKey();
    return result.ok ? this.reconfigure() : result;
  }

  async getCertificateInfo(): Promise<CertificateInfo> {
    const info = await this.deps.certificates.info(this.deps.bridge.patriotSetup());
    this.noteTrust(info.trusted);
    return info;
  }

  async trustCertificate(): Promise<ActionResult> {
    const result = await this.deps.certificates.trust(this.deps.bridge.patriotSetup());
    if (result.ok) this.noteTrust(true);
    return result;
  }

  setStartAtLogin(enabled: boolean): Promise<ActionResult> {
    this.deps.loginItem.set(enabled);
    this.deps.onDesktopStateChange?.();
    return Promise.resolve({ ok: true });
  }

  async openLogsFolder(): Promise<ActionResult> {
    const error = await this.deps.openPath(this.deps.logsDir);
    return error ? failure(`Could not open the logs folder: ${error}`) : { ok: true };
  }

  saveDiagnosticTrace(): Promise<TraceResult> {
    try {
      const saved = this.deps.saveTrace(this.deps.logsDir);
      this.deps.log.info('diagnostic trace saved', saved);
      return Promise.resolve({ ok: true, ...saved });
    } catch (error) {
      this.deps.log.warn('diagnostic trace not saved', { error });
      const reason = error instanceof Error ? error.message : String(error);
      return Promise.resolve({ ok: false, message: `Could not save the diagnostic trace: ${reason}` });
    }
  }

  runSiteCheck(request: SiteCheckRequest): Promise<SiteCheckReport> {
    return this.deps.siteCheck.run(request);
  }

  copySiteCheckReport(): Promise<ActionResult> {
    return this.deps.siteCheck.copy();
  }

  saveSiteCheckReport(): Promise<SaveReportResult> {
    return this.deps.siteCheck.save();
  }

  /** Hands the saved settings to the running bridge. */
  private async reconfigure(): Promise<ActionResult> {
    try {
      const { config, problems } = await this.deps.settings.loadConfig();
      await this.deps.bridge.reconfigure(config);
      if (problems.length) this.deps.reportProblems?.(problems);
      return { ok: true };
    } catch (error) {
      this.deps.log.error('could not apply the saved settings', { error });
      return failure(`Saved, but the bridge could not apply the settings: ${(error as Error).message}`);
    }
  }

  private applied(result: ActionResult): SaveResult {
    return result.ok ? result : { ...result, fieldErrors: {} };
  }

  private noteTrust(trusted: boolean | null): void {
    if (trusted === this.certificateTrusted) return;
    this.certificateTrusted = trusted;
    this.deps.onDesktopStateChange?.();
  }
}
