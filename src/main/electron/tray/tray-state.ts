import type { BridgeSnapshot, CallView, LinkState } from '../../../shared/bridge-types';

export type TrayIconState = 'online' | 'offline' | 'in-call' | 'error';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['online', 'offline', 'in-call', 'error'];

/** Everything the tray draws: the bridge's snapshot plus the desktop's own switches. */
export interface TrayState {
  snapshot: BridgeSnapshot;
  startAtLogin: boolean;
  /** null when unknown or not applicable (client mode, not Windows). */
  certificateTrusted: boolean | null;
  /** The clipboard dial hotkey; absent when IT's policy turned it off. */
  dialHotkey?: { accelerator: string; enabled: boolean };
}

export function liveCall(snapshot: BridgeSnapshot): CallView | null {
  return snapshot.calls.find((call) => call.phase !== 'ended') ?? null;
}

export function trayIconState(snapshot: BridgeSnapshot): TrayIconState {
  const pbx = snapshot.pbx.link.status;
  if (pbx === 'auth-failed' || snapshot.patriot.link.status === 'auth-failed') return 'error';
  if (liveCall(snapshot)) return 'in-call';
  if (snapshot.callLogProblem) return 'error';
  return pbx === 'online' ? 'online' : 'offline';
}

export function describeLink(link: LinkState): string {
  switch (link.status) {
    case 'online':
      return 'online';
    case 'connecting':
      return link.attempt > 1 ? `connecting (attempt ${link.attempt})` : 'connecting';
    case 'offline':
      return `offline: ${link.reason}`;
    case 'auth-failed':
      return `login failed: ${link.reason}`;
    case 'stopped':
      return 'stopped';
  }
}

export function describePatriot(snapshot: BridgeSnapshot): string {
  const { patriot } = snapshot;
  if (patriot.mode === 'client') return `Patriot: ${describeLink(patriot.link)}`;
  if (patriot.link.status !== 'online') return `Patriot: ${describeLink(patriot.link)}`;
  const connected = patriot.peers.filter((peer) => peer.authenticated).length;
  return `Patriot: ${connected} connected`;
}

export function describePbx(snapshot: BridgeSnapshot): string {
  return `PBX: ${snapshot.pbx.profile.name}, ${describeLink(snapshot.pbx.link)}`;
}

export function describeCall(call: CallView): string {
  const who = call.remoteNumber ?? 'unknown number';
  const phase = call.phase === 'connected' ? 'in call' : call.phase;
  return `${call.direction === 'inbound' ? 'Incoming' : 'Outgoing'}: ${who} (${phase})`;
}

/** Windows truncates tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

export function trayTooltip(productName: string, snapshot: BridgeSnapshot): string {
  const call = liveCall(snapshot);
  const lines = [productName, describePbx(snapshot), describePatriot(snapshot)];
  if (call) lines.push(describeCall(call));
  if (snapshot.callLogProblem) lines.push('Calls are not being logged');
  const text = lines.join('\n');
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}
