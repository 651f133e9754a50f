import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LinkState, PatriotCallStatus, PatriotView } from '../../../shared/bridge-types';
import type { PatriotSetupInfo } from './endpoint';
import type { PatriotConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import type { ServerCertificate } from '../tls/certificate';
import { apiKeyMatches } from './api-keys';
import { FailedAnswerBudget, NoticeLimiter } from './auth-throttle';
import { closeGracefully } from './close-socket';
import type {
  PatriotEndpoint,
  PatriotEndpointTimings,
  PatriotPeerRef,
  PatriotRequestHandler,
} from './endpoint';
import { DEFAULT_BACKPRESSURE, PeerChannel, type BackpressureLimits } from './peer-channel';
import { parsePatriotFrame, type FrameData } from './protocol';
import { answerMalformedRequest, serveAuthenticatedRequest } from './serve-requests';
import { resolveTimings } from './timings';

/** Contract: at most this many unauthenticated connections; a new one closes the oldest of them. */
export const MAX_UNAUTHENTICATED = 128;
/** All connections (Patriot opens one or a few): beyond this an upgrade is refused with 503. */
export const MAX_CONNECTIONS = 256;

/** A connection is closed after this many failed authentication attempts. */
export const MAX_FAILURES_PER_CONNECTION = 3;
/** The operator hears about failed authentications at most this often. */
const AUTH_FAILED_NOTICE_INTERVAL_MS = 10_000;

export interface PatriotServerOptions {
  config: PatriotConfig;
  apiKeys: readonly string[];
  certificate: ServerCertificate;
  /** The file the API key was read from or generated into; null when keys come from the config. */
  apiKeyFile: string | null;
  handler: PatriotRequestHandler;
  log: Logger;
  timings?: PatriotEndpointTimings;
  backpressure?: BackpressureLimits;
}

interface InboundPeer {
  ref: PatriotPeerRef;
  socket: WebSocket;
  channel: PeerChannel;
  authenticated: boolean;
  failures: number;
  since: number;
  remote: string;
  origin: string | null;
  authTimer: NodeJS.Timeout | null;
}

/** `silent`: the wrong-key answer budget is spent; close without an answer. */
type AuthResult = { success: true } | { success: false; error: string; silent?: boolean };

function pathnameOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'https://bridge.invalid').pathname;
  } catch {
    return null;
  }
}

/** Answers a refused upgrade with a bare HTTP status and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use by another program (another Dialler Bridge, or Patriot's own Desktop API Dialler?)`;
    case 'EACCES':
      return `not allowed to listen on port ${port}`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not available on this machine`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** Host part of the URL Patriot should use: loopback for wildcard binds, brackets for IPv6. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Server mode: the bridge listens (wss) and Patriot's Websocket Client Dialler connects in. Several
 * Patriot connections may be open at once; each authenticates on its own.
 */
export class PatriotServer implements PatriotEndpoint {
  private readonly config: PatriotConfig;
  private readonly log: Logger;
  private readonly handler: PatriotRequestHandler;
  private readonly timings: Required<PatriotEndpointTimings>;
  private readonly failedAnswers = new FailedAnswerBudget();
  private readonly failureNotices = new NoticeLimiter(AUTH_FAILED_NOTICE_INTERVAL_MS);
  private readonly peers = new Set<InboundPeer>();
  private readonly rawSockets = new Set<Socket>();
  /** TLS sockets that reached the WebSocket upgrade (the rest are cut after upgradeTimeoutMs). */
  private readonly upgraded = new WeakSet<Duplex>();
  private readonly wss: WebSocketServer;
  private server: https.Server | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private port: number;
  private link: LinkState = { status: 'stopped' };
  private nextPeerNumber = 1;
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: PatriotServerOptions) {
    this.config = options.config;
    this.log = options.log;
    this.handler = options.handler;
    this.timings = resolveTimings(options.timings);
    this.port = options.config.listen.port;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.config.maxPayloadBytes,
      clientTracking: false,
      perMessageDeflate: false,
    });
  }

  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('the Patriot server has been stopped'));
    this.starting ??= this.listen();
    return this.starting;
  }

  private async listen(): Promise<void> {
    const { host, port } = this.config.listen;
    const server = https.createServer({
      cert: this.options.certificate.cert,
      key: this.options.certificate.key,
      minVersion: 'TLSv1.2',
      // A TLS handshake that stalls (slowloris) is cut here; Node's default is 120 s.
      handshakeTimeout: this.timings.upgradeTimeoutMs,
    });
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.once('close', () => this.rawSockets.delete(socket));
    });
    server.on('secureConnection', (socket: Duplex) => {
      // TLS done: the WebSocket upgrade must follow in time too.
      const timer = setTimeout(() => {
        if (!this.upgraded.has(socket)) socket.destroy();
      }, this.timings.upgradeTimeoutMs);
      socket.once('close', () => clearTimeout(timer));
    });
    server.on('tlsClientError', (error: Error) => {
      this.log.debug('TLS handshake with a client failed', { error: error.message });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onPlainRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    this.setLink({ status: 'connecting', attempt: 1 });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const reason = describeListenError(error as NodeJS.ErrnoException, host, port);
      this.log.error('cannot listen for Patriot', { host, port, reason });
      this.setLink({ status: 'offline', reason });
      throw new Error(reason, { cause: error });
    }
    server.on('error', (error) => this.log.error('Patriot server error', { error }));
    this.port = (server.address() as AddressInfo).port;
    this.pingTimer = setInterval(() => this.checkPeersAlive(), this.timings.pingIntervalMs);
    this.log.info('listening for Patriot', { url: this.url(), allowedOrigins: this.config.allowedOrigins });
    this.setLink({ status: 'online', detail: `listening on ${this.url()}` });
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const server = this.server;
    const serverClosed = new Promise<void>((resolve) => {
      if (!server?.listening) resolve();
      else server.close(() => resolve());
    });
    await Promise.all(
      [...this.peers].map((peer) => {
        this.clearAuthTimer(peer);
        return closeGracefully(peer.socket, 1001, 'bridge shutting down', this.timings.closeGraceMs);
      }),
    );
    // Whatever never upgraded (idle TLS, half-done handshakes) goes too.
    for (const socket of this.rawSockets) socket.destroy();
    await serverClosed;
    this.wss.close();
    if (this.link.status !== 'offline') this.setLink({ status: 'stopped' });
    this.log.info('Patriot server stopped');
  }

  broadcast(status: PatriotCallStatus): void {
    for (const peer of this.peers) {
      if (peer.authenticated) peer.channel.sendStatus(status);
    }
  }

  view(): PatriotView {
    return {
      mode: 'server',
      endpoint: this.url(),
      link: this.link,
      peers: [...this.peers].map((peer) => ({
        id: peer.ref.id,
        kind: 'inbound' as const,
        authenticated: peer.authenticated,
        label: peer.ref.label,
        since: peer.since,
      })),
    };
  }

  setup(): PatriotSetupInfo {
    return {
      mode: 'server',
      url: this.url(),
      apiKeyFile: this.options.apiKeyFile,
      certificateFingerprint256: this.options.certificate.fingerprint256,
      certificateFile: this.options.certificate.certFile,
    };
  }

  private url(): string {
    return `wss://${urlHost(this.config.listen.host)}:${this.port}${this.config.listen.path}`;
  }

  private setLink(link: LinkState): void {
    this.link = link;
    this.notifyViewChanged();
  }

  private notifyViewChanged(): void {
    try {
      this.handler.viewChanged();
    } catch (error) {
      this.log.error('viewChanged handler threw', { error });
    }
  }

  private onPlainRequest(req: IncomingMessage, res: ServerResponse): void {
    const isEndpoint = pathnameOf(req.url) === this.config.listen.path;
    res.writeHead(isEndpoint ? 426 : 404, {
      'Content-Type': 'text/plain; charset=utf-8',
      Connection: 'close',
      ...(isEndpoint ? { Upgrade: 'websocket' } : {}),
    });
    res.end(
      isEndpoint
        ? 'Dialler Bridge: this is the WebSocket endpoint for Patriot; connect with a WebSocket client.\n'
        : 'Not found\n',
    );
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgraded.add(socket);
    socket.on('error', (error) => this.log.debug('socket error during upgrade', { error: error.message }));
    if (this.stopping) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (this.peers.size >= MAX_CONNECTIONS && !this.oldestUnauthenticated()) {
      this.log.warn('refused a Patriot connection: too many open connections', { open: this.peers.size });
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    if (pathnameOf(req.url) !== this.config.listen.path) {
      this.log.debug('refused an upgrade to an unknown path', { path: pathnameOf(req.url) });
      return refuseUpgrade(socket, 404, 'Not Found');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.config.allowedOrigins.includes(origin)) {
      this.log.warn('refused a browser connection from an origin not in patriot.allowedOrigins', { origin });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const peer: InboundPeer = {
      ref: { id: `patriot-${this.nextPeerNumber++}`, label: remote },
      socket,
      channel: new PeerChannel(socket, this.log, this.options.backpressure ?? DEFAULT_BACKPRESSURE),
      authenticated: false,
      failures: 0,
      since: Date.now(),
      remote,
      origin: req.headers.origin ?? null,
      authTimer: null,
    };
    socket.on('error', (error) =>
      this.log.debug('Patriot connection error', { peer: peer.ref.id, error: error.message }),
    );
    socket.on('pong', () => peer.channel.pongReceived());
    socket.on('message', (data, isBinary) => this.onMessage(peer, data as FrameData, isBinary));
    socket.on('close', (code, reason) => this.onClose(peer, code, reason.toString()));
    if (this.stopping) {
      void closeGracefully(socket, 1001, 'bridge shutting down', this.timings.closeGraceMs);
      return;
    }
    this.shedForNewcomer();
    this.peers.add(peer);
    this.startAuthTimer(peer);
    this.log.info('Patriot connection opened', { peer: peer.ref.id, remote, origin: peer.origin });
    this.notifyViewChanged();
  }

  /** Makes room for one more connection: the oldest unauthenticated one goes when a cap is reached. */
  private shedForNewcomer(): void {
    let unauthenticated = 0;
    for (const peer of this.peers) if (!peer.authenticated) unauthenticated += 1;
    if (unauthenticated < MAX_UNAUTHENTICATED && this.peers.size < MAX_CONNECTIONS) return;
    const oldest = this.oldestUnauthenticated();
    if (!oldest) return;
    this.log.warn('too many unauthenticated Patriot connections: closing the oldest', {
      peer: oldest.ref.id,
    });
    this.clearAuthTimer(oldest);
    this.peers.delete(oldest);
    oldest.socket.terminate();
  }

  private oldestUnauthenticated(): InboundPeer | null {
    for (const peer of this.peers) if (!peer.authenticated) return peer; // Set order is arrival order
    return null;
  }

  private onClose(peer: InboundPeer, code: number, reason: string): void {
    this.clearAuthTimer(peer);
    if (!this.peers.delete(peer)) return;
    this.log.info('Patriot connection closed', { peer: peer.ref.id, label: peer.ref.label, code, reason });
    this.notifyViewChanged();
  }

  private onMessage(peer: InboundPeer, data: FrameData, isBinary: boolean): void {
    const parsed = parsePatriotFrame(data, isBinary);
    if (!parsed.ok) {
      if (peer.authenticated) answerMalformedRequest(parsed, peer.channel, peer.ref, this.log);
      else this.log.debug('dropped a Patriot frame', { peer: peer.ref.id, reason: parsed.reason });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'authentication-request': {
        const result = this.authenticate(peer, message.payload.apiKey, null);
        const { requestId = '' } = message.payload;
        if (!('silent' in result && result.silent)) {
          const { success, ...rest } = result;
          const error = 'error' in rest ? { error: rest.error } : {};
          peer.channel.send({ type: 'authentication-response', payload: { requestId, success, ...error } });
        }
        this.afterAuthentication(peer, result);
        return;
      }
      case 'init-request': {
        const { apiKey, userName, fields } = message.payload;
        if (apiKey === null)
          this.log.debug('init-request without a usable key', { peer: peer.ref.id, fields });
        const result = this.authenticate(peer, apiKey, userName);
        if (!('silent' in result && result.silent)) {
          peer.channel.send({
            type: 'init-response',
            payload: result.success ? { success: true } : { success: false, error: result.error },
          });
        }
        this.afterAuthentication(peer, result);
        return;
      }
      case 'heartbeat':
        peer.channel.send({ type: 'heartbeat-response' });
        return;
    }
    if (!peer.authenticated) {
      this.log.debug('ignored a message before authentication', { peer: peer.ref.id, type: message.type });
      return;
    }
    if (!serveAuthenticatedRequest(message, peer.channel, { ...peer.ref }, this.handler, this.log)) {
      this.log.debug('ignored a message Patriot does not send to a dialler server', {
        peer: peer.ref.id,
        type: message.type,
      });
    }
  }

  /** Checks a key (unless locked out) and updates the peer; the caller sends the response. */
  private authenticate(peer: InboundPeer, key: string | null, userName: string | null): AuthResult {
    // The right key is always checked and accepted at once: wrong guesses can never lock Patriot out.
    if (key !== null && apiKeyMatches(key, this.options.apiKeys)) {
      if (userName) peer.ref.label = userName;
      return { success: true };
    }
    const error =
      key === null ? 'no API key: send it as "apiKey" (or "password" in init-request)' : 'invalid API key';
    if (this.failedAnswers.take()) return { success: false, error };
    return { success: false, error, silent: true };
  }

  /** After the response went out: welcome the peer, or count the failure and close after too many. */
  private afterAuthentication(peer: InboundPeer, result: AuthResult): void {
    const wasAuthenticated = peer.authenticated;
    if (result.success) {
      peer.authenticated = true;
      peer.failures = 0;
      this.clearAuthTimer(peer);
      this.log.info('Patriot authenticated', { peer: peer.ref.id, label: peer.ref.label });
      peer.channel.sendStatus(this.handler.currentStatus());
      if (!wasAuthenticated) this.notifyViewChanged();
      return;
    }
    peer.authenticated = false;
    peer.failures += 1;
    this.reportAuthFailure(peer, result.error);
    if (result.silent) {
      // A flood of wrong keys: no answer, the connection goes.
      this.clearAuthTimer(peer);
      void closeGracefully(peer.socket, 1008, 'too many failed attempts', this.timings.closeGraceMs);
    } else if (peer.failures >= MAX_FAILURES_PER_CONNECTION) {
      this.clearAuthTimer(peer);
      void closeGracefully(peer.socket, 1008, 'too many failed attempts', this.timings.closeGraceMs);
    } else if (!peer.authTimer) {
      this.startAuthTimer(peer);
    }
    if (wasAuthenticated) this.notifyViewChanged();
  }

  private reportAuthFailure(peer: InboundPeer, reason: string): void {
    const fields = {
      peer: peer.ref.id,
      label: peer.ref.label,
      remote: peer.remote,
      origin: peer.origin,
      reason,
    };
    const held = this.failureNotices.take();
    if (held === null) {
      this.log.debug('Patriot authentication failed', fields);
      return;
    }
    const detail = held > 0 ? `${reason} (and ${held} more failed attempts since the last report)` : reason;
    this.log.warn('Patriot authentication failed', { ...fields, reason: detail });
    try {
      this.handler.authFailed({ ...peer.ref }, detail);
    } catch (error) {
      this.log.error('authFailed handler threw', { error });
    }
  }

  private startAuthTimer(peer: InboundPeer): void {
    peer.authTimer = setTimeout(() => {
      peer.authTimer = null;
      this.log.info('closing a Patriot connection that did not authenticate in time', { peer: peer.ref.id });
      void closeGracefully(peer.socket, 1008, 'authentication timeout', this.timings.closeGraceMs);
    }, this.timings.authTimeoutMs);
  }

  private clearAuthTimer(peer: InboundPeer): void {
    if (peer.authTimer) clearTimeout(peer.authTimer);
    peer.authTimer = null;
  }

  private checkPeersAlive(): void {
    for (const peer of this.peers) {
      if (!peer.channel.checkAlive()) {
        this.log.info('Patriot connection stopped answering pings; terminated', { peer: peer.ref.id });
      }
    }
  }
}
