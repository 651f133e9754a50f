// `protocol` overrides proven end to end: the simulator speaks the overridden profile, the adapter follows.
import { afterEach, describe, expect, it } from 'vitest';
import { dialAs } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';
import { startHarness, stopAllHarnesses } from './harness';

afterEach(stopAllHarnesses);

describe('Harmony protocol overrides', () => {
  it('a renamed release command is what hangup sends, and the call ends', async () => {
    const protocol = { commands: { release: 'conversation.hangup' } };
    const h = await startHarness({ profile: { protocol } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    await h.adapter.hangup(callId);
    await h.waitForCall('ended', callId);
    expect(h.sim.received('conversation.hangup')).toHaveLength(1);
    expect(h.sim.received('conversation.release')).toEqual([]);
    expect(h.sim.liveCalls()).toEqual([]);
  });

  it('without the override, a server that names release differently refuses the hang-up', async () => {
    const h = await startHarness({ sim: { protocol: { commands: { release: 'conversation.hangup' } } } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    const error = await h.adapter.hangup(callId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rejected', message: expect.stringContaining('Unsupported') });
    expect(h.sim.liveCalls()).toHaveLength(1);
  });

  it('little-endian lengths: both sides agree and the link comes up', async () => {
    const protocol = { framing: { lengthByteOrder: 'little' as const } };
    const h = await startHarness({ profile: { protocol } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
  });

  it('little-endian server, default client: the link never comes up', async () => {
    const h = await startHarness({ sim: { protocol: { framing: { lengthByteOrder: 'little' } } } });
    await waitFor(() => h.links.some((l) => l.status === 'offline'), 'offline');
    expect(h.adapter.link.status).not.toBe('online');
    expect(h.sim.received('getServices')).toEqual([]);
  });

  it('renamed envelope fields, message types, index and caller-number path', async () => {
    const protocol = {
      fields: { messageType: 'type', requestId: 'reqId', command: 'cmd', data: 'payload' },
      messageTypes: { objectEvent: 'resourceEvent' },
      framing: { magic: 'HRMY', transportIndex: 9 },
      transport: { clientId: 'patriot-bridge' },
      calls: { callerNumberPaths: ['payload.interaction.callingNumber'], directionPath: 'payload.call.dir' },
    };
    const h = await startHarness({ profile: { protocol }, sim: { dcpIndex: 4 } });
    await h.waitForLink('online');
    expect(h.sim.messages[0]).toEqual({
      connectionId: 1,
      index: 9,
      message: { type: 'handshake', client: { id: 'patriot-bridge', name: 'Dialler Bridge' } },
    });
    expect(h.sim.messages.find((m) => m.message.cmd === 'getServices')).toMatchObject({
      index: 4,
      message: { type: 'coreRequest', reqId: expect.any(String) },
    });
    h.sim.placeInboundCall({ from: '0301234567' });
    expect(await h.waitForCall('ringing')).toMatchObject({
      direction: 'inbound',
      remoteNumber: '0301234567',
    });
  });

  it('connected and ringing states come from the profile', async () => {
    // A server whose STARTED means nothing to this profile: the call never connects.
    const protocol = { calls: { connectedStates: ['ESTABLISHED'] } };
    const h = await startHarness({ profile: { protocol } });
    await h.waitForLink('online');
    const id = h.sim.placeInboundCall({ from: '0301234567' });
    const ringing = await h.waitForCall('ringing');
    h.sim.answerCall(id);
    h.sim.remoteHangup(id);
    const ended = await h.waitForCall('ended', ringing.callId);
    expect(h.of(ringing.callId).map((e) => e.kind)).toEqual(['ringing', 'ended']);
    expect(ended).toMatchObject({ outcome: 'no-answer', detail: expect.stringContaining('STARTED') });
  });
});
