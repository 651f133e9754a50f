import type { BridgeNotice, BridgeSnapshot, CallLogEntry } from '../../../shared/bridge-types';
import type { BridgeConfig } from '../config/schema';
import type { PatriotSetupInfo } from '../patriot/endpoint';

// Where Patriot should connect: defined by the Patriot side, re-exported for the Electron layer.
export type { PatriotSetupInfo } from '../patriot/endpoint';

/** Result of an operator action; `message` is operator-facing. */
export type ActionOutcome = { ok: true } | { ok: false; message: string };

export interface BridgeListeners {
  /** The snapshot changed (call state, link state, peers, profile). */
  snapshot(snapshot: BridgeSnapshot): void;
  /** Something the operator must be told (dial failed, PBX offline, inbound call...). */
  notice(notice: BridgeNotice): void;
}

/**
 * The engine as the headless runner and the Electron layer use it. One instance runs one Patriot endpoint
 * and one active PBX adapter.
 */
export interface BridgeController {
  /** Listen (server mode) or connect (client mode), and start the active profile's adapter. */
  start(): Promise<void>;
  /** Log out of the PBX, close every socket and timer. Idempotent. */
  stop(): Promise<void>;
  snapshot(): BridgeSnapshot;
  /** Subscribe; returns the unsubscribe function. */
  subscribe(listeners: Partial<BridgeListeners>): () => void;
  /** Dial from the operator's phone (same path as a Patriot dial-request; `source` is for logs). */
  dial(number: string, source?: string): Promise<ActionOutcome>;
  /** Hang up the operator's live call(s). */
  hangup(source?: string): Promise<ActionOutcome>;
  /** Try the PBX connection again at once (after a refused login the adapter only retries slowly). */
  retryPbx(): ActionOutcome;
  /** Stop the current adapter (logging out) and start the profile's adapter. */
  switchProfile(profileId: string): Promise<ActionOutcome>;
  /** Apply a changed config: restarts only the parts whose settings changed. */
  reconfigure(config: BridgeConfig & { dataDir: string }): Promise<void>;
  /** Newest first. */
  recentCalls(limit: number): Promise<CallLogEntry[]>;
  /** Where Patriot should connect and which key to give it (for "Copy API key" and the README's hints). */
  patriotSetup(): PatriotSetupInfo;
}
