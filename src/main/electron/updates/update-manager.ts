// Auto-update (electron-updater, generic provider) as IT's machine policy allows: off unless a feed URL is
// configured, never installed while a call is live, and the user told before the app restarts.
import type { Logger } from '../../engine/log/logger';
import type { MachinePolicy } from '../settings/machine-policy';
import type { DesktopNotification } from '../notifications';

/** The part of electron-updater's autoUpdater used here; tests pass a fake (never the network). */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateManagerDeps {
  updater: UpdaterPort;
  policy: MachinePolicy['updates'];
  callLive(): boolean;
  notify(notification: DesktopNotification): void;
  /** setTimeout in the app; returns the cancel function. */
  schedule(run: () => void, ms: number): () => void;
  log: Logger;
}

export const CHECK_EVERY_MS = 6 * 60 * 60_000;
/** How long the "restarting to update" notice stands before the restart. */
export const RESTART_NOTICE_MS = 60_000;

type Phase = 'off' | 'idle' | 'waiting-for-call' | 'restarting';

export class UpdateManager {
  private phase: Phase = 'off';
  private ready: string | null = null;
  private cancelRestart: (() => void) | null = null;
  private cancelCheck: (() => void) | null = null;

  constructor(private readonly deps: UpdateManagerDeps) {}

  get state(): Phase {
    return this.phase;
  }

  /** Configures the feed and checks now and every few hours; does nothing when the policy says off. */
  start(): void {
    const { updater, policy, log } = this.deps;
    if (policy === 'off') {
      log.info('updates are off (no update feed in the machine policy)');
      return;
    }
    this.phase = 'idle';
    updater.autoDownload = true;
    // Installing is ours to time (never mid-call), not the quit's.
    updater.autoInstallOnAppQuit = false;
    updater.setFeedURL({ provider: 'generic', url: policy.url, channel: policy.channel });
    updater.on('update-available', ({ version }) => {
      log.info('update available, downloading', { version });
      this.tell(
        `Update ${version} is downloading`,
        'It installs when no call is live; you will be told first.',
      );
    });
    updater.on('update-downloaded', ({ version }) => {
      this.ready = version;
      this.installWhenIdle();
    });
    updater.on('error', (error) => log.warn('update check failed', { error }));
    log.info('updates on', { url: policy.url, channel: policy.channel });
    this.check();
  }

  /** Call from every snapshot: a call that ended may let a waiting update install. */
  callStateChanged(): void {
    if (this.phase === 'waiting-for-call' && !this.deps.callLive()) this.installWhenIdle();
  }

  private check(): void {
    this.deps.updater
      .checkForUpdates()
      .catch((error: unknown) => this.deps.log.warn('update check failed', { error }));
    this.cancelCheck = this.deps.schedule(() => this.check(), CHECK_EVERY_MS);
  }

  private installWhenIdle(): void {
    const version = this.ready;
    if (version === null || this.phase === 'restarting') return;
    if (this.deps.callLive()) {
      if (this.phase !== 'waiting-for-call') {
        this.deps.log.info('update ready; waiting for the live call to end', { version });
        this.tell(`Update ${version} is ready`, 'It installs after the current call ends.');
      }
      this.phase = 'waiting-for-call';
      return;
    }
    this.phase = 'restarting';
    this.tell(
      `Dialler Bridge restarts in a minute`,
      `Installing update ${version}. It starts again on its own; a call placed meanwhile postpones it.`,
    );
    this.cancelRestart = this.deps.schedule(() => this.restart(version), RESTART_NOTICE_MS);
  }

  private restart(version: string): void {
    this.cancelRestart = null;
    if (this.deps.callLive()) {
      // A call started during the notice: wait for it to end, then tell the user again.
      this.phase = 'idle';
      this.installWhenIdle();
      return;
    }
    this.deps.log.info('restarting to install the update', { version });
    this.deps.updater.quitAndInstall(true, true);
  }

  /** On quit: no check or restart fires any more. */
  stop(): void {
    this.cancelCheck?.();
    this.cancelRestart?.();
  }

  private tell(title: string, body: string): void {
    this.deps.notify({ title, body, silent: true });
  }
}
