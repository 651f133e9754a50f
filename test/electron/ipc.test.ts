import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrowserWindow, FakeWebContents, ipcMain, resetElectronStub } from './electron-stub';
import { INVOKE_CHANNELS, IPC_PREFIX } from '../../src/shared/ipc-contract';
import {
  pushNotice,
  pushSiteCheckProgress,
  pushSnapshot,
  registerInvokeHandlers,
  type InvokeApi,
} from '../../src/main/electron/ipc/register-ipc';
import { INVOKE_ARGS } from '../../src/main/electron/ipc/invoke-args';
import { TrustedSenders } from '../../src/main/electron/ipc/trusted-senders';
import { captureLog } from '../support/log-capture';

import { makeSnapshot } from './fakes';

const rendererFile = path.resolve('/app/out/renderer/index.html');
const ourPage = pathToFileURL(rendererFile).href;

/** An InvokeApi whose every method records its call and answers ok. */
function recordingApi(): { api: InvokeApi; calls: { name: string; args: unknown[] }[] } {
  const calls: { name: string; args: unknown[] }[] = [];
  const api = Object.fromEntries(
    INVOKE_CHANNELS.map((name) => [
      name,
      (...args: unknown[]) => {
        calls.push({ name, args });
        return Promise.resolve({ ok: true });
      },
    ]),
  ) as unknown as InvokeApi;
  return { api, calls };
}

describe('IPC handlers', () => {
  let window: BrowserWindow;
  let senders: TrustedSenders;
  let recorded: ReturnType<typeof recordingApi>;
  let logged: ReturnType<typeof captureLog>;

  beforeEach(() => {
    resetElectronStub();
    window = new BrowserWindow();
    senders = new TrustedSenders({
      windowOf: (sender) => BrowserWindow.fromWebContents(sender),
      rendererFile,
    });
    senders.trust(window);
    recorded = recordingApi();
    logged = captureLog();
    registerInvokeHandlers({ ipcMain, senders, api: recorded.api, log: logged.logger });
  });
  afterEach(() => resetElectronStub());

  const eventFrom = (sender: { id: number }, url: string | null = ourPage) => ({
    sender,
    senderFrame: url === null ? null : { url },
  });

  it('registers exactly one handler per invoke channel', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      INVOKE_CHANNELS.map((name) => IPC_PREFIX + name).sort(),
    );
  });

  it('passes a valid message from our window to the service', async () => {
    await expect(
      ipcMain.invoke('dialler:dial', eventFrom(window.webContents), '0123456789'),
    ).resolves.toEqual({
      ok: true,
    });
    await ipcMain.invoke('dialler:switchProfile', eventFrom(window.webContents), 'hq');
    expect(recorded.calls).toEqual([
      { name: 'dial', args: ['0123456789'] },
      { name: 'switchProfile', args: ['hq'] },
    ]);
  });

  it('refuses a webContents it never trusted, even one inside a window', async () => {
    const foreign = new BrowserWindow();
    await expect(ipcMain.invoke('dialler:dial', eventFrom(foreign.webContents), '1')).rejects.toThrow(
      /refused: unknown webContents/,
    );
    expect(recorded.calls).toEqual([]);
    expect(logged.records()).toContainEqual(
      expect.objectContaining({
        msg: 'IPC message refused',
        channel: 'dialler:dial',
        reason: 'unknown webContents',
      }),
    );
  });

  it('refuses a trusted id that no longer belongs to one of our windows', async () => {
    const detached = new FakeWebContents();
    const impostor = Object.assign(new FakeWebContents(), {});
    // Same id as our window's webContents, but not that object: fromWebContents finds no window of ours.
    Object.defineProperty(impostor, 'id', { value: window.webContents.id });
    await expect(ipcMain.invoke('dialler:hangup', eventFrom(impostor))).rejects.toThrow(
      /not one of our windows/,
    );
    await expect(ipcMain.invoke('dialler:hangup', eventFrom(detached))).rejects.toThrow(/refused/);
    expect(recorded.calls).toEqual([]);
  });

  it('refuses our window when its frame shows another page', async () => {
    for (const url of [
      'https://evil.example/index.html',
      pathToFileURL('/tmp/other/index.html').href,
      'file://remote-host/app/out/renderer/index.html',
      'not a url',
    ]) {
      await expect(ipcMain.invoke('dialler:hangup', eventFrom(window.webContents, url))).rejects.toThrow(
        /refused/,
      );
    }
    await expect(ipcMain.invoke('dialler:hangup', eventFrom(window.webContents, null))).rejects.toThrow(
      /sender frame gone/,
    );
    expect(recorded.calls).toEqual([]);
  });

  it('accepts our page with a hash or query (in-page routes)', async () => {
    await ipcMain.invoke('dialler:getSettings', eventFrom(window.webContents, `${ourPage}#/settings`));
    expect(recorded.calls).toEqual([{ name: 'getSettings', args: [] }]);
  });

  it('stops trusting a window once its webContents is destroyed', async () => {
    window.webContents.destroy();
    await expect(ipcMain.invoke('dialler:hangup', eventFrom(window.webContents))).rejects.toThrow(/refused/);
  });

  it('refuses wrong, missing and extra arguments without calling the service', async () => {
    const from = eventFrom(window.webContents);
    const bad: [string, unknown[]][] = [
      ['dialler:dial', []],
      ['dialler:dial', [42]],
      ['dialler:dial', ['']],
      ['dialler:dial', ['1'.repeat(65)]],
      ['dialler:hangup', ['extra']],
      ['dialler:getRecentCalls', [-1]],
      ['dialler:getRecentCalls', ['10']],
      ['dialler:setStartAtLogin', ['yes']],
      ['dialler:switchProfile', [{ id: 'hq' }]],
      [
        'dialler:saveProfile',
        [{ id: 'x', name: 'x', type: 'viptel', fields: { '__proto__.polluted': 1 }, secrets: {} }],
      ],
      [
        'dialler:saveProfile',
        [{ id: 'x', name: 'x', type: 'viptel', fields: {}, secrets: { password: { stored: true } } }],
      ],
      ['dialler:savePatriotSettings', [{ mode: 'both', port: 9009, allowedOrigins: [], connectUrl: null }]],
      ['dialler:runSiteCheck', []],
      ['dialler:runSiteCheck', [{ dialNumber: '' }]],
      ['dialler:runSiteCheck', [{ dialNumber: '1'.repeat(65) }]],
      ['dialler:runSiteCheck', [{ dialNumber: null, apiKey: 'x' }]],
      ['dialler:saveSiteCheckReport', ['/etc/passwd']],
      ['dialler:copySiteCheckReport', ['report text']],
    ];
    for (const [channel, args] of bad) {
      await expect(
        ipcMain.invoke(channel, from, ...args),
        `${channel} ${JSON.stringify(args)}`,
      ).rejects.toThrow(/invalid arguments/);
    }
    expect(recorded.calls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes a site check request, with or without a test number, to the service', async () => {
    const from = eventFrom(window.webContents);
    await ipcMain.invoke('dialler:runSiteCheck', from, { dialNumber: null });
    await ipcMain.invoke('dialler:runSiteCheck', from, { dialNumber: ' 0123 ' });
    await ipcMain.invoke('dialler:saveSiteCheckReport', from);
    expect(recorded.calls).toEqual([
      { name: 'runSiteCheck', args: [{ dialNumber: null }] },
      { name: 'runSiteCheck', args: [{ dialNumber: '0123' }] },
      { name: 'saveSiteCheckReport', args: [] },
    ]);
  });

  it('pushes site check progress to the window', () => {
    const steps = [
      { id: 'pbx' as const, title: 'PBX link and login', status: 'running' as const, detail: '' },
    ];
    pushSiteCheckProgress([window.webContents], steps);
    expect(window.webContents.sent).toEqual([
      { channel: 'dialler:event:site-check-progress', args: [steps] },
    ]);
  });

  it('never logs the values of refused arguments (they may be passwords)', async () => {
    await expect(
      ipcMain.invoke('dialler:saveProfile', eventFrom(window.webContents), {
        id: 'x',
        name: 'x',
        type: 'viptel',
        fields: {},
        secrets: { password: 12345678 },
      }),
    ).rejects.toThrow(/invalid arguments/);
    expect(logged.text()).toContain('IPC arguments refused');
    expect(logged.text()).not.toContain('12345678');
  });

  it('answers a failing service call with a generic error and logs it', async () => {
    recorded.api.getSettings = () => Promise.reject(new Error('disk on fire'));
    await expect(ipcMain.invoke('dialler:getSettings', eventFrom(window.webContents))).rejects.toThrow(
      /^getSettings failed$/,
    );
    expect(logged.text()).toContain('disk on fire');
  });

  it('pushes snapshots and notices to live windows only', () => {
    const closed = new BrowserWindow();
    closed.webContents.destroy();
    const snapshot = makeSnapshot();
    pushSnapshot([window.webContents, closed.webContents], snapshot);
    pushNotice([window.webContents], { at: 1, level: 'error', kind: 'dial-failed', message: 'Busy' });
    expect(window.webContents.sent.map((m) => m.channel)).toEqual([
      'dialler:event:snapshot',
      'dialler:event:notice',
    ]);
    expect(window.webContents.sent[0]!.args).toEqual([snapshot]);
    expect(closed.webContents.sent).toEqual([]);
  });
});

describe('IPC argument schema for a JSON field', () => {
  const save = (protocol: unknown) =>
    INVOKE_ARGS.saveProfile.safeParse([
      { id: 'cc', name: 'CC', type: 'harmony', fields: { protocol }, secrets: {} },
    ]).success;

  it('accepts a plain JSON object and refuses prototype keys, depth and size beyond its bounds', () => {
    expect(save({ commands: { release: 'x' }, calls: { busyStates: ['BUSY', 'FULL'] } })).toBe(true);
    expect(save(JSON.parse('{"__proto__": {"polluted": 1}}'))).toBe(false);
    expect(save({ a: { constructor: 1 } })).toBe(false);
    let deep: unknown = 1;
    for (let n = 0; n < 9; n++) deep = { d: deep };
    expect(save(deep)).toBe(false);
    expect(save({ big: 'x'.repeat(70_000) })).toBe(false);
    expect(save({ n: Number.NaN })).toBe(false);
    expect(save(new Date())).toBe(false);
  });
});
