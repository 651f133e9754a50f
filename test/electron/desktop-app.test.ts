// The whole main process wired together, with the electron stub and a fake engine.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/main/electron/app-identity';
import { runDesktopApp, type DesktopOptions } from '../../src/main/electron/desktop-app';
import type { RunConfig } from '../../src/main/electron/settings/bridge-config';
import type { Logger } from '../../src/main/engine/log/logger';
import type { SettingsView, TraceResult } from '../../src/shared/ipc-contract';
import type { SiteCheckReport } from '../../src/shared/site-check';
import { makeTempDir } from '../support/temp-dir';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  electronStub,
  ipcMain,
  Notification,
  resetElectronStub,
  shell,
  Tray,
} from './electron-stub';
import { FakeBridge, fakeApiKeyFile, makeCall, makeSnapshot } from './fakes';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('desktop app', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let bridge: FakeBridge;
  let started: RunConfig[];

  beforeEach(async () => {
    resetElectronStub();
    ({ dir, cleanup } = await makeTempDir('dialler-desktop-'));
    electronStub.setPath('logs', path.join(dir, 'logs'));
    electronStub.setPath('userData', path.join(dir, 'user'));
    bridge = new FakeBridge();
    started = [];
  });
  afterEach(async () => {
    resetElectronStub();
    await cleanup();
  });

  async function launch(overrides: Partial<DesktopOptions> = {}) {
    const desktop = runDesktopApp({
      createBridge: (config) => {
        started.push(config);
        return bridge;
      },
      engineApiKey: fakeApiKeyFile(),
      machineConfigFile: path.join(dir, 'no-machine-config.json'),
      dataDir: path.join(dir, 'data'),
      argv: ['Dialler Bridge.exe'],
      consoleLog: false,
      ...overrides,
    });
    await desktop?.ready;
    const window = BrowserWindow.all[0];
    return { desktop, window };
  }

  const fromWindow = (window: BrowserWindow) => ({
    sender: window.webContents,
    senderFrame: { url: window.webContents.url },
  });
  const trayMenu = () => (Tray.all[0]!.contextMenu as { template: MenuItemConstructorOptions[] }).template;

  it('starts the bridge, a locked-down window on our page, and the tray', async () => {
    const { window } = await launch();
    expect(app.appUserModelId).toBe(APP_ID);
    expect(started).toHaveLength(1);
    expect(bridge.calls.map((c) => c.method)).toContain('start');
    expect(window!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join(process.cwd(), 'out', 'preload', 'preload.cjs'),
    });
    expect(window!.loadedFile).toBe(path.join(process.cwd(), 'out', 'renderer', 'index.html'));
    expect(window!.isVisible()).toBe(true);
    expect(Tray.all).toHaveLength(1);
    expect(Tray.all[0]!.tooltip).toContain('PBX: Office (VIPTel), online');
    expect(ipcMain.handlers.size).toBeGreaterThan(10);
  });

  it('stays in the tray when started at login', async () => {
    const { window } = await launch({ argv: ['Dialler Bridge.exe', '--hidden'] });
    expect(window!.isVisible()).toBe(false);
  });

  it('does not start when another instance runs', async () => {
    electronStub.singleInstanceLock = false;
    const { desktop } = await launch();
    expect(desktop).toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(started).toEqual([]);
  });

  it('shows the window when launched a second time', async () => {
    const { window } = await launch();
    window!.hide();
    app.emit('second-instance');
    expect(window!.isVisible()).toBe(true);
  });

  it('on quit logs out of the PBX (bridge.stop) and removes the tray before exiting', async () => {
    const { window } = await launch();
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await settle();
    expect(bridge.stopped).toBe(true);
    expect(Tray.all[0]!.destroyed).toBe(true);
    expect(app.quitCalls).toBe(1);
    window!.close(); // now closes for real instead of hiding
    expect(window!.isDestroyed()).toBe(true);
  });

  it('hides the window to the tray when the user closes it', async () => {
    const { window } = await launch();
    window!.close();
    expect(window!.isDestroyed()).toBe(false);
    expect(window!.isVisible()).toBe(false);
  });

  it('pushes snapshots to the window and redraws the tray', async () => {
    const { window } = await launch();
    const snapshot = makeSnapshot({ activeProfileId: 'hq', calls: [makeCall()] });
    bridge.emitSnapshot(snapshot);
    expect(window!.webContents.sent).toContainEqual({ channel: 'dialler:event:snapshot', args: [snapshot] });
    expect(trayMenu().find((item) => item.type === 'radio' && item.checked)?.label).toBe('HQ (innovaphone)');
  });

  it('switches the PBX profile from the tray', async () => {
    await launch();
    const hq = trayMenu().find((item) => item.label === 'HQ (innovaphone)')!;
    (hq.click as () => void)();
    await settle();
    expect(bridge.calls).toContainEqual({ method: 'switchProfile', args: ['hq'] });
  });

  it('turns notices into notifications and window events (queued until the page has loaded)', async () => {
    const { window } = await launch();
    const notice = { at: 1, level: 'error' as const, kind: 'dial-failed' as const, message: 'Busy' };
    bridge.emitNotice(notice);
    expect(Notification.shown.map((n) => n.options)).toContainEqual({
      title: 'Call could not be placed',
      body: 'Busy',
      silent: true,
    });
    expect(window!.webContents.sent.filter((m) => m.channel === 'dialler:event:notice')).toEqual([]);
    window!.webContents.emit('did-finish-load');
    expect(window!.webContents.sent).toContainEqual({ channel: 'dialler:event:notice', args: [notice] });
  });

  it('serves settings to its own page and applies a saved profile to the running bridge', async () => {
    const { window } = await launch();
    const view = (await ipcMain.invoke('dialler:getSettings', fromWindow(window!))) as SettingsView;
    expect(view).toMatchObject({ lockedBy: null, activeProfileId: 'demo', startAtLogin: false });

    const result = await ipcMain.invoke('dialler:saveProfile', fromWindow(window!), {
      id: 'lab',
      name: 'Lab simulator',
      type: 'simulator',
      fields: { ringAfterMs: '100' },
      secrets: {},
    });
    expect(result).toEqual({ ok: true });
    expect(bridge.configs.at(-1)!.profiles).toContainEqual(
      expect.objectContaining({ id: 'lab', type: 'simulator', ringAfterMs: 100 }),
    );
  });

  it('saves a diagnostic trace of the debug log (secrets scrubbed) from the window and from the tray', async () => {
    let engineLog: Logger | null = null;
    const { window } = await launch({
      createBridge: (_config, deps) => {
        engineLog = deps.log;
        return bridge;
      },
    });
    engineLog!.addSecret('agent-pa55');
    engineLog!.debug('harmony: unrecognised message', { frame: 'password=agent-pa55' });

    const result = (await ipcMain.invoke('dialler:saveDiagnosticTrace', fromWindow(window!))) as TraceResult;
    if (!result.ok) throw new Error(result.message);
    expect(path.dirname(result.file)).toBe(path.join(dir, 'logs'));
    const text = await readFile(result.file, 'utf8');
    expect(text).toContain('harmony: unrecognised message');
    expect(text).not.toContain('agent-pa55');
    expect(result.lines).toBe(text.trim().split('\n').length);
    // The log file itself stays at info: the debug line is only in the trace.
    expect(await readFile(path.join(dir, 'logs', 'dialler-bridge.log'), 'utf8')).not.toContain(
      'unrecognised message',
    );
    await expect(ipcMain.invoke('dialler:saveDiagnosticTrace', fromWindow(window!), 'x')).rejects.toThrow(
      /invalid arguments/,
    );

    const item = trayMenu().find((entry) => entry.label === 'Save diagnostic trace')!;
    (item.click as () => void)();
    await settle();
    const toast = Notification.shown.at(-1)!.options as { title: string; body: string };
    expect(toast.title).toBe('Diagnostic trace saved');
    expect(toast.body).toMatch(/diagnostic-trace-.*\.log$/);
    expect(await readFile(toast.body, 'utf8')).toContain('harmony: unrecognised message');
  });

  it('refuses IPC from a page that is not ours', async () => {
    const { window } = await launch();
    await expect(
      ipcMain.invoke('dialler:getSettings', {
        sender: window!.webContents,
        senderFrame: { url: 'https://evil.example/' },
      }),
    ).rejects.toThrow(/refused/);
  });

  it('hardens every webContents: no navigation, no new windows, no permissions', async () => {
    const { window } = await launch();
    const contents = window!.webContents;
    app.emit('web-contents-created', {}, contents);
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const docs = 'https://docs.patriotsystems.com/docs/6.13/tasks-and-modules/auto-dialler/';
    expect(contents.windowOpenHandler!({ url: docs })).toEqual({ action: 'deny' });
    expect(shell.openedExternal).toEqual([docs]); // allow-listed links open in the user's browser
    let granted: boolean | null = null;
    contents.session.permissionRequestHandler!(contents, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
  });

  it('runs IT’s machine-wide config with settings locked', async () => {
    const machineConfigFile = path.join(dir, 'ProgramData', 'config.json');
    await mkdir(path.dirname(machineConfigFile), { recursive: true });
    await writeFile(
      machineConfigFile,
      JSON.stringify({ activeProfile: 'demo', profiles: [{ id: 'demo', name: 'Demo', type: 'simulator' }] }),
    );
    const { window } = await launch({ machineConfigFile });
    expect(started[0]!.profiles.map((profile) => profile.name)).toEqual(['Demo']);
    const view = (await ipcMain.invoke('dialler:getSettings', fromWindow(window!))) as SettingsView;
    expect(view.lockedBy).toContain(machineConfigFile);
  });

  it('explains an invalid machine-wide config and exits without starting', async () => {
    const machineConfigFile = path.join(dir, 'config.json');
    await writeFile(machineConfigFile, JSON.stringify({ activeProfile: 'x', profiles: [] }));
    await launch({ machineConfigFile });
    expect(started).toEqual([]);
    expect(dialog.errors[0]!.content).toContain('profiles');
    expect(app.exitCodes).toEqual([1]);
  });

  it('copies the API key Patriot needs to the clipboard', async () => {
    const { window } = await launch();
    await expect(ipcMain.invoke('dialler:copyApiKey', fromWindow(window!))).resolves.toEqual({ ok: true });
    expect(await clipboard.readText()).toBe(started[0]!.patriot.apiKeys[0]);
  });

  it('runs Check this PC over IPC: progress pushed to the window, report copied and saved in the logs folder', async () => {
    const { window } = await launch();
    // Nothing listens there: the Patriot step fails with the reason, the others still run.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    bridge.setup = { ...bridge.setup, url: `wss://127.0.0.1:${port}/ws/dialler/v1` };

    const report = (await ipcMain.invoke('dialler:runSiteCheck', fromWindow(window!), {
      dialNumber: null,
    })) as SiteCheckReport;
    expect(report.steps.map((step) => [step.id, step.status])).toEqual([
      ['certificate', 'not-applicable'],
      ['patriot', 'failed'],
      ['pbx', 'passed'],
      ['test-dial', 'skipped'],
    ]);
    expect(report.steps[1]!.detail).toMatch(/nothing is listening/);
    expect(bridge.calls.filter((call) => call.method === 'dial')).toEqual([]);
    const pushed = window!.webContents.sent.filter((m) => m.channel === 'dialler:event:site-check-progress');
    expect(pushed.length).toBe(8);

    await ipcMain.invoke('dialler:copySiteCheckReport', fromWindow(window!));
    expect(await clipboard.readText()).toBe(report.text);
    expect(report.text).not.toContain(started[0]!.patriot.apiKeys[0]);
    const saved = (await ipcMain.invoke('dialler:saveSiteCheckReport', fromWindow(window!))) as {
      ok: true;
      file: string;
    };
    expect(path.dirname(saved.file)).toBe(path.join(dir, 'logs'));
    expect(await readFile(saved.file, 'utf8')).toBe(report.text);
  });

  it('registers start at login (hidden) and ticks the tray checkbox', async () => {
    const { window } = await launch();
    await ipcMain.invoke('dialler:setStartAtLogin', fromWindow(window!), true);
    expect(app.getLoginItemSettings()).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(trayMenu().find((item) => item.label === 'Start at login')?.checked).toBe(true);
  });

  it('remembers a successful profile switch for the next start, not a failed one', async () => {
    const restart = async () => {
      resetElectronStub();
      electronStub.setPath('logs', path.join(dir, 'logs'));
      electronStub.setPath('userData', path.join(dir, 'user'));
      return (await launch()).window!;
    };
    let window = (await launch()).window!;
    const lab = { id: 'lab', name: 'Lab', type: 'simulator', fields: {}, secrets: {} };
    await ipcMain.invoke('dialler:saveProfile', fromWindow(window), lab);
    bridge.switchResult = { ok: false, message: 'PBX unreachable' };
    await expect(ipcMain.invoke('dialler:switchProfile', fromWindow(window), 'lab')).resolves.toMatchObject({
      ok: false,
    });
    window = await restart();
    expect(started.at(-1)!.activeProfile).toBe('demo');

    bridge.switchResult = { ok: true };
    await ipcMain.invoke('dialler:switchProfile', fromWindow(window), 'lab');
    await restart();
    expect(started.at(-1)!.activeProfile).toBe('lab');
  });
});
