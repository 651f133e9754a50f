// Basix in the dial bench: the simulator, a bridge profile for it, and the least a Basix client must do
// (the bare forwarder's side): POST call_user, then the ws_cti hangup command for the returned leg.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { parseCtiFrame } from '../src/main/engine/pbx/basix/cti-messages';
import { basicAuth, restUrl } from '../src/main/engine/pbx/basix/endpoints';
import { BasixSimulator, SIM_DOMAIN, SIM_TOKEN } from '../src/main/engine/pbx/basix/simulator';
import type { RelayPbx } from './lib/relay';

const OPERATOR = 'operator1';
const AUTH = { domain: SIM_DOMAIN, token: SIM_TOKEN };

export async function basixRelayPbx(): Promise<RelayPbx> {
  // Nothing scripted after call_user: the call rings until hung up, as a real operator's phone would.
  const sim = new BasixSimulator({ delays: { userAnswerMs: 60_000 } });
  const { url } = await sim.start();
  return {
    profile: { id: 'basix', name: 'Basix', type: 'basix', url, ...AUTH, userName: OPERATOR },
    bare: { kind: 'basix', url },
    dialArrives: (number) =>
      new Promise((resolve) => {
        const onCall = (body: Record<string, unknown>) => {
          if (body.destination === number) {
            sim.off('callUser', onCall);
            resolve(performance.now());
          }
        };
        sim.on('callUser', onCall);
      }),
    stop: () => sim.stop(),
  };
}

export class BareBasixClient {
  private uuid: Promise<string> = Promise.resolve('');
  private onRemoved: ((uuid: string) => void) | null = null;

  private constructor(
    private readonly url: string,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data: Buffer) => {
      const message = parseCtiFrame(data);
      if (message.type === 'info_event' && message.event === 'removed') this.onRemoved?.('');
    });
  }

  static async open(url: string): Promise<BareBasixClient> {
    const ws = `${url.replace(/^http/, 'ws')}/basix/api/ws_cti?app_name=bare&user_name=${OPERATOR}`;
    const socket = new WebSocket(ws, {
      headers: { Authorization: basicAuth(AUTH) },
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new BareBasixClient(url, socket);
  }

  dial(number: string): void {
    this.uuid = new Promise((resolve, reject) => {
      const body = JSON.stringify({ user_name: OPERATOR, destination: number });
      const req = request(
        restUrl({ url: this.url }, 'call_user'),
        { method: 'POST', headers: { Authorization: basicAuth(AUTH), 'Content-Type': 'application/json' } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(String((JSON.parse(text) as { uuids: string[] }).uuids[0])));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async hangup(): Promise<void> {
    const uuid = await this.uuid;
    const removed = new Promise<void>((resolve) => (this.onRemoved = () => resolve()));
    this.socket.send(JSON.stringify({ cmd: 'hangup', uuid }));
    await removed;
  }
}
