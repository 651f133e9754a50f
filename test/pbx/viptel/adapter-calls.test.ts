import { afterEach, describe, expect, it } from 'vitest';
import { SIM_REPLIES } from '../../../src/main/engine/pbx/viptel/simulator-frames';
import { waitFor } from '../../support/wait';
import { EXTENSION, makeRig, rejection, stopRigs, type ViptelRig } from './harness';
import { dialAs } from '../../support/adapter-dial';

afterEach(stopRigs);

async function onlineRig(options: Parameters<typeof makeRig>[0] = {}): Promise<ViptelRig> {
  const rig = await makeRig(options);
  await rig.online();
  return rig;
}

/** Client actions the simulator received with this action name. */
function sent(rig: ViptelRig, action: string): Record<string, unknown>[] {
  return rig.sim.connections.flatMap((c) => c.actions).filter((frame) => frame.action === action);
}

describe('VIPTel adapter: calls', () => {
  it('places a call from the extension and follows it to connected and ended', async () => {
    const rig = await onlineRig();
    const { callId } = await dialAs(rig.adapter, '0220282028');
    const [create] = sent(rig, 'call.create');
    // `from` is an Integer in the spec; `to` stays a string (leading zero).
    expect(create).toEqual({
      action: 'call.create',
      from: 12,
      to: '0220282028',
      call_random_id: expect.stringMatching(/^[A-Za-z0-9]{1,64}$/),
    });
    expect(await rig.callEvent('ringing', callId)).toEqual({
      kind: 'ringing',
      callId,
      direction: 'outbound',
      remoteNumber: '0220282028',
    });
    expect(await rig.callEvent('connected', callId)).toMatchObject({ direction: 'outbound' });
    await rig.adapter.hangup(callId);
    expect(await rig.callEvent('ended', callId)).toEqual({
      kind: 'ended',
      callId,
      outcome: 'completed',
      detail: 'answer',
    });
    expect(sent(rig, 'call.hangup')).toHaveLength(1);
  });

  it('uses a fresh call_random_id per call and sends caller_id from the profile', async () => {
    const rig = await onlineRig({ profile: { callerId: '0212345678' } });
    const first = await dialAs(rig.adapter, '0905111111');
    const second = await dialAs(rig.adapter, '0905222222');
    expect(first.callId).not.toBe(second.callId);
    const creates = sent(rig, 'call.create');
    expect(creates.map((frame) => frame.caller_id)).toEqual(['0212345678', '0212345678']);
    expect(new Set(creates.map((frame) => frame.call_random_id)).size).toBe(2);
  });

  it('keeps one call id when the PBX renames the call, and hangs up with the current unique_id', async () => {
    const rig = await onlineRig({ sim: { renameOnCreate: true } });
    const { callId } = await dialAs(rig.adapter, '0220282028');
    await rig.callEvent('connected', callId);
    const [call] = rig.sim.calls();
    const [firstId] = call!.ids;
    expect(call!.uniqueId).not.toBe(firstId);
    await rig.adapter.hangup(callId);
    expect(sent(rig, 'call.hangup')).toEqual([{ action: 'call.hangup', unique_id: call!.uniqueId }]);
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'completed' });
    expect(new Set(rig.calls.map((event) => event.callId))).toEqual(new Set([callId]));
  });

  it('follows the spec example: call.end under yet another id with the same part after the dot', async () => {
    const rig = await onlineRig({
      sim: { renameOnCreate: true, renameLater: 'end', outcomes: { '0220282028': 'chanunavail' } },
    });
    const { callId } = await dialAs(rig.adapter, '0220282028');
    expect(await rig.callEvent('ended', callId)).toEqual({
      kind: 'ended',
      callId,
      outcome: 'unreachable',
      detail: 'chanunavail',
    });
    expect(rig.calls.map((event) => event.kind)).toEqual(['ringing', 'ended']);
  });

  it('follows a call whose call.begin and call.pickup carry another id than create_response', async () => {
    const rig = await onlineRig({ sim: { renameLater: 'begin' } });
    const { callId } = await dialAs(rig.adapter, '0220282028');
    await rig.callEvent('connected', callId);
    const [call] = rig.sim.calls();
    expect(call!.ids.size).toBe(2);
    await rig.adapter.hangup(callId);
    expect(sent(rig, 'call.hangup')).toEqual([{ action: 'call.hangup', unique_id: call!.uniqueId }]);
    expect(rig.calls.map((event) => [event.kind, event.callId])).toEqual([
      ['ringing', callId],
      ['connected', callId],
      ['ended', callId],
    ]);
  });

  it('takes a call.begin for the dialled number as acceptance when it beats call.create_response', async () => {
    const rig = await onlineRig({ sim: { delays: { createResponseMs: 5_000 } } });
    const dialing = dialAs(rig.adapter, '0220282028');
    await waitFor(() => sent(rig, 'call.create').length === 1, 'call.create at the PBX');
    rig.sim.broadcast({ event: 'call.begin', caller: EXTENSION, callee: '0220282028', unique_id: '1453.77' });
    const { callId } = await dialing;
    expect(await rig.callEvent('ringing', callId)).toMatchObject({ remoteNumber: '0220282028' });
    rig.sim.broadcast({ event: 'call.end', unique_id: '1453.77', status: 'noanswer' });
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'no-answer' });
  });

  it('treats "404 Call not found" on hangup as already ended', async () => {
    const rig = await onlineRig();
    const { callId } = await dialAs(rig.adapter, '0220282028');
    await rig.callEvent('connected', callId);
    rig.sim.failNext('call.hangup', SIM_REPLIES.callNotFound);
    await rig.adapter.hangup(callId);
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'completed' });
    await rig.adapter.hangup(callId); // nothing left to do
    expect(sent(rig, 'call.hangup')).toHaveLength(1);
  });

  it('hangs up every live call of the operator when no call is named', async () => {
    const rig = await onlineRig();
    rig.sim.placeInboundCall({ from: '0905111111', to: EXTENSION });
    rig.sim.placeInboundCall({ from: '0905222222', to: EXTENSION });
    await waitFor(() => rig.calls.filter((e) => e.kind === 'ringing').length === 2, 'two ringing calls');
    await rig.adapter.hangup();
    const ended = rig.calls.filter((event) => event.kind === 'ended');
    expect(ended.map((event) => event.kind === 'ended' && event.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(rig.sim.calls()).toEqual([]);
  });

  it('hangs up a call still being set up as soon as the PBX names it', async () => {
    const rig = await onlineRig({ sim: { delays: { createResponseMs: 150 } } });
    const dialing = dialAs(rig.adapter, '0220282028');
    await waitFor(() => sent(rig, 'call.create').length === 1, 'call.create at the PBX');
    const hangingUp = rig.adapter.hangup();
    const { callId } = await dialing;
    await hangingUp;
    expect(sent(rig, 'call.hangup')).toHaveLength(1);
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'cancelled' });
  });

  it('reports an inbound call to the extension with the caller number', async () => {
    const rig = await onlineRig();
    const uniqueId = rig.sim.placeInboundCall({ from: '0905123456', to: EXTENSION });
    const ringing = await rig.callEvent('ringing');
    expect(ringing).toMatchObject({ direction: 'inbound', remoteNumber: '0905123456' });
    rig.sim.answer(uniqueId);
    expect(await rig.callEvent('connected', ringing.callId)).toMatchObject({
      direction: 'inbound',
      remoteNumber: '0905123456',
    });
    rig.sim.endCall(uniqueId, 'answer');
    expect(await rig.callEvent('ended', ringing.callId)).toMatchObject({ outcome: 'completed' });
  });

  it('reports a call the operator dials at the handset', async () => {
    const rig = await onlineRig();
    const uniqueId = rig.sim.placeInboundCall({ from: EXTENSION, to: '0905999888' });
    const ringing = await rig.callEvent('ringing');
    expect(ringing).toMatchObject({ direction: 'outbound', remoteNumber: '0905999888' });
    rig.sim.endCall(uniqueId, 'busy');
    expect(await rig.callEvent('ended', ringing.callId)).toMatchObject({ outcome: 'busy', detail: 'busy' });
  });

  it('turns every call.end status into its outcome, keeping the status as detail', async () => {
    const rig = await onlineRig();
    const expected = {
      answer: 'completed',
      busy: 'busy',
      noanswer: 'no-answer',
      cancel: 'cancelled',
      congestion: 'invalid-number',
      chanunavail: 'unreachable',
      dontcall: 'rejected',
      invalidargs: 'invalid-number',
      somethingnew: 'failed',
    };
    for (const [status, outcome] of Object.entries(expected)) {
      const uniqueId = rig.sim.placeInboundCall({ from: '0905000000', to: EXTENSION });
      const { callId } = await rig.callEvent('ringing');
      rig.sim.endCall(uniqueId, status);
      expect(await rig.callEvent('ended', callId)).toEqual({
        kind: 'ended',
        callId,
        outcome,
        detail: status,
      });
    }
  });

  it('ends a dialled call to a busy destination without connecting it', async () => {
    const rig = await onlineRig({ sim: { outcomes: { '0900*': 'busy' } } });
    const { callId } = await dialAs(rig.adapter, '0900123456');
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'busy' });
    expect(rig.calls.some((event) => event.kind === 'connected')).toBe(false);
  });

  it('ignores the events of other extensions, cheaply and without a log line each', async () => {
    const rig = await onlineRig();
    const linesBefore = rig.log.lines.length;
    rig.sim.emitForeignEvents(3_000, [EXTENSION]);
    rig.sim.placeInboundCall({ from: '0905123456', to: EXTENSION });
    await rig.callEvent('ringing');
    expect(rig.calls).toHaveLength(1);
    expect(rig.adapter.ignoredEvents).toBeGreaterThanOrEqual(3_000);
    expect(rig.log.lines.length - linesBefore).toBeLessThan(5);
  });

  it('ignores call.create_response of other clients', async () => {
    const rig = await onlineRig();
    rig.sim.broadcast({ event: 'call.create_response', unique_id: '1.1', call_random_id: 'someoneElse' });
    rig.sim.broadcast({ event: 'call.pickup', unique_id: '1.1' });
    rig.sim.broadcast({ event: 'call.end', unique_id: '1.1', status: 'answer' });
    await waitFor(() => rig.adapter.ignoredEvents === 3, 'three ignored events');
    expect(rig.calls).toEqual([]);
  });

  it('rejects a dial the PBX refuses, with its reason', async () => {
    const rig = await onlineRig({
      sim: {
        users: [{ username: 'dispatch', password: 'Correct-Horse-9', deniedActions: ['call.redirect'] }],
      },
    });
    rig.sim.failNext('call.create', SIM_REPLIES.actionFailed);
    const failed = await rejection(dialAs(rig.adapter, '0220282028'));
    expect(failed.code).toBe('failed');
    expect(failed.message).toMatch(/could not carry out/i);

    rig.sim.failNext('call.create', { ...SIM_REPLIES.invalidValues, errors: ['to is not a valid number'] });
    const invalid = await rejection(dialAs(rig.adapter, '12ab'));
    expect(invalid.code).toBe('rejected');
    expect(invalid.message).toContain('to is not a valid number');

    rig.sim.failNext('call.create', SIM_REPLIES.forbidden);
    const forbidden = await rejection(dialAs(rig.adapter, '0220282028'));
    expect(forbidden.code).toBe('rejected');
    expect(forbidden.message).toMatch(/permission/i);

    expect(rig.calls).toEqual([]);
    expect(rig.adapter.link.status).toBe('online');
  });

  it('times out a dial the PBX never confirms', async () => {
    const rig = await onlineRig({
      sim: { delays: { createResponseMs: 5_000 } },
      adapter: { requestTimeoutMs: 150 },
    });
    const error = await rejection(dialAs(rig.adapter, '0220282028'));
    expect(error.code).toBe('timeout');
  });

  it('ends live calls with link-lost when the link drops, and comes back', async () => {
    const rig = await onlineRig();
    const { callId } = await dialAs(rig.adapter, '0220282028');
    await rig.callEvent('connected', callId);
    rig.sim.dropConnections();
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'link-lost' });
    await rig.online(2);
    await expect(rig.adapter.hangup(callId)).resolves.toBeUndefined();
  });

  it('redirects a call with call.redirect', async () => {
    const rig = await onlineRig();
    const uniqueId = rig.sim.placeInboundCall({ from: '0905123456', to: EXTENSION });
    const { callId } = await rig.callEvent('ringing');
    rig.sim.answer(uniqueId);
    await rig.callEvent('connected', callId);
    await rig.adapter.redirect(callId, '13');
    expect(rig.sim.redirects).toEqual([{ uniqueId, destination: '13' }]);
    await rig.callEvent('ended', callId);
  });

  it('rejects a redirect the user may not make (403)', async () => {
    const rig = await onlineRig({
      sim: {
        users: [{ username: 'dispatch', password: 'Correct-Horse-9', deniedActions: ['call.redirect'] }],
      },
    });
    rig.sim.placeInboundCall({ from: '0905123456', to: EXTENSION });
    const { callId } = await rig.callEvent('ringing');
    const error = await rejection(rig.adapter.redirect(callId, '13'));
    expect(error.code).toBe('rejected');
    expect(rig.sim.redirects).toEqual([]);
  });

  it('ends followed calls when stopped', async () => {
    const rig = await onlineRig();
    rig.sim.placeInboundCall({ from: '0905123456', to: EXTENSION });
    const { callId } = await rig.callEvent('ringing');
    await rig.adapter.stop();
    expect(await rig.callEvent('ended', callId)).toMatchObject({ outcome: 'link-lost' });
  });
});
