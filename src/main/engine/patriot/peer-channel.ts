import type WebSocket from 'ws';
import type { PatriotCallStatus } from '../../../shared/bridge-types';
import type { Logger } from '../log/logger';
import { encodeFrame, type PatriotFrame } from './protocol';

export interface BackpressureLimits {
  /** Above this many buffered bytes, status updates are coalesced: only the latest is kept. */
  softBytes: number;
  /** Above this, the peer is not reading at all: it is terminated. */
  hardBytes: number;
}

export const DEFAULT_BACKPRESSURE: BackpressureLimits = { softBytes: 64 * 1024, hardBytes: 1024 * 1024 };

/** The part of a ws socket the channel needs (a fake in unit tests). */
export type ChannelSocket = Pick<WebSocket, 'readyState' | 'bufferedAmount' | 'send' | 'terminate' | 'ping'>;

const OPEN = 1;

/**
 * One Patriot connection's outbound side: JSON frames, and call-status updates that coalesce while the
 * peer lags (Patriot only needs the latest state). Also tracks ping/pong liveness.
 */
export class PeerChannel {
  private pendingStatus: PatriotCallStatus | null = null;
  private answeredPing = true;

  constructor(
    private readonly socket: ChannelSocket,
    private readonly log: Logger,
    private readonly limits: BackpressureLimits = DEFAULT_BACKPRESSURE,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === OPEN;
  }

  /** Sends a frame unless the socket is closed or hopelessly backed up (then it is terminated). */
  send(frame: PatriotFrame): void {
    if (!this.isOpen) return;
    if (this.socket.bufferedAmount > this.limits.hardBytes) {
      this.log.warn('Patriot peer is not reading; closing the connection', {
        bufferedBytes: this.socket.bufferedAmount,
      });
      this.socket.terminate();
      return;
    }
    this.socket.send(encodeFrame(frame), (error) => {
      if (error) this.log.debug('send to Patriot failed', { type: frame.type, error: error.message });
      else this.flushPendingStatus();
    });
  }

  /** Sends `call-status-update` now, or keeps only the latest one until the peer drains its buffer. */
  sendStatus(status: PatriotCallStatus): void {
    if (this.socket.bufferedAmount > this.limits.softBytes) {
      this.pendingStatus = status;
      return;
    }
    this.pendingStatus = null;
    this.send({ type: 'call-status-update', payload: status });
  }

  /** Sends a held-back status if the buffer has drained (called on send completion and on each ping tick). */
  flushPendingStatus(): void {
    if (this.pendingStatus && this.socket.bufferedAmount <= this.limits.softBytes) {
      this.sendStatus(this.pendingStatus);
    }
  }

  pongReceived(): void {
    this.answeredPing = true;
  }

  /**
   * One liveness tick: false (and the socket terminated) when the previous ping went unanswered;
   * otherwise pings again.
   */
  checkAlive(): boolean {
    if (!this.answeredPing) {
      this.socket.terminate();
      return false;
    }
    this.answeredPing = false;
    if (this.isOpen) this.socket.ping();
    this.flushPendingStatus();
    return true;
  }
}
