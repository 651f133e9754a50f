// Link and session flows over real sockets: login, confirm, wrong password, drops, logout, secrets.
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PbxError } from '../../../src/main/engine/pbx/adapter';
import { encodeFrame } from '../../../src/main/engine/pbx/harmony/framing';
import { SIGNED_IN_ELSEWHERE } from '../../../src/main/engine/pbx/harmony/session';
import { dialAs } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';
import { AGENT, EXTENSION, PASSWORD, startHarness, stopAllHarnesses } from './harness';

afterEach(stopAllHarnesses);

describe('Harmony session start-up', () => {
  it('handshakes, negotiates, and opens the agent session in the contract order on the negotiated index', async () => {
    const h = await startHarness({ sim: { dcpIndex: 7 } });
    await h.waitForLink('online');
    const transport = h.sim.messages.filter((m) => m.index === 0).map((m) => m.message);
    expect(transport).toEqual([
      { messageType: 'handshake', client: { id: 'dialler-bridge', name: 'Dialler Bridge' } },
      { messageType: 'negotiate', protocols: [{ name: 'dcp', version: '1.0' }] },
    ]);
    const dcp = h.sim.messages.filter((m) => m.index !== 0);
    expect(dcp.every((m) => m.index === 7)).toBe(true);
    expect(dcp.map((m) => [m.message.messageType, m.message.command])).toEqual([
      ['coreRequest', 'getServices'],
      ['coreRequest', 'bindService'],
      ['serviceRequest', 'prepareSession'],
      ['coreRequest', 'bindResource'],
      ['resourceRequest', 'session.request.addchannel'],
    ]);
    // The simulator lists a Config service first: the Interaction Processor is picked by type.
    expect(h.sim.received('bindService')[0]).toMatchObject({
      serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36',
    });
    const [session] = h.sim.liveSessions();
    expect(h.sim.received('prepareSession')[0]).toMatchObject({
      serviceId: 'e70f36a4-982f-47e2-9420-780ebe581f36',
      data: { model: '', override: false, agent: { id: AGENT, password: PASSWORD } },
    });
    expect(h.sim.received('bindResource')[0]).toMatchObject({ resourceId: session!.id });
    expect(h.sim.received('session.request.addchannel')[0]).toMatchObject({
      resourceId: session!.id,
      target: session!.id,
      data: { channel: { endpoint: EXTENSION, type: 'Telephony' } },
    });
    for (const m of dcp) expect(typeof m.message.requestId).toBe('string');
    expect(new Set(dcp.map((m) => m.message.requestId)).size).toBe(dcp.length);
    expect(h.adapter.link).toMatchObject({ status: 'online', detail: expect.stringContaining(AGENT) });
  });

  it('sends the configured call model', async () => {
    const h = await startHarness({ profile: { model: 'Outbound' } });
    await h.waitForLink('online');
    expect(h.sim.received('prepareSession')[0]).toMatchObject({ data: { model: 'Outbound' } });
  });

  it('on confirm without overrideExistingSession: never overrides, says so in plain words, retries slowly', async () => {
    const h = await startHarness({ sim: { signedInElsewhere: [AGENT] } });
    const link = await h.waitForLink('offline');
    expect(link).toMatchObject({ reason: expect.stringContaining(SIGNED_IN_ELSEWHERE) });
    expect(SIGNED_IN_ELSEWHERE.toLowerCase()).toBe('this agent is already signed in elsewhere');
    expect(link).toMatchObject({ reason: expect.stringContaining('overrideExistingSession') });
    // The slow retry: one minute away, not a backoff of milliseconds.
    expect(link.status === 'offline' && link.retryAt! - Date.now()).toBeGreaterThan(50_000);
    const prepares = h.sim.received('prepareSession');
    expect(prepares).toHaveLength(1);
    expect(prepares[0]).toMatchObject({ data: { override: false } });
    expect(h.sim.received('bindResource')).toEqual([]);
    expect(h.sim.liveSessions()).toEqual([expect.objectContaining({ agentId: AGENT, connectionId: null })]);
    const error = await dialAs(h.adapter, '200').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxError);
  });

  it('on confirm with overrideExistingSession: resends with override true and takes the session over', async () => {
    const h = await startHarness({
      sim: { signedInElsewhere: [AGENT] },
      profile: { overrideExistingSession: true },
    });
    await h.waitForLink('online');
    expect(h.sim.received('prepareSession').map((m) => (m.data as { override: boolean }).override)).toEqual([
      false,
      true,
    ]);
    expect(h.sim.liveSessions()).toEqual([expect.objectContaining({ agentId: AGENT, bound: true })]);
  });

  it('a wrong password is auth-failed with the server words, retried only slowly, and at once on retryNow', async () => {
    const h = await startHarness({ profile: { password: 'wrong-password-1' } });
    const link = await h.waitForLink('auth-failed');
    expect(link).toMatchObject({ reason: expect.stringContaining('Invalid agent id or password') });
    expect(h.sim.received('prepareSession')).toHaveLength(1);
    expect(h.sim.openConnections()).toBe(0);
    h.adapter.retryNow();
    await waitFor(() => h.sim.received('prepareSession').length === 2, 'a second prepareSession');
    await h.waitForLink('auth-failed');
    expect(h.sim.acceptedConnections).toBe(2);
    const error = await dialAs(h.adapter, '200').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-failed' });
  });

  it('adopts a Telephony channel for the extension that the session replays, instead of adding one', async () => {
    const h = await startHarness({ sim: { presetChannel: EXTENSION } });
    await h.waitForLink('online');
    expect(h.sim.received('session.request.addchannel')).toEqual([]);
    await dialAs(h.adapter, '200');
    const session = h.sim.liveSessions()[0]!.id;
    expect(h.sim.received('channel.dial')[0]).toMatchObject({
      target: expect.stringMatching(`^${session}\\.`),
    });
    await h.waitForCall('connected');
  });

  it('adds its own channel when the replayed one is for another endpoint', async () => {
    const h = await startHarness({ sim: { presetChannel: '9999' } });
    await h.waitForLink('online');
    expect(h.sim.received('session.request.addchannel')).toHaveLength(1);
  });

  it('when addchannel is refused, takes the one replayed channel whose endpoint the server did not say', async () => {
    const h = await startHarness({ sim: { presetChannel: EXTENSION, anonymousChannels: true } });
    await h.waitForLink('online');
    expect(h.sim.received('session.request.addchannel')).toHaveLength(1);
    expect(h.log.records().some((r) => String(r.msg).includes('addchannel failed'))).toBe(true);
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
  });

  it('with an anonymous replay and addchannel accepted, uses the channel it added', async () => {
    const h = await startHarness({ sim: { presetChannel: '9999', anonymousChannels: true } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    const [preset, added] = h.sim.liveSessions()[0]!.channels;
    expect(h.sim.received('channel.dial')[0]).toMatchObject({ target: added });
    expect(added).not.toBe(preset);
  });

  it('a drop ends the session; the reconnect prepares a new one', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const first = h.sim.liveSessions()[0]!.id;
    h.sim.dropAllConnections();
    await waitFor(() => h.sim.received('session.request.addchannel').length === 2, 'a second session');
    await h.waitForLink('online');
    expect(h.sim.received('prepareSession')).toHaveLength(2);
    const [second] = h.sim.liveSessions();
    expect(second!.id).not.toBe(first);
    expect(h.sim.received('bindResource').at(-1)).toMatchObject({ resourceId: second!.id });
  });

  it('stop logs out of the session, waits for the response, then closes', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const session = h.sim.liveSessions()[0]!.id;
    await h.adapter.stop();
    expect(h.sim.received('session.request.logout')).toEqual([
      expect.objectContaining({
        messageType: 'resourceRequest',
        resourceId: session,
        target: session,
        data: {},
      }),
    ]);
    expect(h.sim.liveSessions()).toEqual([]);
    await waitFor(() => h.sim.openConnections() === 0, 'the socket closed');
    expect(h.adapter.link.status).toBe('stopped');
  });

  it('stop is bounded when the server never answers the logout', async () => {
    const h = await startHarness({ sim: { ignore: ['session.request.logout'] } });
    await h.waitForLink('online');
    await h.adapter.stop();
    expect(h.sim.received('session.request.logout')).toHaveLength(1);
    expect(h.log.records().some((r) => r.msg === 'harmony logout unconfirmed')).toBe(true);
    await waitFor(() => h.sim.openConnections() === 0, 'the socket closed');
  });

  it('a request the server never answers times out with a clear error and a reconnect', async () => {
    const h = await startHarness({ sim: { ignore: ['bindService'] } });
    await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
    const offline = h.links.find((l) => l.status === 'offline');
    expect(offline).toMatchObject({
      reason: expect.stringMatching(/did not answer bindService within 1000 ms/),
    });
    await waitFor(() => h.sim.acceptedConnections >= 2, 'a reconnect');
  });

  it('never logs the password, not even at debug where prepareSession and its echo are traced', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    await h.adapter.stop();
    expect(h.log.text()).toContain('prepareSession');
    expect(h.log.text()).not.toContain(PASSWORD);
  });

  it('logs unrecognised messages at debug, with the password removed', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    // An event the adapter does not know, carrying the password, on the operator's session.
    const session = h.sim.liveSessions()[0]!.id;
    (h.sim as unknown as { deliver(s: unknown, e: unknown[]): void }).deliver(
      { owner: null, broadcast: true, id: session },
      [
        {
          messageType: 'objectEvent',
          name: 'agent.state.changed',
          target: session,
          data: { note: PASSWORD },
        },
      ],
    );
    const record = await waitFor(
      () =>
        h.log
          .records()
          .find((r) => r.msg === 'harmony event not recognised' && JSON.stringify(r).includes('agent.state')),
      'the debug line',
    );
    expect(record.level).toBe('debug');
    expect(JSON.stringify(record)).toContain('agent.state.changed');
    expect(JSON.stringify(record)).not.toContain(PASSWORD);
  });
});

/** A TCP server on 127.0.0.1 that answers every connection with `bytes`. */
async function rawServer(
  bytes: Buffer,
  options: { end?: boolean } = {},
): Promise<{ url: string; accepted(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (options.end) socket.end(bytes);
    else socket.write(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Harmony framing errors from the server', () => {
  it('a frame without the ~!OM boundary closes the connection and reconnects with backoff', async () => {
    const server = await rawServer(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    try {
      const h = await startHarness({ profile: { url: server.url } });
      await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
      expect(h.links.find((l) => l.status === 'offline')).toMatchObject({
        reason: expect.stringMatching(/Protocol error.*boundary/),
      });
      await waitFor(() => server.accepted() >= 2, 'a reconnect');
      await h.adapter.stop();
    } finally {
      await server.close();
    }
  });

  it("the server's transport ERROR message is the reason shown", async () => {
    const error = encodeFrame(
      { magic: '~!OM', lengthByteOrder: 'big', maxFrameBytes: 1_048_576 },
      0,
      JSON.stringify({ messageType: 'error', message: 'Client not allowed' }),
    );
    const server = await rawServer(error, { end: true });
    try {
      const h = await startHarness({ profile: { url: server.url } });
      await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
      expect(h.links.find((l) => l.status === 'offline')).toMatchObject({
        reason: expect.stringContaining('reported a transport error: Client not allowed'),
      });
      await h.adapter.stop();
    } finally {
      await server.close();
    }
  });

  it('an oversize frame is a protocol error', async () => {
    const header = encodeFrame({ magic: '~!OM', lengthByteOrder: 'big', maxFrameBytes: 0 }, 0, '');
    header.writeUInt32BE(2 * 1_048_576, 5);
    const server = await rawServer(header);
    try {
      const h = await startHarness({ profile: { url: server.url } });
      await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
      expect(h.links.find((l) => l.status === 'offline')).toMatchObject({
        reason: expect.stringMatching(/over the 1048576-byte limit/),
      });
      await h.adapter.stop();
    } finally {
      await server.close();
    }
  });
});
