// One ws_cti WebSocket: Basic auth in the header, permessage-deflate off, binary ETF frames in, JSON text
// commands out, ping keep-alive. A frame that does not decode is logged and skipped; the stream goes on.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from '../../log/logger';
import { closeWebSocket } from '../common/close-web-socket';
import { describeSocketError, upgradeStatus } from '../common/socket-errors';
import { safeHost } from '../common/tls-options';
import { parseCtiFrame, type CtiMessage } from './cti-messages';
import { basicAuth, wsCtiUrl, type BasixEndpointProfile } from './endpoints';

export interface CtiConnectionOptions {
  profile: BasixEndpointProfile;
  ca?: string;
  rejectUnauthorized: boolean;
  log: Logger;
  /** Time for TCP, TLS and the upgrade. */
  openTimeoutMs: number;
  /** A ping every period; a server silent for a whole period is dropped. */
  keepAliveMs: number;
}

/** Why the connection closed, and whether the server refused us (so we only retry slowly). */
export interface CtiClose {
  reason: string;
  refused?: 'auth' | 'busy';
}

interface CtiConnectionEvents {
  open: [];
  message: [message: CtiMessage];
  close: [close: CtiClose];
}

/** initial_info of a large tenant is one frame: allow it, but not without bound. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class CtiConnection extends EventEmitter<CtiConnectionEvents> {
  private readonly socket: WebSocket;
  private readonly where: string;
  private keepAlive: NodeJS.Timeout | null = null;
  private heard = true;
  private closed = false;
  private closeInfo: CtiClose | null = null;
  private badFrames = 0;

  constructor(private readonly options: CtiConnectionOptions) {
    super();
    this.where = safeHost(options.profile.url, 'the Basix server');
    this.socket = new WebSocket(wsCtiUrl(options.profile), {
      headers: { Authorization: basicAuth(options.profile) },
      ca: options.ca,
      rejectUnauthorized: options.rejectUnauthorized,
      handshakeTimeout: options.openTimeoutMs,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('open', () => {
      this.startKeepAlive();
      this.emit('open');
    });
    this.socket.on('message', (data, isBinary) => {
      this.heard = true;
      this.receive(data as Buffer, isBinary);
    });
    this.socket.on('pong', () => (this.heard = true));
    this.socket.on('error', (error) => {
      const status = upgradeStatus(error);
      this.note(status === null ? { reason: describeSocketError(error, this.where) } : this.refusal(status));
    });
    this.socket.on('unexpected-response', (_request, response) => {
      this.note(this.refusal(response.statusCode ?? 0));
      this.socket.terminate();
    });
    this.socket.on('close', (code) => this.finish(code));
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  /** A JSON command on the socket (e.g. hangup). False when the socket is not open. */
  send(command: Record<string, unknown>): boolean {
    if (!this.isOpen) return false;
    this.options.log.debug('basix send', { command });
    this.socket.send(JSON.stringify(command));
    return true;
  }

  /** Marks why we are about to close (e.g. a system_msg), so `close` reports it. */
  note(close: CtiClose): void {
    this.closeInfo ??= close;
  }

  /** Closes gracefully, then forcibly after `graceMs`. Resolves once closed. */
  async close(reason: string, graceMs: number): Promise<void> {
    this.note({ reason });
    await closeWebSocket(this.socket, graceMs);
  }

  /** Cut without a close handshake (a protocol fault, a dead peer). */
  terminate(reason: string): void {
    this.note({ reason });
    this.socket.terminate();
  }

  private refusal(status: number): CtiClose {
    if (status === 401 || status === 403) {
      return {
        reason:
          `The Basix server at ${this.where} refused the login (HTTP ${status}). ` +
          'Check "domain" and "token" in the profile.',
        refused: 'auth',
      };
    }
    return { reason: `The Basix server at ${this.where} answered HTTP ${status} instead of opening ws_cti.` };
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.options.log.debug('basix text frame ignored', { length: data.length });
      return;
    }
    let message: CtiMessage;
    try {
      message = parseCtiFrame(data);
    } catch (error) {
      // Bad input is reported and skipped: one broken frame must not cost the calls on this link.
      this.badFrames += 1;
      if (this.badFrames <= 5 || this.badFrames % 1000 === 0) {
        this.options.log.warn('Basix sent a frame that is not a ws_cti message; skipped', {
          error: (error as Error).message,
          bytes: data.length,
          count: this.badFrames,
        });
      }
      return;
    }
    this.emit('message', message);
  }

  private startKeepAlive(): void {
    this.keepAlive = setInterval(() => {
      if (!this.heard) {
        this.terminate('The Basix server stopped answering keep-alive pings');
        return;
      }
      this.heard = false;
      this.socket.ping();
    }, this.options.keepAliveMs);
    this.keepAlive.unref?.();
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
    this.emit('close', this.closeInfo ?? { reason: `The Basix server closed the connection (code ${code})` });
  }
}
