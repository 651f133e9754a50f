// Calls on the operator's Telephony channel over real sockets: dial, inbound, hang-up, other agents.
import { afterEach, describe, expect, it } from 'vitest';
import { PbxError } from '../../../src/main/engine/pbx/adapter';
import { dialAs } from '../../support/adapter-dial';
import { waitFor } from '../../support/wait';
import { AGENT, startHarness, stopAllHarnesses } from './harness';

afterEach(stopAllHarnesses);

describe('Harmony outgoing calls', () => {
  for (const replyAfterEvents of [false, true]) {
    it(`dials with channel.dial and reports ringing, connected, ended under the Bridge's id (response ${
      replyAfterEvents ? 'after' : 'before'
    } the events)`, async () => {
      const h = await startHarness({ sim: { replyAfterEvents } });
      await h.waitForLink('online');
      const { callId } = await dialAs(h.adapter, '200');
      const session = h.sim.sessionOf(AGENT);
      expect(h.sim.received('channel.dial')[0]).toMatchObject({
        messageType: 'resourceRequest',
        resourceId: session,
        target: expect.stringMatching(new RegExp(`^${session}\\.[^.]+$`)),
        data: { destination: '200' },
      });
      await h.waitForCall('connected', callId);
      h.sim.remoteHangup();
      await h.waitForCall('ended', callId);
      expect(h.of(callId)).toEqual([
        { kind: 'ringing', callId, direction: 'outbound', remoteNumber: '200' },
        { kind: 'connected', callId, direction: 'outbound', remoteNumber: '200' },
        expect.objectContaining({ kind: 'ended', callId, outcome: 'completed' }),
      ]);
      expect(h.calls.filter((e) => e.callId !== callId)).toEqual([]);
    });
  }

  it('a dial the server refuses rejects with its words, and nothing is reported', async () => {
    const h = await startHarness({ sim: { outgoing: { '0900123': 'fail' } } });
    await h.waitForLink('online');
    const error = await dialAs(h.adapter, '0900123').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxError);
    expect(error).toMatchObject({
      code: 'rejected',
      message: expect.stringContaining('Cannot dial 0900123'),
    });
    expect(h.calls).toEqual([]);
  });

  it('a busy far end ends the call as busy', async () => {
    const h = await startHarness({ sim: { outgoing: { '0905111111': 'busy' } } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0905111111');
    const ended = await h.waitForCall('ended', callId);
    expect(ended).toMatchObject({ outcome: 'busy', detail: expect.stringContaining('BUSY') });
  });

  it('an accepted dial with no interaction ends as failed after the own-dial window', async () => {
    const h = await startHarness({
      sim: { outgoing: { '201': 'silent' } },
      profile: { protocol: { calls: { ownDialWindowMs: 200 } } },
    });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '201');
    const ended = await h.waitForCall('ended', callId);
    expect(ended).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/no interaction/) });
  });

  it('a dial the server never answers is a timeout', async () => {
    const h = await startHarness({ sim: { ignore: ['channel.dial'] } });
    await h.waitForLink('online');
    const error = await dialAs(h.adapter, '200').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringContaining('channel.dial') });
  });

  it('hangup releases the conversation from conversation.created and the call ends as cancelled before answer', async () => {
    const h = await startHarness({ sim: { outgoing: { '300': 'ring' } } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '300');
    await h.waitForCall('ringing', callId);
    await waitFor(() => h.sim.liveCalls()[0]?.state === 'ALERTING', 'alerting');
    const live = h.sim.liveCalls()[0]!;
    await h.adapter.hangup(callId);
    const release = h.sim.received('conversation.release')[0]!;
    expect(release).toMatchObject({
      messageType: 'resourceRequest',
      target: expect.stringMatching(new RegExp(`^${live.interaction.replaceAll('.', '\\.')}\\.[^.]+$`)),
    });
    expect(await h.waitForCall('ended', callId)).toMatchObject({ outcome: 'cancelled' });
    expect(h.sim.liveCalls()).toEqual([]);
  });

  it('hangup() with no call id releases every live call of the operator', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    await h.adapter.hangup();
    expect(await h.waitForCall('ended', callId)).toMatchObject({ outcome: 'completed' });
    expect(h.sim.liveCalls()).toEqual([]);
  });

  it('a call the server no longer knows ends at the hang-up', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    // The server loses the call without telling (e.g. a CTI restart).
    h.sim.forgetCalls();
    await h.adapter.hangup(callId);
    expect(await h.waitForCall('ended', callId)).toMatchObject({
      detail: expect.stringContaining('not found'),
    });
  });
});

describe('Harmony incoming calls and other agents', () => {
  it('reports an inbound call with the caller number from data.interaction.ani', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const id = h.sim.placeInboundCall({ from: '0301234567' });
    const ringing = await h.waitForCall('ringing');
    expect(ringing).toMatchObject({ direction: 'inbound', remoteNumber: '0301234567' });
    h.sim.answerCall(id);
    await h.waitForCall('connected', ringing.callId);
    h.sim.remoteHangup(id);
    expect(await h.waitForCall('ended', ringing.callId)).toMatchObject({ outcome: 'completed' });
  });

  it('an unanswered inbound call ends as no-answer', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const id = h.sim.placeInboundCall({ from: '0301234567' });
    const ringing = await h.waitForCall('ringing');
    h.sim.remoteHangup(id);
    expect(await h.waitForCall('ended', ringing.callId)).toMatchObject({ outcome: 'no-answer' });
  });

  it('the last conversation disposed ends the call even without interaction.ended', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const id = h.sim.placeInboundCall({ from: '0301234567' });
    const ringing = await h.waitForCall('ringing');
    h.sim.remoteHangup(id, { conversationOnly: true });
    expect(await h.waitForCall('ended', ringing.callId)).toMatchObject({
      detail: expect.stringContaining('conversation.disposed'),
    });
  });

  it("other agents' calls are ignored, the operator's own still come through", async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    h.sim.otherAgentCall('0309999999');
    h.sim.placeInboundCall({ from: '0301234567', agentId: AGENT });
    const ringing = await h.waitForCall('ringing');
    expect(ringing).toMatchObject({ remoteNumber: '0301234567' });
    expect(h.calls.filter((e) => e.kind === 'ringing')).toHaveLength(1);
    expect(h.log.records().some((r) => r.msg === 'harmony event of another channel or agent ignored')).toBe(
      true,
    );
  });

  it('a drop mid-call ends it as link-lost', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '200');
    await h.waitForCall('connected', callId);
    h.sim.dropAllConnections();
    expect(await h.waitForCall('ended', callId)).toMatchObject({ outcome: 'link-lost' });
  });
});
