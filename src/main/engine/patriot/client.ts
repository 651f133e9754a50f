import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { LinkState, PatriotCallStatus, PatriotView } from '../../../shared/bridge-types';
import type { PatriotSetupInfo } from './endpoint';
import type { PatriotConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import { fingerprintsEqual, normalizeFingerprint256 } from '../tls/fingerprint';
import { Backoff } from '../util/backoff';
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

export type PatriotConnectConfig = NonNullable<PatriotConfig['connect']>;

export interface PatriotClientOptions {
  connect: PatriotConnectConfig;
  maxPayloadBytes: number;
  handler: PatriotRequestHandler;
  log: Logger;
  timings?: PatriotEndpointTimings;
  backpressure?: BackpressureLimits;
  /** For the backoff's jitter (tests). */
  random?: () => number;
}

/** A TLS opening handshake that cannot succeed until the user changes the trust settings. */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Client mode: the bridge connects to Patriot's own server (Desktop API Dialler), authenticates with
 * `authentication-request`, then serves Patriot's requests. Reconnects with full-jitter backoff; after a
 * refusal (key, certificate) it retries slowly instead.
 */
export class PatriotClient implements PatriotEndpoint {
  private readonly connect: PatriotConnectConfig;
  private readonly log: Logger;
  private readonly handler: PatriotRequestHandler;
  private readonly timings: Required<PatriotEndpointTimings>;
  private readonly backoff: Backoff;
  private readonly peerRef: PatriotPeerRef;
  private ca: Buffer | null = null;
  private socket: WebSocket | null = null;
  private channel: PeerChannel | null = null;
  private authenticated = false;
  private since = 0;
  private requestId = '';
  private attempt = 0;
  private lastError: string | undefined;
  /** Set when this connection was refused for a reason only the user can fix; it picks the slow retry. */
  private refusal: string | null = null;
  private lastNotifiedRefusal: string | null = null;
  private link: LinkState = { status: 'stopped' };
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: PatriotClientOptions) {
    this.connect = options.connect;
    this.log = options.log;
    this.handler = options.handler;
    this.timings = resolveTimings(options.timings);
    this.backoff = new Backoff({
      baseMs: this.timings.reconnectBaseMs,
      capMs: this.timings.reconnectCapMs,
      ...(options.random ? { random: options.random } : {}),
    });
    this.peerRef = { id: 'patriot', label: new URL(this.connect.url).host };
  }

  /** Begins connecting (and keeps trying); does not wait for Patriot to be up. */
  async start(): Promise<void> {
    if (this.stopping) throw new Error('the Patriot client has been stopped');
    if (this.running) return;
    const { caFile } = this.connect;
    if (caFile) {
      try {
        this.ca = await readFile(caFile);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(
          code === 'ENOENT'
            ? `patriot.connect.caFile not found: ${caFile}`
            : `cannot read patriot.connect.caFile ${caFile}: ${code ?? error}`,
          { cause: error },
        );
      }
    }
    this.running = true;
    this.log.info('connecting to Patriot', {
      url: this.connect.url,
      trust: this.connect.fingerprint256 ? 'fingerprint pin' : caFile ? 'caFile' : 'system CAs',
    });
    this.open();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    if (socket) await closeGracefully(socket, 1001, 'bridge shutting down', this.timings.closeGraceMs);
    this.clearConnectionTimers();
    this.setLink({ status: 'stopped' });
    this.log.info('Patriot client stopped');
  }

  broadcast(status: PatriotCallStatus): void {
    if (this.authenticated) this.channel?.sendStatus(status);
  }

  view(): PatriotView {
    const connected = this.socket?.readyState === WebSocket.OPEN;
    return {
      mode: 'client',
      endpoint: this.connect.url,
      link: this.link,
      peers: connected
        ? [
            {
              id: this.peerRef.id,
              kind: 'outbound',
              authenticated: this.authenticated,
              label: this.peerRef.label,
              since: this.since,
            },
          ]
        : [],
    };
  }

  setup(): PatriotSetupInfo {
    return {
      mode: 'client',
      url: null,
      apiKeyFile: null,
      certificateFingerprint256: null,
      certificateFile: null,
    };
  }

  private setLink(link: LinkState): void {
    this.link = link;
    try {
      this.handler.viewChanged();
    } catch (error) {
      this.log.error('viewChanged handler threw', { error });
    }
  }

  private open(): void {
    this.retryTimer = null;
    if (!this.running) return;
    this.attempt += 1;
    this.refusal = null;
    this.setLink({
      status: 'connecting',
      attempt: this.attempt,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    });
    const pinned = this.connect.fingerprint256;
    const socket = new WebSocket(this.connect.url, {
      maxPayload: this.options.maxPayloadBytes,
      perMessageDeflate: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      // With a pin, the chain is not checked; the certificate's fingerprint is, before anything is sent.
      ...(pinned ? { rejectUnauthorized: false } : {}),
      ...(this.ca ? { ca: this.ca } : {}),
    });
    this.socket = socket;
    socket.on('upgrade', (response: IncomingMessage) => {
      if (pinned) this.checkPin(socket, response, pinned);
    });
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data, isBinary) => this.onMessage(data as FrameData, isBinary));
    socket.on('pong', () => this.channel?.pongReceived());
    socket.on('error', (error) => this.onError(error));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private checkPin(socket: WebSocket, response: IncomingMessage, pinned: string): void {
    const tlsSocket = response.socket as Partial<TLSSocket>;
    const actual = tlsSocket.getPeerCertificate?.()?.fingerprint256;
    if (actual && fingerprintsEqual(actual, pinned)) return;
    this.refusal = actual
      ? `certificate fingerprint mismatch: expected ${normalizeFingerprint256(pinned)} got ${actual}`
      : 'certificate fingerprint mismatch: the server presented no certificate (is the URL wss://?)';
    socket.terminate();
  }

  private onOpen(socket: WebSocket): void {
    this.backoff.connected();
    this.since = Date.now();
    this.channel = new PeerChannel(socket, this.log, this.options.backpressure ?? DEFAULT_BACKPRESSURE);
    this.requestId = randomUUID();
    this.channel.send({
      type: 'authentication-request',
      payload: { requestId: this.requestId, apiKey: this.connect.apiKey },
    });
    this.authTimer = setTimeout(() => {
      this.authTimer = null;
      this.lastError = 'Patriot did not answer the authentication-request';
      void closeGracefully(socket, 1008, 'no authentication-response', this.timings.closeGraceMs);
    }, this.timings.authTimeoutMs);
    const channel = this.channel;
    this.pingTimer = setInterval(() => {
      if (!channel.checkAlive()) this.lastError = 'Patriot stopped answering pings';
    }, this.timings.pingIntervalMs);
    this.setLink({
      status: 'connecting',
      attempt: this.attempt,
      lastError: 'waiting for authentication-response',
    });
  }

  private onMessage(data: FrameData, isBinary: boolean): void {
    const channel = this.channel;
    if (!channel) return;
    const parsed = parsePatriotFrame(data, isBinary);
    if (!parsed.ok) {
      if (this.authenticated) answerMalformedRequest(parsed, channel, this.peerRef, this.log);
      else this.log.debug('dropped a Patriot frame', { reason: parsed.reason });
      return;
    }
    const message = parsed.message;
    if (message.type === 'authentication-response' && !this.authenticated) {
      if (message.payload.requestId !== this.requestId) {
        this.log.debug('authentication-response carries another requestId', {
          requestId: message.payload.requestId,
        });
      }
      if (message.payload.success) this.onAuthenticated(channel);
      else this.onRefused(`Patriot refused the API key: ${message.payload.error ?? 'no reason given'}`);
      return;
    }
    if (!this.authenticated) {
      this.log.debug('ignored a message before authentication', { type: message.type });
      return;
    }
    if (!serveAuthenticatedRequest(message, channel, { ...this.peerRef }, this.handler, this.log)) {
      this.log.debug('ignored a message a dialler client does not expect', { type: message.type });
    }
  }

  private onAuthenticated(channel: PeerChannel): void {
    this.authenticated = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    this.attempt = 0;
    this.lastError = undefined;
    this.lastNotifiedRefusal = null;
    this.log.info('authenticated with Patriot', { url: this.connect.url });
    this.setLink({ status: 'online', detail: `connected to ${this.connect.url}` });
    channel.sendStatus(this.handler.currentStatus());
  }

  private onRefused(reason: string): void {
    this.refusal = reason;
    if (this.socket)
      void closeGracefully(this.socket, 1000, 'authentication failed', this.timings.closeGraceMs);
  }

  private onError(error: Error & { code?: string }): void {
    const code = error.code ?? '';
    const host = this.peerRef.label;
    if (UNTRUSTED_CERTIFICATE_CODES.has(code)) {
      this.refusal =
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? `Patriot's certificate is not valid for ${host}`
          : `Patriot's certificate is not trusted (${code}): set patriot.connect.caFile or patriot.connect.fingerprint256`;
    } else if (code === 'ECONNREFUSED') {
      this.lastError = `nothing is listening at ${host} (is Patriot running with the Desktop API Dialler module?)`;
    } else if (code === 'ENOTFOUND') {
      this.lastError = `cannot resolve ${new URL(this.connect.url).hostname} (add it to the HOSTS file?)`;
    } else {
      this.lastError = error.message;
    }
    this.log.debug('Patriot connection error', { code, error: error.message });
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (this.socket !== socket) return;
    const wasAuthenticated = this.authenticated;
    this.socket = null;
    this.channel = null;
    this.authenticated = false;
    this.clearConnectionTimers();
    this.backoff.disconnected();
    if (!this.running) return;
    if (this.refusal) {
      const refusal = this.refusal;
      this.refusal = null;
      this.lastError = refusal;
      this.setLink({ status: 'auth-failed', reason: refusal });
      this.notifyRefusal(refusal);
      this.scheduleOpen(this.timings.authRetryMs);
      return;
    }
    if (wasAuthenticated) {
      this.lastError = `Patriot closed the connection (code ${code}${reason ? `: ${reason}` : ''})`;
      this.log.warn('lost the connection to Patriot', { code, reason });
    }
    const delay = this.backoff.nextDelay();
    this.setLink({
      status: 'offline',
      reason: this.lastError ?? `connection closed (code ${code})`,
      retryAt: Date.now() + delay,
    });
    this.scheduleOpen(delay);
  }

  /** Tells the operator once per distinct refusal (the slow retry repeats it every minute otherwise). */
  private notifyRefusal(reason: string): void {
    this.log.warn('Patriot connection refused', {
      reason,
      retryInSeconds: Math.round(this.timings.authRetryMs / 1000),
    });
    if (reason === this.lastNotifiedRefusal) return;
    this.lastNotifiedRefusal = reason;
    try {
      this.handler.authFailed({ ...this.peerRef }, reason);
    } catch (error) {
      this.log.error('authFailed handler threw', { error });
    }
  }

  private scheduleOpen(delayMs: number): void {
    this.retryTimer = setTimeout(() => this.open(), delayMs);
  }

  private clearConnectionTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.authTimer) clearTimeout(this.authTimer);
    this.pingTimer = null;
    this.authTimer = null;
  }
}
