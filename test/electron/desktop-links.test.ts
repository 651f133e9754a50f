// tel:/callto: links and the dial hotkey in the wired desktop app (electron stub, fake engine).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDesktopApp, type DesktopOptions } from '../../src/main/electron/desktop-app';
import { makeTempDir } from '../support/temp-dir';
import {
  app,
  BrowserWindow,
  clipboard,
  electronStub,
  globalShortcut,
  Notification,
  resetElectronStub,
  Tray,
} from './electron-stub';
import { EventEmitter } from 'node:events';
import { FakeBridge, fakeApiKeyFile, makeCall, makeSnapshot } from './fakes';

const settle = () => new Promise((resolve) => setImmediate(resolve));
const HOTKEY = 'CommandOrControl+Alt+D';

describe('desktop app: dialling from links and the hotkey', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let bridge: FakeBridge;

  beforeEach(async () => {
    resetElectronStub();
    ({ dir, cleanup } = await makeTempDir('dialler-links-'));
    electronStub.setPath('logs', path.join(dir, 'logs'));
    electronStub.setPath('userData', path.join(dir, 'user'));
    bridge = new FakeBridge();
  });
  afterEach(async () => {
    delete (process as { resourcesPath?: string }).resourcesPath;
    resetElectronStub();
    await cleanup();
  });

  /** A packaged build reads its tray icons from process.resourcesPath (Electron sets it). */
  const packaged = () => {
    app.isPackaged = true;
    (process as { resourcesPath?: string }).resourcesPath = dir;
  };
  async function launch(overrides: Partial<DesktopOptions> = {}) {
    const desktop = runDesktopApp({
      createBridge: () => bridge,
      engineApiKey: fakeApiKeyFile(),
      machineConfigFile: path.join(dir, 'no-machine-config.json'),
      dataDir: path.join(dir, 'data'),
      argv: ['Dialler Bridge.exe'],
      consoleLog: false,
      ...overrides,
    });
    await desktop?.ready;
    return BrowserWindow.all[0]!;
  }
  async function withPolicy(policy: object) {
    const machineConfigFile = path.join(dir, 'ProgramData', 'config.json');
    await mkdir(path.dirname(machineConfigFile), { recursive: true });
    await writeFile(machineConfigFile, JSON.stringify({ policy: { userMayEditSettings: true, ...policy } }));
    return machineConfigFile;
  }
  const dials = () => bridge.calls.filter((call) => call.method === 'dial').map((call) => call.args);
  const toasts = () => Notification.shown.map((shown) => shown.options);
  const trayItem = (label: RegExp) =>
    (Tray.all[0]!.contextMenu as { template: MenuItemConstructorOptions[] }).template.find((item) =>
      label.test(item.label ?? ''),
    );

  it('a link clicked while running (Windows: second-instance argv) dials as tel-link, window stays hidden', async () => {
    const window = await launch();
    window.hide();
    app.emit('second-instance', {}, ['Dialler Bridge.exe', 'tel:+44-20-7946-0018;ext=12'], 'C:\\');
    await settle();
    expect(dials()).toEqual([['+442079460018', 'tel-link']]);
    expect(window.isVisible()).toBe(false);
    expect(toasts().at(-1)).toMatchObject({ title: 'Dialling' });
  });

  it('a second launch without a link still shows the window', async () => {
    const window = await launch();
    window.hide();
    app.emit('second-instance', {}, ['Dialler Bridge.exe'], 'C:\\');
    expect(window.isVisible()).toBe(true);
    expect(dials()).toEqual([]);
  });

  it('the link that launched the app is dialled once the bridge has started', async () => {
    const window = await launch({ argv: ['Dialler Bridge.exe', 'callto://0123456789/'] });
    await settle();
    expect(bridge.calls.map((call) => call.method).slice(0, 2)).toEqual(['start', 'dial']);
    expect(dials()).toEqual([['0123456789', 'tel-link']]);
    expect(window.isVisible()).toBe(false);
  });

  it('macOS open-url links take the same path', async () => {
    await launch();
    let prevented = false;
    app.emit('open-url', { preventDefault: () => (prevented = true) }, 'tel:020%207946%200018');
    await settle();
    expect(prevented).toBe(true);
    expect(dials()).toEqual([['02079460018', 'tel-link']]);
  });

  it('a malformed link is a notification saying why, never silence', async () => {
    await launch();
    app.emit('second-instance', {}, ['Dialler Bridge.exe', 'tel:+44-20-7946-0018;isub=1411'], 'C:\\');
    await settle();
    expect(dials()).toEqual([]);
    expect(toasts().at(-1)).toMatchObject({ title: 'Link not dialled' });
    expect(toasts().at(-1)!.body).toContain('ISDN subaddresses');
  });

  it('registers tel: and callto: for the user in a packaged app; IT can turn links off', async () => {
    packaged();
    await launch();
    expect([...app.protocolClients]).toEqual(['tel', 'callto']);

    resetElectronStub();
    electronStub.setPath('logs', path.join(dir, 'logs'));
    electronStub.setPath('userData', path.join(dir, 'user'));
    packaged();
    app.protocolClients.add('tel');
    await launch({ machineConfigFile: await withPolicy({ telLinks: false }) });
    expect(app.protocolClients.size).toBe(0);
    app.emit('second-instance', {}, ['Dialler Bridge.exe', 'tel:0123456789'], 'C:\\');
    await settle();
    expect(dials()).toEqual([]);
    expect(toasts().at(-1)!.body).toContain('turned off by your IT department');
  });

  it('a refused registration is reported', async () => {
    packaged();
    electronStub.protocolRegistrationAllowed = false;
    await launch();
    expect(toasts().some((shown) => shown.body.includes('did not register Dialler Bridge'))).toBe(true);
  });

  it('the hotkey is off by default; the tray turns it on, and it dials the clipboard as hotkey after a confirmation', async () => {
    await launch();
    expect(globalShortcut.registered.size).toBe(0);
    const item = trayItem(/^Dial the clipboard/)!;
    expect(item).toMatchObject({ label: 'Dial the clipboard with Ctrl+Alt+D', checked: false });
    item.click!({} as never, undefined, {} as never);
    expect([...globalShortcut.registered.keys()]).toEqual([HOTKEY]);
    expect(trayItem(/^Dial the clipboard/)!.checked).toBe(true);

    clipboard.writeText('Mrs Smith, 020 7946 0018');
    globalShortcut.press(HOTKEY);
    await settle();
    expect(dials()).toEqual([]);
    const confirmation = Notification.shown.at(-1)!;
    expect(confirmation.options.title).toBe('Dial 02079460018?');
    confirmation.emit('click');
    await settle();
    expect(dials()).toEqual([['02079460018', 'hotkey']]);
  });

  it('the hotkey setting is kept for the next start', async () => {
    await launch();
    trayItem(/^Dial the clipboard/)!.click!({} as never, undefined, {} as never);
    resetElectronStub();
    electronStub.setPath('logs', path.join(dir, 'logs'));
    electronStub.setPath('userData', path.join(dir, 'user'));
    await launch();
    expect([...globalShortcut.registered.keys()]).toEqual([HOTKEY]);
  });

  it('an empty clipboard gets a clear message', async () => {
    await launch();
    trayItem(/^Dial the clipboard/)!.click!({} as never, undefined, {} as never);
    globalShortcut.press(HOTKEY);
    await settle();
    expect(toasts().at(-1)).toMatchObject({ title: 'Nothing to dial' });
  });

  it('keys taken by another app are reported, the box stays unticked, and a click retries', async () => {
    globalShortcut.takenByOtherApps.add(HOTKEY);
    await launch();
    trayItem(/^Dial the clipboard/)!.click!({} as never, undefined, {} as never);
    expect(globalShortcut.registered.size).toBe(0);
    expect(toasts().at(-1)!.body).toContain('already used by another app');
    expect(trayItem(/^Dial the clipboard/)!.checked).toBe(false);
    globalShortcut.takenByOtherApps.clear();
    trayItem(/^Dial the clipboard/)!.click!({} as never, undefined, {} as never);
    expect([...globalShortcut.registered.keys()]).toEqual([HOTKEY]);
  });

  it('IT can turn the hotkey off: no tray item, no registration', async () => {
    await mkdir(path.join(dir, 'user'), { recursive: true });
    await writeFile(
      path.join(dir, 'user', 'preferences.json'),
      JSON.stringify({ dialHotkey: { enabled: true, accelerator: HOTKEY } }),
    );
    await launch({ machineConfigFile: await withPolicy({ dialHotkey: false }) });
    expect(globalShortcut.registered.size).toBe(0);
    expect(trayItem(/^Dial the clipboard/)).toBeUndefined();
  });

  describe('updates', () => {
    class FakeUpdater extends EventEmitter {
      autoDownload = false;
      autoInstallOnAppQuit = true;
      feeds: unknown[] = [];
      installs = 0;
      setFeedURL(options: unknown) {
        this.feeds.push(options);
      }
      checkForUpdates() {
        return Promise.resolve(null);
      }
      quitAndInstall() {
        this.installs++;
      }
    }

    it('are off without a feed in the machine policy: the updater is never created', async () => {
      let created = 0;
      await launch({
        createUpdater: () => {
          created++;
          return new FakeUpdater();
        },
      });
      expect(created).toBe(0);
    });

    it('follow the policy feed and wait for the live call to end before announcing the restart', async () => {
      const updater = new FakeUpdater();
      const machineConfigFile = await withPolicy({ updates: { url: 'https://updates.example.com/db/' } });
      await launch({ machineConfigFile, createUpdater: () => updater });
      expect(updater.feeds).toEqual([
        { provider: 'generic', url: 'https://updates.example.com/db/', channel: 'latest' },
      ]);
      bridge.emitSnapshot(makeSnapshot({ calls: [makeCall({ phase: 'connected' })] }));
      updater.emit('update-downloaded', { version: '0.2.0' });
      expect(toasts().at(-1)).toMatchObject({ title: 'Update 0.2.0 is ready' });
      bridge.emitSnapshot(makeSnapshot({ calls: [] }));
      expect(toasts().at(-1)).toMatchObject({ title: 'Dialler Bridge restarts in a minute' });
      expect(updater.installs).toBe(0);
    });
  });
});
