// Update decisions with electron-updater stubbed: policy off, never mid-call, the user told first.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DesktopNotification } from '../../src/main/electron/notifications';
import {
  CHECK_EVERY_MS,
  RESTART_NOTICE_MS,
  UpdateManager,
  type UpdaterPort,
} from '../../src/main/electron/updates/update-manager';
import type { MachinePolicy } from '../../src/main/electron/settings/machine-policy';
import { captureLog } from '../support/log-capture';

class FakeUpdater extends EventEmitter implements UpdaterPort {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  feeds: unknown[] = [];
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks++;
    return Promise.resolve(null);
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

describe('UpdateManager', () => {
  let updater: FakeUpdater;
  let live: boolean;
  let shown: DesktopNotification[];
  let timers: { run: () => void; ms: number; cancelled: boolean }[];

  beforeEach(() => {
    updater = new FakeUpdater();
    live = false;
    shown = [];
    timers = [];
  });

  const manager = (policy: MachinePolicy['updates']) =>
    new UpdateManager({
      updater,
      policy,
      callLive: () => live,
      notify: (notification) => shown.push(notification),
      schedule: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return () => (timer.cancelled = true);
      },
      log: captureLog().logger,
    });
  const feed = { url: 'https://updates.example.com/dialler/', channel: 'latest' };
  /** Fires the pending timers of that length, as the clock would. */
  const elapse = (ms: number) => {
    for (const timer of timers.filter((t) => t.ms === ms && !t.cancelled).splice(0)) {
      timer.cancelled = true;
      timer.run();
    }
  };

  it('does nothing at all when the policy has no update feed', () => {
    const updates = manager('off');
    updates.start();
    updater.emit('update-downloaded', { version: '9.9.9' });
    expect(updater.feeds).toEqual([]);
    expect(updater.checks).toBe(0);
    expect(updater.installs).toEqual([]);
    expect(updates.state).toBe('off');
  });

  it('uses the generic feed and channel from the policy and checks now and later', () => {
    manager({ url: feed.url, channel: 'beta' }).start();
    expect(updater.feeds).toEqual([{ provider: 'generic', url: feed.url, channel: 'beta' }]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.checks).toBe(1);
    elapse(CHECK_EVERY_MS);
    expect(updater.checks).toBe(2);
  });

  it('tells the user, waits a minute, then restarts to install when no call is live', () => {
    manager(feed).start();
    updater.emit('update-available', { version: '1.2.0' });
    expect(shown.at(-1)!.title).toBe('Update 1.2.0 is downloading');
    updater.emit('update-downloaded', { version: '1.2.0' });
    expect(shown.at(-1)!.title).toBe('Dialler Bridge restarts in a minute');
    expect(updater.installs).toEqual([]);
    elapse(RESTART_NOTICE_MS);
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('never installs during a live call: waits until the call ends', () => {
    const updates = manager(feed);
    updates.start();
    live = true;
    updater.emit('update-downloaded', { version: '1.2.0' });
    expect(shown.at(-1)!.body).toBe('It installs after the current call ends.');
    updates.callStateChanged();
    expect(timers.filter((t) => t.ms === RESTART_NOTICE_MS)).toEqual([]);
    expect(updates.state).toBe('waiting-for-call');

    live = false;
    updates.callStateChanged();
    expect(shown.at(-1)!.title).toBe('Dialler Bridge restarts in a minute');
    elapse(RESTART_NOTICE_MS);
    expect(updater.installs).toHaveLength(1);
  });

  it('a call placed during the restart notice postpones the install again', () => {
    const updates = manager(feed);
    updates.start();
    updater.emit('update-downloaded', { version: '1.2.0' });
    live = true;
    elapse(RESTART_NOTICE_MS);
    expect(updater.installs).toEqual([]);
    expect(updates.state).toBe('waiting-for-call');
    live = false;
    updates.callStateChanged();
    elapse(RESTART_NOTICE_MS);
    expect(updater.installs).toHaveLength(1);
  });

  it('a failed check is logged, not shown, and the next check still runs', () => {
    updater.checkForUpdates = () => {
      updater.checks++;
      return Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    };
    manager(feed).start();
    updater.emit('error', new Error('getaddrinfo ENOTFOUND'));
    expect(shown).toEqual([]);
    elapse(CHECK_EVERY_MS);
    expect(updater.checks).toBe(2);
  });

  it('stops its checks and a pending restart on quit', () => {
    const updates = manager(feed);
    updates.start();
    updater.emit('update-downloaded', { version: '1.2.0' });
    updates.stop();
    expect(timers.every((timer) => timer.cancelled)).toBe(true);
  });
});
