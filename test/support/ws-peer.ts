import WebSocket from 'ws';
import { waitFor } from './wait';

/**
 * A test-side WebSocket peer that records every JSON message it receives, so tests can wait for
 * "the next message of type X" without racing the socket.
 */
export class JsonPeer {
  readonly received: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | null = null;
  private cursor = 0;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.received.push(JSON.parse(data.toString()) as Record<string, unknown>);
      } catch {
        this.received.push({ unparsable: data.toString() });
      }
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => undefined);
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<JsonPeer> {
    const socket = new WebSocket(url, options);
    const peer = new JsonPeer(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return peer;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message (after the ones already taken) matching `predicate`. */
  async next(
    predicate: (message: Record<string, unknown>) => boolean,
    what = 'a message',
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>> {
    return waitFor(
      () => {
        for (let i = this.cursor; i < this.received.length; i++) {
          const message = this.received[i]!;
          if (predicate(message)) {
            this.cursor = i + 1;
            return message;
          }
        }
        return null;
      },
      what,
      timeoutMs,
    );
  }

  nextOfKey(key: string, value: unknown, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.next((m) => m[key] === value, `${key}=${String(value)}`, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
      setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 1_000).unref();
    });
  }
}
