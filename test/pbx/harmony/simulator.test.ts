// The simulator itself, driven by a bare DCP client: what the adapter's tests rely on it to do.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/main/engine/log/logger';
import { HarmonyConnection } from '../../../src/main/engine/pbx/harmony/connection';
import { encodeFrame, FrameParser } from '../../../src/main/engine/pbx/harmony/framing';
import { harmonyProtocol } from '../../../src/main/engine/pbx/harmony/profile';
import { HarmonySimulator } from '../../../src/main/engine/pbx/harmony/simulator';
import type { Message } from '../../../src/main/engine/pbx/harmony/wire';
import { waitFor } from '../../support/wait';

const protocol = harmonyProtocol();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function simulator(): Promise<HarmonySimulator> {
  const sim = new HarmonySimulator({
    agents: [{ id: '1001', password: 'pw' }],
    delays: { alertMs: 0, answerMs: 0 },
  });
  await sim.start();
  cleanup.push(() => sim.stop());
  return sim;
}

/** A bare client: negotiated, with every event it gets. */
async function client(sim: HarmonySimulator): Promise<{ connection: HarmonyConnection; events: Message[] }> {
  const connection = new HarmonyConnection({
    url: sim.url,
    protocol,
    rejectUnauthorized: true,
    log: silentLogger,
  });
  const events: Message[] = [];
  connection.on('message', (message) => events.push(message));
  cleanup.push(() => connection.close('test over'));
  await connection.ready();
  return { connection, events };
}

const core = (c: HarmonyConnection, fields: Message) => c.request('coreRequest', fields, 1_000);

async function session(c: HarmonyConnection): Promise<string> {
  await core(c, { command: 'bindService', serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36' });
  const prepared = await c.request(
    'serviceRequest',
    {
      serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36',
      command: 'prepareSession',
      data: { model: '', override: false, agent: { id: '1001', password: 'pw' } },
    },
    1_000,
  );
  return (prepared.resource as { id: string }).id;
}

describe('Harmony simulator', () => {
  it('sends the 11 channel.dial secondary events in the documented order', async () => {
    const sim = await simulator();
    const { connection, events } = await client(sim);
    const id = await session(connection);
    await core(connection, { command: 'bindResource', resourceId: id });
    const resource = (command: string, target: string, data: Message) =>
      connection.request('resourceRequest', { resourceId: id, command, target, data }, 1_000);
    await resource('session.request.addchannel', id, { channel: { endpoint: '4711', type: 'Telephony' } });
    const channel = await waitFor(
      () => events.find((m) => m.name === 'channel.initialized')?.target,
      'channel',
    );
    events.length = 0;
    const response = await resource('channel.dial', channel as string, { destination: '200' });
    expect(response).toMatchObject({ result: 'success', data: { destination: '200' } });
    await waitFor(() => events.length >= 11, 'the secondary events');
    expect(events.slice(0, 11).map((m) => m.name)).toEqual([
      'channel.infochanged',
      'state.updated',
      'interaction.created',
      'state.updated',
      'conversation.created',
      'state.updated',
      'conversation.member.added',
      'conversation.initialized',
      'interaction.datachanged',
      'interaction.preview',
      'interaction.initialized',
    ]);
    expect(events[2]!.target).toMatch(new RegExp(`^${channel as string}\\.[^.]+$`));
    expect(events[4]!.target).toMatch(new RegExp(`^${events[2]!.target as string}\\.[^.]+$`));
  });

  it('lets only one client bind a session, answers getCapabilities (trimmed), and unknown commands with UNSUPPORTED and the original', async () => {
    const sim = await simulator();
    const first = await client(sim);
    const id = await session(first.connection);
    const second = await client(sim);
    const refused = await core(second.connection, { command: 'bindResource', resourceId: id });
    expect(refused).toMatchObject({ result: 'failure', failure: { code: 'ALREADY_BOUND' } });
    const capabilities = await first.connection.request(
      'serviceRequest',
      { serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36', command: ' getCapabilities ', data: {} },
      1_000,
    );
    expect(capabilities).toMatchObject({ result: 'success', data: { telephony: true } });
    const unknown = await core(first.connection, { command: 'frobnicate' });
    expect(unknown).toMatchObject({
      result: 'failure',
      failure: { code: 'UNSUPPORTED' },
      original: { command: 'frobnicate' },
    });
  });

  it('answers confirm with a message and the original request while a session exists', async () => {
    const sim = await simulator();
    const first = await client(sim);
    await session(first.connection);
    const second = await client(sim);
    await core(second.connection, {
      command: 'bindService',
      serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36',
    });
    const data = { model: '', override: false, agent: { id: '1001', password: 'pw' } };
    const confirm = await second.connection.request(
      'serviceRequest',
      { serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36', command: ' prepareSession ', data },
      1_000,
    );
    expect(confirm).toMatchObject({ result: 'confirm', message: expect.any(String), original: { data } });
  });

  it('replies with an ERROR frame and closes on a bad boundary', async () => {
    const sim = await simulator();
    const socket = net.connect({ host: '127.0.0.1', port: Number(new URL(sim.url).port) });
    cleanup.push(() => void socket.destroy());
    const parser = new FrameParser(protocol.framing);
    const frames: Message[] = [];
    socket.on('data', (chunk) =>
      frames.push(...parser.push(chunk).map((f) => JSON.parse(f.content.toString()) as Message)),
    );
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      Buffer.concat([
        encodeFrame(protocol.framing, 0, '{"messageType":"handshake"}'),
        Buffer.from('GET / HTTP/1.1\r\n'),
      ]),
    );
    await closed;
    expect(frames).toEqual([
      { messageType: 'handshakeResponse', result: 'success' },
      { messageType: 'error', message: expect.stringContaining('boundary') },
    ]);
  });
});
