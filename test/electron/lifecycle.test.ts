import { app, BrowserWindow, electronStub, resetElectronStub } from './electron-stub';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSingleInstance, installGracefulQuit } from '../../src/main/electron/lifecycle';
import { hideOnClose, showWindow, toggleWindow } from '../../src/main/electron/window';
import { captureLog } from '../support/log-capture';

import { FakeBridge } from './fakes';

const beforeQuit = () => {
  let prevented = false;
  app.emit('before-quit', { preventDefault: () => (prevented = true) });
  return prevented;
};

describe('single instance', () => {
  beforeEach(() => resetElectronStub());
  afterEach(() => resetElectronStub());

  it('quits at once when another instance holds the lock', () => {
    electronStub.singleInstanceLock = false;
    let shown = 0;
    expect(claimSingleInstance(app, () => shown++)).toBe(false);
    expect(app.quitCalls).toBe(1);
    app.emit('second-instance');
    expect(shown).toBe(0);
  });

  it('shows the window when a second launch is attempted', () => {
    const window = new BrowserWindow();
    expect(claimSingleInstance(app, () => showWindow(window))).toBe(true);
    expect(window.isVisible()).toBe(false);
    app.emit('second-instance', {}, ['Dialler Bridge.exe'], 'C:\\');
    expect(window.isVisible()).toBe(true);
    expect(app.quitCalls).toBe(0);
  });

  it('hands the second launch’s arguments (a clicked tel: link) to the first instance', () => {
    const launches: (readonly string[])[] = [];
    claimSingleInstance(app, (argv) => launches.push(argv));
    app.emit('second-instance', {}, ['Dialler Bridge.exe', 'tel:+442079460018'], 'C:\\');
    app.emit('second-instance');
    expect(launches).toEqual([['Dialler Bridge.exe', 'tel:+442079460018'], []]);
    expect(app.quitCalls).toBe(0);
  });

  it('keeps running when every window is closed (tray app)', () => {
    claimSingleInstance(app, () => undefined);
    expect(app.listenerCount('window-all-closed')).toBe(1);
  });
});

describe('graceful quit', () => {
  beforeEach(() => resetElectronStub());
  afterEach(() => resetElectronStub());

  it('holds the quit until the bridge has stopped, then quits for real', async () => {
    const bridge = new FakeBridge();
    let release!: () => void;
    const stopped = new Promise<void>((resolve) => (release = resolve));
    const quit = installGracefulQuit(
      app,
      async () => {
        await stopped;
        await bridge.stop();
      },
      captureLog().logger,
    );

    expect(beforeQuit()).toBe(true);
    expect(quit.quitting).toBe(true);
    expect(beforeQuit()).toBe(true); // a second Quit click while stopping changes nothing
    expect(bridge.stopped).toBe(false);
    expect(app.quitCalls).toBe(0);

    release();
    await stopped;
    await new Promise((resolve) => setImmediate(resolve));
    expect(bridge.stopped).toBe(true);
    expect(app.quitCalls).toBe(1);
    expect(beforeQuit()).toBe(false); // the real quit goes through
  });

  it('still quits when stopping fails, and logs why', async () => {
    const logged = captureLog();
    installGracefulQuit(app, () => Promise.reject(new Error('PBX did not answer')), logged.logger);
    beforeQuit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.quitCalls).toBe(1);
    expect(logged.text()).toContain('PBX did not answer');
  });
});

describe('window behaviour', () => {
  beforeEach(() => resetElectronStub());

  it('hides to the tray on close, and closes for real while quitting', () => {
    const window = new BrowserWindow();
    let quitting = false;
    hideOnClose(window, () => quitting);
    window.show();
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(window.isVisible()).toBe(false);
    quitting = true;
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });

  it('toggles between shown and hidden from the tray', () => {
    const window = new BrowserWindow();
    toggleWindow(window);
    expect(window.isVisible()).toBe(true);
    toggleWindow(window);
    expect(window.isVisible()).toBe(false);
  });
});
