// Harmony in the dial bench: the simulator, a bridge profile for it (agent 1001), and the least a
// Harmony client must do (the bare forwarder's side, agent 1002): the transport layer the adapter uses
// (framing, handshake, negotiation, request ids), then the DCP steps by hand with the default wire profile.
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/main/engine/log/logger';
import { HarmonyConnection } from '../src/main/engine/pbx/harmony/connection';
import { harmonyProtocol } from '../src/main/engine/pbx/harmony/profile';
import { HarmonySimulator } from '../src/main/engine/pbx/harmony/simulator';
import type { Message } from '../src/main/engine/pbx/harmony/wire';
import type { RelayPbx } from './lib/relay';

const BRIDGE_AGENT = { id: '1001', password: 'bench-pw-1' };
const BARE_AGENT = { id: '1002', password: 'bench-pw-2' };
const TIMEOUT_MS = 10_000;

export async function harmonyRelayPbx(): Promise<RelayPbx> {
  // Calls ring until hung up, as a real operator's would during the bench.
  const sim = new HarmonySimulator({ agents: [BRIDGE_AGENT, BARE_AGENT], defaultOutgoing: 'ring' });
  const { url } = await sim.start();
  return {
    profile: {
      id: 'harmony',
      name: 'Harmony',
      type: 'harmony',
      url,
      agentId: BRIDGE_AGENT.id,
      password: BRIDGE_AGENT.password,
      extension: '4711',
    },
    bare: { kind: 'harmony', url },
    dialArrives: (number) =>
      new Promise((resolve) => {
        const onMessage = (message: Message) => {
          const data = message.data as { destination?: unknown } | undefined;
          if (message.command === 'channel.dial' && data?.destination === number) {
            sim.off('message', onMessage);
            resolve(performance.now());
          }
        };
        sim.on('message', onMessage);
      }),
    stop: () => sim.stop(),
  };
}

const lastSegment = (target: unknown): string => String(target).split('.').at(-1) ?? '';

export class BareHarmonyClient {
  private conversation: Promise<string> = Promise.resolve('');
  private onConversation: ((target: string) => void) | null = null;
  private onEnded: (() => void) | null = null;

  private constructor(
    private readonly connection: HarmonyConnection,
    private readonly sessionId: string,
    private readonly channel: string,
  ) {
    connection.on('message', (message) => {
      if (message.name === 'conversation.created') this.onConversation?.(String(message.target));
      if (message.name === 'interaction.ended') this.onEnded?.();
    });
  }

  static async open(url: string): Promise<BareHarmonyClient> {
    const connection = new HarmonyConnection({
      url,
      protocol: harmonyProtocol(),
      rejectUnauthorized: true,
      log: silentLogger,
    });
    await connection.ready();
    const events: Message[] = [];
    const waiters: (() => void)[] = [];
    connection.on('message', (message) => {
      events.push(message);
      for (const wake of waiters.splice(0)) wake();
    });
    const event = async (name: string): Promise<Message> => {
      for (;;) {
        const found = events.find((message) => message.name === name);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    const core = (fields: Message) => connection.request('coreRequest', fields, TIMEOUT_MS);
    const services = (await core({ command: 'getServices' })).services as { id: string; type: string }[];
    const serviceId = services.find((service) => service.type === 'InteractionProcessor')!.id;
    await core({ command: 'bindService', serviceId });
    const prepared = await connection.request(
      'serviceRequest',
      { serviceId, command: 'prepareSession', data: { model: '', override: false, agent: BARE_AGENT } },
      TIMEOUT_MS,
    );
    const sessionId = String((prepared.resource as { id: string }).id);
    await core({ command: 'bindResource', resourceId: sessionId });
    await event('session.initialized');
    await connection.request(
      'resourceRequest',
      {
        resourceId: sessionId,
        command: 'session.request.addchannel',
        target: sessionId,
        data: { channel: { endpoint: '4712', type: 'Telephony' } },
      },
      TIMEOUT_MS,
    );
    const channel = lastSegment((await event('channel.initialized')).target);
    return new BareHarmonyClient(connection, sessionId, channel);
  }

  dial(number: string): void {
    this.conversation = new Promise((resolve) => (this.onConversation = resolve));
    void this.connection.request(
      'resourceRequest',
      {
        resourceId: this.sessionId,
        command: 'channel.dial',
        target: `${this.sessionId}.${this.channel}`,
        data: { destination: number },
      },
      TIMEOUT_MS,
    );
  }

  async hangup(): Promise<void> {
    const conversation = await this.conversation;
    const ended = new Promise<void>((resolve) => (this.onEnded = resolve));
    await this.connection.request(
      'resourceRequest',
      { resourceId: this.sessionId, command: 'conversation.release', target: conversation, data: {} },
      TIMEOUT_MS,
    );
    await ended;
  }
}
