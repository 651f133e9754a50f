// Types shared by the engine, the Electron main process, the preload and the renderer.
// Plain data only: everything here crosses IPC as structured-clone-able values.

/** Link state of one connection (a PBX adapter or the Patriot endpoint). */
export type LinkState =
  | { status: 'connecting'; attempt: number; lastError?: string }
  | { status: 'online'; detail?: string }
  | { status: 'offline'; reason: string; retryAt?: number }
  | { status: 'auth-failed'; reason: string }
  | { status: 'stopped' };

export type LinkStatus = LinkState['status'];

export type CallDirection = 'outbound' | 'inbound';
export type CallPhase = 'dialing' | 'ringing' | 'connected' | 'ended';

/** Why a call ended, normalised across PBXs. `detail` on the call keeps the PBX's own words. */
export type CallOutcome =
  | 'completed'
  | 'busy'
  | 'no-answer'
  | 'cancelled'
  | 'unreachable'
  | 'rejected'
  | 'invalid-number'
  | 'failed'
  | 'link-lost';

/** One call of the operator, as the UI and the call log see it. */
export interface CallView {
  id: string;
  profileId: string;
  direction: CallDirection;
  phase: CallPhase;
  remoteNumber: string | null;
  startedAt: number;
  connectedAt: number | null;
  endedAt: number | null;
  outcome: CallOutcome | null;
  /** Operator-facing explanation of the outcome (e.g. "Busy", "Number blocked by dial rules: 0900*"). */
  detail: string | null;
  /** Who asked for a dialled call: "patriot", "window", "tel-link", "hotkey"… (absent for calls not dialled here). */
  source?: string;
}

/** What Patriot is told in `call-status-update`. */
export interface PatriotCallStatus {
  callActive: boolean;
  outbound?: boolean;
  callerId?: string;
}

export interface PatriotPeerView {
  id: string;
  /** "server" connections are Patriot clients that connected in; "client" is our outbound link. */
  kind: 'inbound' | 'outbound';
  authenticated: boolean;
  /** init-request userName, or the remote address. */
  label: string;
  since: number;
}

export interface PatriotView {
  mode: 'server' | 'client';
  /** Where Patriot should connect (server mode) or where we connect (client mode). */
  endpoint: string;
  link: LinkState;
  peers: PatriotPeerView[];
}

export interface ProfileSummary {
  id: string;
  name: string;
  type: string;
}

export interface PbxView {
  profile: ProfileSummary;
  link: LinkState;
  /** Warnings the user should see (e.g. certificate checks disabled). */
  warnings: string[];
}

/** A failure an operator must know about, kept for the window and tray notifications. */
export interface BridgeNotice {
  at: number;
  level: 'info' | 'warning' | 'error';
  kind:
    | 'dial-failed'
    | 'pbx-offline'
    | 'pbx-auth-failed'
    | 'patriot-auth-failed'
    | 'inbound-call'
    | 'config'
    | 'other';
  message: string;
}

/** Everything the window and the tray need to draw themselves. */
export interface BridgeSnapshot {
  patriot: PatriotView;
  pbx: PbxView;
  profiles: ProfileSummary[];
  activeProfileId: string;
  /** Live calls of the operator, newest first. */
  calls: CallView[];
  /** The call that ended last, with its outcome and the PBX's reason, so the window can say why. */
  lastEndedCall: CallView | null;
  patriotStatus: PatriotCallStatus;
  lastNotice: BridgeNotice | null;
  /** Why the call log cannot be written right now (full or read-only disk); null while it can. */
  callLogProblem: string | null;
}

/** One line of the call log (JSON lines in dataDir). */
export interface CallLogEntry {
  id: string;
  profileId: string;
  direction: CallDirection;
  number: string | null;
  startedAt: string;
  connectedAt: string | null;
  endedAt: string;
  durationSec: number;
  /** Talk time: from connect to end; 0 when never connected. */
  talkSec: number;
  outcome: CallOutcome;
  detail: string | null;
  /** Who asked for a dialled call (see CallView.source). */
  source?: string;
}
