// window.dialler: one function per operation, nothing else (no ipcRenderer, no channel names).
import type { IpcRendererEvent } from 'electron';
import type { BridgeNotice, BridgeSnapshot } from '../shared/bridge-types';
import type { SiteCheckStep } from '../shared/site-check';
import { EVENT_CHANNELS, IPC_PREFIX, type DiallerApi, type InvokeChannel } from '../shared/ipc-contract';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

export function createDiallerApi(ipc: IpcRendererLike): DiallerApi {
  const invoke =
    <K extends InvokeChannel>(name: K) =>
    (...args: Parameters<DiallerApi[K]>) =>
      ipc.invoke(IPC_PREFIX + name, ...args) as ReturnType<DiallerApi[K]>;

  const subscribe =
    <T>(event: string) =>
    (listener: (payload: T) => void): (() => void) => {
      const channel = IPC_PREFIX + event;
      // The renderer gets the payload only, never the IPC event (it carries `sender`).
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as T);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    };

  return {
    getSnapshot: invoke('getSnapshot'),
    onSnapshot: subscribe<BridgeSnapshot>(EVENT_CHANNELS.snapshot),
    onNotice: subscribe<BridgeNotice>(EVENT_CHANNELS.notice),
    dial: invoke('dial'),
    hangup: invoke('hangup'),
    switchProfile: invoke('switchProfile'),
    retryPbx: invoke('retryPbx'),
    getRecentCalls: invoke('getRecentCalls'),
    getSettings: invoke('getSettings'),
    saveProfile: invoke('saveProfile'),
    deleteProfile: invoke('deleteProfile'),
    savePatriotSettings: invoke('savePatriotSettings'),
    copyApiKey: invoke('copyApiKey'),
    regenerateApiKey: invoke('regenerateApiKey'),
    getCertificateInfo: invoke('getCertificateInfo'),
    trustCertificate: invoke('trustCertificate'),
    setStartAtLogin: invoke('setStartAtLogin'),
    openLogsFolder: invoke('openLogsFolder'),
    saveDiagnosticTrace: invoke('saveDiagnosticTrace'),
    runSiteCheck: invoke('runSiteCheck'),
    onSiteCheckProgress: subscribe<SiteCheckStep[]>(EVENT_CHANNELS.siteCheckProgress),
    copySiteCheckReport: invoke('copySiteCheckReport'),
    saveSiteCheckReport: invoke('saveSiteCheckReport'),
  };
}
