// Acts as Patriot against a bridge, in either of Patriot's two dialler modes:
// - `connectToBridge`: Patriot's "Websocket Client Dialler" (connects to a bridge in server mode);
// - `DesktopApiServerSim`: Patriot's "Desktop API Dialler" (waits for a bridge in client mode).
import { EventEmitter } from 'node:events';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import type { PatriotCallStatus } from '../../../shared/bridge-types';
import { apiKeyMatches } from './api-keys';
import {
  encodeFrame,
  parsePatriotFrame,
  type FrameData,
  type PatriotFrame,
  type PatriotMessage,
} from './protocol';
import { fingerprintsEqual, normalizeFingerprint256 } from '../tls/fingerprint';

export const DEFAULT_PATH = '/ws/dialler/v1';
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface AuthOutcome {
  success: boolean;
  error?: string;
}

export type SimEvent =
  | { kind: 'connected'; detail: string }
  | { kind: 'sent'; frame: PatriotFrame }
  | { kind: 'received'; message: PatriotMessage }
  | { kind: 'dropped'; reason: string }
  | { kind: 'closed'; code: number; reason: string };

/** Patriot's sanitised form of a typed number: only 0-9, +, * and # remain. */
export function sanitizePhoneNo(raw: string): string {
  return raw.replace(/[^0-9+*#]/g, '');
}

/**
 * One WebSocket between the simulated Patriot and a bridge. Emits `event` (SimEvent) for every frame
 * in or out, and keeps what it received.
 */
export class SimConnection extends EventEmitter<{ event: [SimEvent] }> {
  readonly received: PatriotMessage[] = [];
  readonly statuses: PatriotCallStatus[] = [];
  authenticated = false;
  closed: { code: number; reason: string } | null = null;

  constructor(readonly socket: WebSocket) {
    super();
    socket.on('message', (data, isBinary) => {
      const parsed = parsePatriotFrame(data as FrameData, isBinary);
      if (!parsed.ok) {
        this.emit('event', { kind: 'dropped', reason: parsed.reason });
        return;
      }
      this.received.push(parsed.message);
      if (parsed.message.type === 'call-status-update') this.statuses.push(parsed.message.payload);
      this.emit('event', { kind: 'received', message: parsed.message });
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.emit('event', { kind: 'closed', code, reason: reason.toString() });
    });
  }

  send(frame: PatriotFrame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(encodeFrame(frame));
    this.emit('event', { kind: 'sent', frame });
  }

  dial(number: string): void {
    this.send({ type: 'dial-request', payload: { phoneNo: sanitizePhoneNo(number), rawPhoneNo: number } });
  }

  hangup(): void {
    this.send({ type: 'hangup-request' });
  }

  requestStatus(): void {
    this.send({ type: 'call-status-request' });
  }

  /** The next received message (from now on) that matches; rejects when the connection closes first. */
  next(predicate: (message: PatriotMessage) => boolean): Promise<PatriotMessage> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error(`connection closed (code ${this.closed.code})`));
        return;
      }
      const onEvent = (event: SimEvent) => {
        if (event.kind === 'received' && predicate(event.message)) {
          this.off('event', onEvent);
          resolve(event.message);
        } else if (event.kind === 'closed') {
          this.off('event', onEvent);
          reject(
            new Error(`connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`),
          );
        }
      };
      this.on('event', onEvent);
    });
  }

  close(code = 1000): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const timer = setTimeout(() => this.socket.terminate(), 1_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(code);
    });
  }
}

/** How the simulator trusts a bridge's certificate. */
export type TlsTrust =
  { ca: Buffer | string } | { fingerprint256: string } | { insecure: true } | { system: true };

export interface ConnectToBridgeOptions {
  url: string;
  apiKey: string;
  /** "init" (Patriot's Websocket Client Dialler) or "authentication" (authentication-request). */
  auth?: 'init' | 'authentication';
  userName?: string;
  trust?: TlsTrust;
  /** 0 disables the heartbeat. */
  heartbeatMs?: number;
}

/** Why a connection attempt failed, in one line with a hint. */
export function describeConnectError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'nothing is listening at that address (is the bridge running?)';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `the certificate is not trusted (${error.code}); pass --ca <cert.pem> or --fingerprint <SHA-256>`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate does not name this host (${error.message})`;
    default:
      return error.message;
  }
}

/**
 * Connects like Patriot's Websocket Client Dialler: sends init-request (or authentication-request) on open
 * and a heartbeat every 5 s. Resolves once the connection is open; `authenticate()` gives the answer.
 */
export async function connectToBridge(options: ConnectToBridgeOptions): Promise<BridgeSession> {
  const trust = options.trust ?? { system: true };
  const socket = new WebSocket(options.url, {
    perMessageDeflate: false,
    handshakeTimeout: 10_000,
    ...('ca' in trust ? { ca: trust.ca } : {}),
    ...('fingerprint256' in trust || 'insecure' in trust ? { rejectUnauthorized: false } : {}),
  });
  let pinError: string | null = null;
  socket.on('upgrade', (response: IncomingMessage) => {
    if (!('fingerprint256' in trust)) return;
    const actual = (response.socket as Partial<TLSSocket>).getPeerCertificate?.()?.fingerprint256;
    if (actual && fingerprintsEqual(actual, trust.fingerprint256)) return;
    pinError = `certificate fingerprint mismatch: expected ${normalizeFingerprint256(trust.fingerprint256)} got ${actual ?? 'no certificate'}`;
    socket.terminate();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(new Error(pinError ?? describeConnectError(error))));
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      reject(new Error(`the bridge refused the WebSocket (HTTP ${response.statusCode})`));
    });
  });
  socket.on('error', () => undefined);
  return new BridgeSession(socket, options);
}

/** A simulated Patriot Websocket Client Dialler connected to a bridge. */
export class BridgeSession extends SimConnection {
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    socket: WebSocket,
    private readonly options: ConnectToBridgeOptions,
  ) {
    super(socket);
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    if (heartbeatMs > 0) this.heartbeat = setInterval(() => this.send({ type: 'heartbeat' }), heartbeatMs);
    socket.on('close', () => this.stopHeartbeat());
  }

  /** Sends the credentials and waits for the bridge's answer (rejects if the connection closes first). */
  async authenticate(): Promise<AuthOutcome> {
    const useInit = (this.options.auth ?? 'init') === 'init';
    const answer = this.next((m) => m.type === (useInit ? 'init-response' : 'authentication-response'));
    if (useInit) {
      this.send({
        type: 'init-request',
        payload: { userName: this.options.userName ?? 'patriot-sim', password: this.options.apiKey },
      });
    } else {
      this.send({
        type: 'authentication-request',
        payload: { requestId: 'patriot-sim-1', apiKey: this.options.apiKey },
      });
    }
    const message = await answer;
    const payload = (
      message as Extract<PatriotMessage, { type: 'init-response' | 'authentication-response' }>
    ).payload;
    this.authenticated = payload.success;
    return payload.error === undefined
      ? { success: payload.success }
      : { success: payload.success, error: payload.error };
  }

  override close(code?: number): Promise<void> {
    this.stopHeartbeat();
    return super.close(code);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

export interface DesktopApiServerSimOptions {
  /** The WebSocketApiKey Patriot expects. */
  apiKey: string;
  cert: string;
  key: string;
  /** 0 picks a free port. */
  port?: number;
  path?: string;
  /** false: never answer pings (to test a bridge's dead-peer detection). */
  autoPong?: boolean;
}

/**
 * Patriot's own server (Desktop API Dialler) on 127.0.0.1: accepts bridges, answers their
 * authentication-request, and ignores everything else until one succeeded.
 */
export class DesktopApiServerSim extends EventEmitter<{
  authenticated: [SimConnection];
  connection: [SimConnection];
}> {
  readonly connections = new Set<SimConnection>();
  readonly authResults: AuthOutcome[] = [];
  private readonly server: https.Server;
  private readonly wss: WebSocketServer;
  private readonly path: string;

  constructor(private readonly options: DesktopApiServerSimOptions) {
    super();
    this.path = options.path ?? DEFAULT_PATH;
    this.server = https.createServer({ cert: options.cert, key: options.key });
    this.wss = new WebSocketServer({
      server: this.server,
      path: this.path,
      perMessageDeflate: false,
      autoPong: options.autoPong ?? true,
    });
    this.wss.on('connection', (socket) => this.accept(socket));
    this.wss.on('error', () => undefined);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `wss://127.0.0.1:${this.port}${this.path}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** The next connection that authenticates successfully. */
  nextAuthenticated(): Promise<SimConnection> {
    return new Promise((resolve) => this.once('authenticated', resolve));
  }

  /** Drops every bridge connection without a close handshake (as a crashed Patriot would). */
  dropAll(): void {
    for (const connection of this.connections) connection.socket.terminate();
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections].map((connection) => connection.close(1001)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    socket.on('error', () => undefined);
    const connection = new SimConnection(socket);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
    connection.on('event', (event) => {
      if (event.kind !== 'received' || event.message.type !== 'authentication-request') return;
      const success = apiKeyMatches(event.message.payload.apiKey, [this.options.apiKey]);
      const outcome: AuthOutcome = success ? { success } : { success, error: 'Invalid API key' };
      this.authResults.push(outcome);
      connection.authenticated = success;
      connection.send({
        type: 'authentication-response',
        payload: { requestId: event.message.payload.requestId ?? '', ...outcome },
      });
      if (success) this.emit('authenticated', connection);
    });
    this.emit('connection', connection);
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export function timestamp(at: Date = new Date()): string {
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

function fields(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' && /\s|^$/.test(value) ? JSON.stringify(value) : String(value)}`,
    )
    .join(' ');
}

/** One readable line for an event; null for events not worth a line. Never prints a key. */
export function describeEvent(event: SimEvent): string | null {
  switch (event.kind) {
    case 'connected':
      return `connected  ${event.detail}`;
    case 'dropped':
      return `dropped a frame  ${event.reason}`;
    case 'closed':
      return `connection closed  code=${event.code}${event.reason ? ` reason=${JSON.stringify(event.reason)}` : ''}`;
    case 'sent': {
      const frame = event.frame;
      if (frame.type === 'dial-request') return `dial-request  ${fields(frame.payload)}`;
      if (frame.type === 'init-request' || frame.type === 'authentication-request')
        return `${frame.type}  (key not shown)`;
      if (frame.type === 'heartbeat') return null;
      return frame.type;
    }
    case 'received': {
      const message = event.message;
      if (!('payload' in message)) return message.type;
      if (message.type === 'init-request') return `${message.type}  (key not shown)`;
      if (message.type === 'authentication-request') return `${message.type}  (key not shown)`;
      return `${message.type}  ${fields(message.payload as Record<string, unknown>)}`;
    }
  }
}
