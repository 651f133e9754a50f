import { describe, expect, it } from 'vitest';
import { PeerChannel, type ChannelSocket } from '../../src/main/engine/patriot/peer-channel';
import { captureLog } from '../support/log-capture';

/** A socket whose buffer fills as frames are sent and empties when the test completes the writes. */
class FakeSocket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  readonly pending: (() => void)[] = [];
  terminated = false;
  pings = 0;

  send(data: string, callback: (error?: Error) => void): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
    this.pending.push(() => {
      this.bufferedAmount -= data.length;
      callback();
    });
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
  ping(): void {
    this.pings += 1;
  }
  /** The kernel took every queued write. */
  flush(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

const statuses = (socket: FakeSocket) =>
  socket.sent
    .map((s) => JSON.parse(s) as { type: string; payload?: unknown })
    .filter((m) => m.type === 'call-status-update');

function channelOn(socket: FakeSocket, softBytes = 100, hardBytes = 1_000) {
  return new PeerChannel(socket as unknown as ChannelSocket, captureLog().logger, { softBytes, hardBytes });
}

describe('PeerChannel', () => {
  it('sends statuses at once while the peer keeps up', () => {
    const socket = new FakeSocket();
    const channel = channelOn(socket);
    channel.sendStatus({ callActive: true });
    socket.flush();
    channel.sendStatus({ callActive: false });
    expect(statuses(socket).map((m) => m.payload)).toEqual([{ callActive: true }, { callActive: false }]);
  });

  it('keeps only the latest status while the peer lags, and sends it once drained', () => {
    const socket = new FakeSocket();
    const channel = channelOn(socket, 50);
    channel.sendStatus({ callActive: true, callerId: 'first-status-fills-the-buffer' });
    channel.sendStatus({ callActive: true, callerId: 'a' });
    channel.sendStatus({ callActive: false, callerId: 'b' });
    channel.sendStatus({ callActive: true, callerId: 'c' });
    expect(statuses(socket)).toHaveLength(1);
    socket.flush();
    expect(statuses(socket).map((m) => m.payload)).toEqual([
      { callActive: true, callerId: 'first-status-fills-the-buffer' },
      { callActive: true, callerId: 'c' },
    ]);
  });

  it('terminates a peer whose buffer passes the high watermark', () => {
    const socket = new FakeSocket();
    const channel = channelOn(socket, 10, 100);
    socket.bufferedAmount = 101;
    channel.send({ type: 'heartbeat-response' });
    expect(socket.terminated).toBe(true);
    expect(socket.sent).toEqual([]);
  });

  it('terminates on a liveness tick when the previous ping went unanswered', () => {
    const socket = new FakeSocket();
    const channel = channelOn(socket);
    expect(channel.checkAlive()).toBe(true);
    channel.pongReceived();
    expect(channel.checkAlive()).toBe(true);
    expect(socket.pings).toBe(2);
    expect(channel.checkAlive()).toBe(false);
    expect(socket.terminated).toBe(true);
  });
});
