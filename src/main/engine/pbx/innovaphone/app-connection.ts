// One AppWebsocket connection to the PBX: socket, login as an App object, keep-alive, src-matched requests.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from '../../log/logger';
import { closeWebSocket } from '../common/close-web-socket';
import { describeSocketError } from '../common/socket-errors';
import { safeHost } from '../common/tls-options';
import { appLoginDigest } from './digest';
import { parseWireMessage, type WireMessage } from './wire';

export interface AppConnectionOptions {
  url: string;
  /** Name of the App object. */
  app: string;
  password: string;
  /** PEM text of the CA / certificate to trust (profile caFile). */
  ca?: string;
  rejectUnauthorized: boolean;
  log: Logger;
  /** Time allowed for the socket to open and the login to finish. */
  loginTimeoutMs: number;
  /** Idle period after which a KeepAlive and a ping are sent; a peer silent for two periods is dropped. */
  keepAliveMs: number;
}

/** The PBX refused the login (wrong App name or password). `message` is operator-facing. */
export class LoginRejectedError extends Error {
  override name = 'LoginRejectedError';
}

/** A request got no result in time. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/** The connection closed before the result came. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

interface PendingRequest {
  resultMt: string;
  resolve(message: WireMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface AppConnectionEvents {
  /** Every message that is not the result of a pending request. */
  message: [message: WireMessage];
  /** Emitted once, whatever closed the connection; `reason` is operator-facing. */
  close: [reason: string];
}

const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export class AppConnection extends EventEmitter<AppConnectionEvents> {
  private readonly socket: WebSocket;
  private readonly pending = new Map<string, PendingRequest>();
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private heardSinceTick = true;
  private lastSentAt = Date.now();
  private closed = false;
  private disposeDigest: () => void = () => undefined;
  private closeReason: string | null = null;
  private login: Promise<void>;

  constructor(private readonly options: AppConnectionOptions) {
    super();
    this.socket = new WebSocket(options.url, {
      ca: options.ca,
      rejectUnauthorized: options.rejectUnauthorized,
      handshakeTimeout: options.loginTimeoutMs,
      maxPayload: MAX_PAYLOAD_BYTES,
      perMessageDeflate: false,
    });
    this.login = this.runLogin();
    // A login failure is reported through loggedIn(); this keeps it from being an unhandled rejection.
    this.login.catch(() => undefined);
    this.socket.on('message', (data, isBinary) => {
      this.heardSinceTick = true;
      if (!isBinary) this.receive(data.toString());
    });
    this.socket.on('pong', () => {
      this.heardSinceTick = true;
    });
    this.socket.on('error', (error) =>
      this.noteCloseReason(describeSocketError(error, safeHost(options.url))),
    );
    this.socket.on('unexpected-response', (_request, response) => {
      this.noteCloseReason(describeHttpStatus(response.statusCode ?? 0, options.url));
      this.socket.terminate();
    });
    this.socket.on('close', (code) => this.finish(code));
  }

  /** Resolves once the PBX accepted the App login; rejects with LoginRejectedError or a connection error. */
  loggedIn(): Promise<void> {
    return this.login;
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Record<string, unknown>): void {
    if (!this.isOpen) return;
    this.socket.send(JSON.stringify(message));
    this.lastSentAt = Date.now();
    this.options.log.debug('innovaphone send', { message });
  }

  /** Sends `message` (which carries a unique `src`) and resolves with `<mt>Result` of the same src. */
  request(
    message: Record<string, unknown> & { mt: string; src: string },
    timeoutMs: number,
  ): Promise<WireMessage> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(this.closeReason ?? 'not connected'));
    return new Promise<WireMessage>((resolve, reject) => {
      // Sent first, then the bookkeeping, in the same task: no result can be read before it.
      this.send(message);
      const timer = setTimeout(() => {
        this.pending.delete(message.src);
        reject(new RequestTimeoutError(`no ${message.mt}Result within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(message.src, { resultMt: `${message.mt}Result`, resolve, reject, timer });
    });
  }

  /** Closes gracefully, then forcibly after `graceMs`. Resolves once closed. */
  async close(reason: string, graceMs: number): Promise<void> {
    this.noteCloseReason(reason);
    await closeWebSocket(this.socket, graceMs);
  }

  private async runLogin(): Promise<void> {
    const deadline = setTimeout(() => {
      this.noteCloseReason(`The PBX did not complete the App login within ${this.options.loginTimeoutMs} ms`);
      this.socket.terminate();
    }, this.options.loginTimeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        const onClose = (reason: string): void => reject(new ConnectionClosedError(reason));
        this.once('close', onClose);
        this.socket.once('open', () => {
          this.off('close', onClose);
          resolve();
        });
      });
      const { challenge } = await this.exchange({ mt: 'AppChallenge' }, 'AppChallengeResult');
      // The challenge is opaque; old builds sent a number (inferred), which appLoginDigest coerces.
      if (typeof challenge !== 'string' && typeof challenge !== 'number') {
        this.noteCloseReason('The PBX sent an AppChallengeResult without a challenge');
        throw new Error('no challenge');
      }
      // App-object login: app + four empty strings, and no `info` (so no info segment in the digest).
      const identity = { app: this.options.app, domain: '', sip: '', guid: '', dn: '' };
      const digest = appLoginDigest(identity, challenge, this.options.password);
      // A secret of this connection only: dropped from the scrubber when it closes.
      this.disposeDigest = this.options.log.addSecret(digest);
      const result = await this.exchange({ mt: 'AppLogin', ...identity, digest }, 'AppLoginResult');
      if (result.ok !== true) {
        const said = typeof result.error === 'string' ? result.error : result.errorText;
        const reason =
          `The PBX refused the login of App object "${this.options.app}"` +
          (typeof said === 'string' && said ? `: ${said}` : '') +
          '. Check the App object Name and password in the profile.';
        this.noteCloseReason(reason);
        throw new LoginRejectedError(reason);
      }
      this.startKeepAlive();
    } catch (error) {
      if (!(error instanceof LoginRejectedError)) this.socket.terminate();
      else void this.close(error.message, 500);
      throw error;
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Login messages have no src: wait for the next message of type `resultMt`. */
  private exchange(message: Record<string, unknown>, resultMt: string): Promise<WireMessage> {
    return new Promise<WireMessage>((resolve, reject) => {
      const onMessage = (reply: WireMessage): void => {
        if (reply.mt !== resultMt) return;
        this.off('message', onMessage);
        this.off('close', onClose);
        resolve(reply);
      };
      const onClose = (reason: string): void => {
        this.off('message', onMessage);
        reject(new ConnectionClosedError(reason));
      };
      this.on('message', onMessage);
      this.once('close', onClose);
      this.send(message);
    });
  }

  private receive(text: string): void {
    const message = parseWireMessage(text);
    if (!message) {
      this.options.log.debug('innovaphone ignored a message that is not an AppWebsocket JSON object');
      return;
    }
    this.options.log.debug('innovaphone receive', { message });
    const src = typeof message.src === 'string' ? message.src : undefined;
    const waiting = src === undefined ? undefined : this.pending.get(src);
    if (waiting && waiting.resultMt === message.mt) {
      this.pending.delete(src!);
      clearTimeout(waiting.timer);
      waiting.resolve(message);
      return;
    }
    this.emit('message', message);
  }

  private startKeepAlive(): void {
    this.keepAliveTimer = setInterval(() => {
      if (!this.heardSinceTick) {
        this.noteCloseReason('The PBX stopped answering keep-alives');
        this.socket.terminate();
        return;
      }
      this.heardSinceTick = false;
      this.socket.ping();
      // KeepAlive is what innovaphone's own client library sends; the PBX tolerates it (inferred).
      if (Date.now() - this.lastSentAt >= this.options.keepAliveMs) this.send({ mt: 'KeepAlive' });
    }, this.options.keepAliveMs);
  }

  private noteCloseReason(reason: string): void {
    this.closeReason ??= reason;
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.disposeDigest();
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
    const reason = this.closeReason ?? `The PBX closed the connection (code ${code})`;
    for (const [src, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new ConnectionClosedError(reason));
      this.pending.delete(src);
    }
    this.emit('close', reason);
  }
}

function describeHttpStatus(status: number, url: string): string {
  const hint =
    status === 404
      ? ' Check the URL: it should end in /PBX0/APPS/websocket.'
      : ' Expected a WebSocket upgrade at /PBX0/APPS/websocket.';
  return `The PBX at ${safeHost(url)} answered HTTP ${status}.${hint}`;
}
