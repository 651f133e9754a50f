import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeSnapshot } from '../../src/shared/bridge-types';
import { INVOKE_CHANNELS, type DiallerApi } from '../../src/shared/ipc-contract';
import { electronStub, ipcRenderer, resetElectronStub } from './electron-stub';
import { makeSnapshot } from './fakes';

// The preload runs once, at import, like in a real renderer.
resetElectronStub();
await import('../../src/preload/preload');
const exposedKeys = [...electronStub.exposed.keys()];
const exposedApi = electronStub.exposed.get('dialler') as DiallerApi | undefined;

function loadPreload(): DiallerApi {
  if (!exposedApi) throw new Error('preload exposed no window.dialler');
  return exposedApi;
}

describe('preload', () => {
  beforeEach(() => resetElectronStub());
  afterEach(() => resetElectronStub());

  it('exposes exactly window.dialler with one function per DiallerApi operation', async () => {
    const api = loadPreload();
    expect(exposedKeys).toEqual(['dialler']);
    expect(Object.keys(api).sort()).toEqual(
      [...INVOKE_CHANNELS, 'onNotice', 'onSnapshot', 'onSiteCheckProgress'].sort(),
    );
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invokes the matching channel with the arguments and returns main’s answer', async () => {
    const api = loadPreload();
    ipcRenderer.respond = (channel) =>
      channel === 'dialler:dial' ? { ok: false, message: 'Busy' } : undefined;
    await expect(api.dial('0123')).resolves.toEqual({ ok: false, message: 'Busy' });
    await api.saveProfile({ id: 'a', name: 'A', type: 'simulator', fields: {}, secrets: {} });
    await api.setStartAtLogin(true);
    expect(ipcRenderer.invocations).toEqual([
      { channel: 'dialler:dial', args: ['0123'] },
      {
        channel: 'dialler:saveProfile',
        args: [{ id: 'a', name: 'A', type: 'simulator', fields: {}, secrets: {} }],
      },
      { channel: 'dialler:setStartAtLogin', args: [true] },
    ]);
  });

  it('delivers pushed snapshots without the IPC event, until unsubscribed', async () => {
    const api = loadPreload();
    const received: BridgeSnapshot[] = [];
    const unsubscribe = api.onSnapshot((snapshot) => received.push(snapshot));
    const first = makeSnapshot();
    ipcRenderer.emit('dialler:event:snapshot', { sender: 'ipc event' }, first);
    unsubscribe();
    ipcRenderer.emit(
      'dialler:event:snapshot',
      { sender: 'ipc event' },
      makeSnapshot({ activeProfileId: 'hq' }),
    );
    expect(received).toEqual([first]);
    expect(ipcRenderer.listenerCount('dialler:event:snapshot')).toBe(0);
  });

  it('keeps other subscriptions when one unsubscribes', async () => {
    const api = loadPreload();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = api.onNotice((notice) => a.push(notice.message));
    api.onNotice((notice) => b.push(notice.message));
    stopA();
    ipcRenderer.emit(
      'dialler:event:notice',
      {},
      { at: 1, level: 'error', kind: 'dial-failed', message: 'Busy' },
    );
    expect(a).toEqual([]);
    expect(b).toEqual(['Busy']);
  });

  it('delivers site check progress, one step list per push, until unsubscribed', async () => {
    const api = loadPreload();
    const seen: string[] = [];
    const stop = api.onSiteCheckProgress((steps) => seen.push(steps.map((s) => s.status).join(',')));
    ipcRenderer.emit('dialler:event:site-check-progress', {}, [{ id: 'certificate', status: 'running' }]);
    ipcRenderer.emit('dialler:event:site-check-progress', {}, [{ id: 'certificate', status: 'passed' }]);
    stop();
    ipcRenderer.emit('dialler:event:site-check-progress', {}, [{ id: 'certificate', status: 'failed' }]);
    expect(seen).toEqual(['running', 'passed']);
    ipcRenderer.respond = (channel) =>
      channel === 'dialler:saveSiteCheckReport' ? { ok: true, file: '/logs/site-check.txt' } : undefined;
    await expect(api.saveSiteCheckReport()).resolves.toEqual({ ok: true, file: '/logs/site-check.txt' });
    await api.runSiteCheck({ dialNumber: '0123' });
    expect(ipcRenderer.invocations.map((i) => i.channel)).toEqual([
      'dialler:saveSiteCheckReport',
      'dialler:runSiteCheck',
    ]);
  });
});
