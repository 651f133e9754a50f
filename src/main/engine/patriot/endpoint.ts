import type { PatriotCallStatus, PatriotView } from '../../../shared/bridge-types';
import type { PatriotConfig } from '../config/schema';
import type { Logger } from '../log/logger';

/** Who sent a request, for logs and the UI. */
export interface PatriotPeerRef {
  id: string;
  label: string;
}

export interface DialRequestPayload {
  phoneNo: string;
  rawPhoneNo?: string;
}

/** What the endpoint asks of the bridge. Handlers never throw; failures come back as status updates. */
export interface PatriotRequestHandler {
  dial(request: DialRequestPayload, peer: PatriotPeerRef): void;
  hangup(peer: PatriotPeerRef): void;
  /** The status to answer a call-status-request with (and to send a peer right after it authenticates). */
  currentStatus(): PatriotCallStatus;
  /** The endpoint's view changed (peers, link state). */
  viewChanged(): void;
  /** A peer failed to authenticate (wrong key): the operator is told. */
  authFailed(peer: PatriotPeerRef, reason: string): void;
}

/** The Patriot side of the bridge: a wss server (Patriot connects in) or a client (we connect out). */
export interface PatriotEndpoint {
  start(): Promise<void>;
  /** Close every socket within a short grace period. Idempotent. */
  stop(): Promise<void>;
  /** Send `call-status-update` to every authenticated peer. */
  broadcast(status: PatriotCallStatus): void;
  view(): PatriotView;
  /** What the user needs to set Patriot up (URL, key file, certificate fingerprint). */
  setup(): PatriotSetupInfo;
}

/** Timings tests shorten; production uses the defaults. */
export interface PatriotEndpointTimings {
  /** Server mode: a connection that has not finished TLS and the WebSocket upgrade by then is cut (default 15 s). */
  upgradeTimeoutMs?: number;
  /** An unauthenticated connection is closed after this long (default 30 s). */
  authTimeoutMs?: number;
  /** ws ping interval; a peer that missed the previous pong is terminated (default 30 s). */
  pingIntervalMs?: number;
  /** Grace period for close handshakes on stop before sockets are terminated (default 1 s). */
  closeGraceMs?: number;
  /** Client mode: full-jitter reconnect backoff, first window and cap (defaults 500 ms, 30 s). */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** Client mode: wait before retrying after Patriot refused the key or its certificate did not match (default 60 s). */
  authRetryMs?: number;
}

export interface PatriotEndpointDeps {
  dataDir: string;
  handler: PatriotRequestHandler;
  log: Logger;
  timings?: PatriotEndpointTimings;
}

/** Builds the endpoint for `config.mode` (implemented in create-endpoint.ts). */
export type CreatePatriotEndpoint = (
  config: PatriotConfig,
  deps: PatriotEndpointDeps,
) => Promise<PatriotEndpoint>;

export interface PatriotSetupInfo {
  mode: 'server' | 'client';
  /** WebSocketClientDiallerUrl for Patriot (server mode). */
  url: string | null;
  /** The file that holds the generated API key, when one was generated. */
  apiKeyFile: string | null;
  /** SHA-256 fingerprint of the certificate the bridge serves (server mode). */
  certificateFingerprint256: string | null;
  certificateFile: string | null;
}
