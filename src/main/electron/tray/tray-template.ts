import type { MenuItemConstructorOptions } from 'electron';
import { describeCall, describePatriot, describePbx, liveCall, type TrayState } from './tray-state';

export interface TrayActions {
  switchProfile(profileId: string): void;
  retryPbx(): void;
  showWindow(): void;
  copyApiKey(): void;
  trustCertificate(): void;
  setStartAtLogin(enabled: boolean): void;
  setDialHotkey?(enabled: boolean): void;
  openLogsFolder(): void;
  saveDiagnosticTrace(): void;
  quit(): void;
}

/** The tray's context menu, as a pure function of state so tests can read it without a real Tray. */
export function buildTrayTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const { snapshot } = state;
  const call = liveCall(snapshot);
  const status: MenuItemConstructorOptions[] = [
    { label: describePatriot(snapshot), enabled: false },
    { label: describePbx(snapshot), enabled: false },
    ...(call ? [{ label: describeCall(call), enabled: false }] : []),
    ...(snapshot.pbx.link.status === 'auth-failed' || snapshot.pbx.link.status === 'offline'
      ? [{ label: 'Retry PBX connection now', click: () => actions.retryPbx() }]
      : []),
  ];
  const profiles: MenuItemConstructorOptions[] = snapshot.profiles.map(
    (profile): MenuItemConstructorOptions => ({
      label: profile.name,
      type: 'radio',
      checked: profile.id === snapshot.activeProfileId,
      click: () => {
        if (profile.id !== snapshot.activeProfileId) actions.switchProfile(profile.id);
      },
    }),
  );
  const showTrust = snapshot.patriot.mode === 'server' && state.certificateTrusted !== true;
  return [
    ...status,
    { type: 'separator' },
    ...profiles,
    { type: 'separator' },
    { label: 'Show window', click: () => actions.showWindow() },
    { label: 'Copy API key', click: () => actions.copyApiKey() },
    ...(showTrust ? [{ label: 'Trust certificate…', click: () => actions.trustCertificate() }] : []),
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: state.startAtLogin,
      click: () => actions.setStartAtLogin(!state.startAtLogin),
    },
    ...(state.dialHotkey ? [dialHotkeyItem(state.dialHotkey, actions)] : []),
    { label: 'Open logs folder', click: () => actions.openLogsFolder() },
    { label: 'Save diagnostic trace', click: () => actions.saveDiagnosticTrace() },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}

function dialHotkeyItem(
  hotkey: { accelerator: string; enabled: boolean },
  actions: TrayActions,
): MenuItemConstructorOptions {
  return {
    label: `Dial the clipboard with ${hotkey.accelerator.replace('CommandOrControl', 'Ctrl')}`,
    type: 'checkbox',
    checked: hotkey.enabled,
    click: () => actions.setDialHotkey?.(!hotkey.enabled),
  };
}
