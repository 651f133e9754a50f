// Calls through Basix against the simulator over real sockets: click-to-call with call_user, the
// operator's inbound calls, hang-up by command, busy / no answer / refused dials, field order by spec.
import { afterEach, describe, expect, it } from 'vitest';
import { PbxError } from '../../../src/main/engine/pbx/adapter';
import { waitFor } from '../../support/wait';
import { dialAs } from '../../support/adapter-dial';
import { OPERATOR, OTHER_USER, startHarness, stopAllHarnesses } from './harness';

afterEach(stopAllHarnesses);

describe('basix calls', () => {
  it('click-to-call: call_user as the operator, ringing then connected, outbound to the number', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    expect(h.sim.callUserRequests).toEqual([{ user_name: OPERATOR, destination: '0312345678' }]);
    await h.waitForCall('connected', callId);
    expect(h.of(callId).map((e) => e.kind)).toEqual(['ringing', 'connected']);
    expect(h.of(callId)[0]).toMatchObject({ direction: 'outbound', remoteNumber: '0312345678' });
  });

  it('hangs up with {"cmd":"hangup","uuid"} for the operator\'s leg; the end comes back as events', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    const [leg] = h.sim.liveChannels().filter((channel) => channel.user_id === 10001001);
    await h.adapter.hangup(callId);
    const ended = await h.waitForCall('ended', callId);
    expect(h.sim.connections[0]!.commands).toEqual([{ cmd: 'hangup', uuid: leg!.uuid }]);
    expect(ended).toMatchObject({ outcome: 'completed', detail: expect.stringContaining('NORMAL_CLEARING') });
    expect(h.sim.liveCalls()).toBe(0);
  });

  it.each([
    ['busy', 'busy', /Busy \(recv_refuse,USER_BUSY\)/],
    ['no-answer', 'no-answer', /No answer \(send_cancel,NO_ANSWER\)/],
    ['user-no-answer', 'no-answer', /No answer/],
  ] as const)(
    'a %s destination ends the call as %s with the Basix cause',
    async (script, outcome, detail) => {
      const h = await startHarness({ sim: { outcomes: { '0399999999': script } } });
      await h.waitForLink('online');
      const { callId } = await dialAs(h.adapter, '0399999999');
      const ended = await h.waitForCall('ended', callId);
      expect(ended).toMatchObject({ outcome, detail: expect.stringMatching(detail) });
      expect(h.of(callId).filter((e) => e.kind === 'connected')).toEqual([]);
    },
  );

  it('a call_user refusal is a failed dial with the Basix error id in words; nothing is tracked', async () => {
    const h = await startHarness({ sim: { callUserErrors: { '0311111111': 'destination_blocked' } } });
    await h.waitForLink('online');
    const error = await dialAs(h.adapter, '0311111111').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxError);
    expect((error as PbxError).message).toBe(
      'Basix refused the call to 0311111111: destination blocked (Basix error "destination_blocked").',
    );
    expect(h.calls).toEqual([]);
  });

  it('call_user with a token the REST API refuses says so (auth-failed), and the link stays up', async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    h.sim.restToken = 'rotated-token-xyz';
    const error = (await dialAs(h.adapter, '0312345678').catch((e: unknown) => e)) as PbxError;
    expect(error).toMatchObject({
      code: 'auth-failed',
      message: expect.stringContaining('domain and API token'),
    });
    expect(h.adapter.link.status).toBe('online');
  });

  it("an inbound call to the operator: ringing with the caller's number, connected, ended by the caller", async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    const [, bLeg] = h.sim.placeInboundCall({ from: '0311112222', toUser: OPERATOR, answerAfterMs: 30 });
    const ringing = await h.waitForCall('ringing');
    expect(ringing).toMatchObject({ direction: 'inbound', remoteNumber: '0311112222' });
    await h.waitForCall('connected', ringing.callId);
    h.sim.farEndHangup(bLeg);
    const ended = await h.waitForCall('ended', ringing.callId);
    expect(ended).toMatchObject({ outcome: 'completed' });
    // A-leg and B-leg are one call: one id from start to end.
    expect(new Set(h.calls.map((e) => e.callId)).size).toBe(1);
  });

  it("other users' calls are dropped; the operator's own call still comes through", async () => {
    const h = await startHarness();
    await h.waitForLink('online');
    h.sim.placeInboundCall({ from: '0300000001', toUser: OTHER_USER, answerAfterMs: 0 });
    h.sim.placeCallFor(OTHER_USER, '0300000002');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    expect(h.calls.filter((e) => e.callId !== callId)).toEqual([]);
  });

  it('maps fields by field_spec: a shuffled field order gives the same calls', async () => {
    const h = await startHarness({ sim: { shuffleFieldsSeed: 7 } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    h.sim.placeInboundCall({ from: '0311112222', toUser: OPERATOR });
    await waitFor(() => h.calls.find((e) => e.kind === 'ringing' && e.callId !== callId), 'the inbound call');
    expect(h.calls.find((e) => e.callId !== callId)).toMatchObject({
      direction: 'inbound',
      remoteNumber: '0311112222',
    });
  });

  it('without `removed` events a hung-up call still ends (CHANNEL_HANGUP is enough)', async () => {
    const h = await startHarness({ sim: { omitRemoved: true } });
    await h.waitForLink('online');
    const { callId } = await dialAs(h.adapter, '0312345678');
    await h.waitForCall('connected', callId);
    await h.adapter.hangup();
    await h.waitForCall('ended', callId);
  });

  it('hangup() with no id waits for a dial in flight, then hangs it up too', async () => {
    const h = await startHarness({ sim: { replyDelayMs: 100 } });
    await h.waitForLink('online');
    const dialling = dialAs(h.adapter, '0312345678');
    await waitFor(() => h.sim.liveCalls() === 1, 'the call at the PBX');
    await h.adapter.hangup();
    const { callId } = await dialling;
    await h.waitForCall('ended', callId);
    await waitFor(() => h.sim.liveCalls() === 0, 'no call left');
  });
});
