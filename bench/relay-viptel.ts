import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { loginHash } from '../src/main/engine/pbx/viptel/login-hash';
import { findNonce } from '../src/main/engine/pbx/viptel/protocol';
import { ViptelSimulator } from '../src/main/engine/pbx/viptel/simulator';
import type { RelayPbx } from './lib/relay';

const USER = { username: 'bench', password: 'bench-pass' };

/** The VIPTel simulator and a bridge profile for it; the bare forwarder logs in with the same user. */
export async function viptelRelayPbx(): Promise<RelayPbx> {
  const sim = new ViptelSimulator({ users: [USER] });
  const { url } = await sim.start();
  return {
    profile: { id: 'viptel', name: 'VIPTel', type: 'viptel', url, ...USER, extension: '12' },
    bare: { kind: 'viptel', url },
    dialArrives: (number) =>
      new Promise((resolve) => {
        const onAction = (frame: Record<string, unknown>) => {
          if (frame.action === 'call.create' && String(frame.to) === number) {
            sim.off('action', onAction);
            resolve(performance.now());
          }
        };
        sim.on('action', onAction);
      }),
    stop: () => sim.stop(),
  };
}

/** The least a VIPTel client must do: log in, call.create, call.hangup. */
export class BareViptelClient {
  private uniqueId: Promise<string> = Promise.resolve('');
  private onCreated: ((uniqueId: string) => void) | null = null;
  private onEnd: (() => void) | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame.event === 'call.create_response') this.onCreated?.(String(frame.unique_id));
      if (frame.event === 'call.end') this.onEnd?.();
    });
  }

  static async open(url: string): Promise<BareViptelClient> {
    const socket = new WebSocket(url);
    const client = new BareViptelClient(socket);
    await new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as Record<string, unknown>;
        const nonce = findNonce(frame);
        if (frame.code === 100 && nonce) {
          socket.send(
            JSON.stringify({
              action: 'user.login',
              username: USER.username,
              password: loginHash(USER.username, USER.password, nonce),
            }),
          );
        } else if (frame.code === 202) resolve();
      });
    });
    return client;
  }

  dial(number: string): void {
    this.uniqueId = new Promise((resolve) => (this.onCreated = resolve));
    this.socket.send(
      JSON.stringify({
        action: 'call.create',
        from: 12,
        to: number,
        call_random_id: `b${performance.now().toFixed(0)}`,
      }),
    );
  }

  /** Hangs up the last call once the PBX has named it; resolves on its call.end. */
  async hangup(): Promise<void> {
    const uniqueId = await this.uniqueId;
    await new Promise<void>((resolve) => {
      this.onEnd = resolve;
      this.socket.send(JSON.stringify({ action: 'call.hangup', unique_id: uniqueId }));
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
