import { afterEach, describe, expect, it } from 'vitest';
import { PbxError, type PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { waitFor } from '../../support/wait';
import { dialAndMark, startHarness, stopAllHarnesses, type Harness } from './harness';
import { dialAs } from '../../support/adapter-dial';

afterEach(stopAllHarnesses);

function eventsOf(harness: Harness, callId: string): PbxCallEvent[] {
  return harness.calls().filter((event) => event.callId === callId);
}

/** Index in the timeline of the dial marker must precede every event of that call. */
function expectNoEventBeforeDialResolved(harness: Harness, callId: string): void {
  const marker = harness.timeline.indexOf(`dial-resolved:${callId}`);
  const first = harness.timeline.findIndex((entry) => typeof entry !== 'string' && entry.callId === callId);
  expect(marker).toBeGreaterThanOrEqual(0);
  expect(first).toBeGreaterThan(marker);
}

describe('innovaphone outgoing calls', () => {
  for (const callInfoBeforeResult of [false, true]) {
    it(`dials from the operator's user and reports ringing, connected, ended (CallInfo ${
      callInfoBeforeResult ? 'before' : 'after'
    } UserCallResult)`, async () => {
      const harness = await startHarness({ sim: { callInfoBeforeResult } });
      await harness.waitForLink('online');

      const callId = await dialAndMark(harness, '200');
      const userCall = harness.sim.received('UserCall')[0]!;
      expect(userCall).toMatchObject({ api: 'RCC', user: harness.userHandle(), e164: '200' });
      expect(userCall).not.toHaveProperty('h323');

      await harness.waitForCall('connected', callId);
      harness.sim.remoteHangup();
      await harness.waitForCall('ended', callId);

      expect(eventsOf(harness, callId)).toEqual([
        { kind: 'ringing', callId, direction: 'outbound', remoteNumber: '200' },
        { kind: 'connected', callId, direction: 'outbound', remoteNumber: '200' },
        expect.objectContaining({ kind: 'ended', callId, outcome: 'completed' }),
      ]);
      // One call only: no duplicate from the early CallInfo, and nothing overtook dial().
      expect(new Set(harness.calls().map((event) => event.callId))).toEqual(new Set([callId]));
      expectNoEventBeforeDialResolved(harness, callId);
    });
  }

  it('keeps its own call outbound when the PBX rings the operator phone first (callback-style device)', async () => {
    const harness = await startHarness({ sim: { callbackDevice: true, callInfoBeforeResult: true } });
    await harness.waitForLink('online');
    const callId = await dialAndMark(harness, '200');
    await harness.waitForCall('connected', callId);
    expect(harness.calls()).toEqual([
      { kind: 'ringing', callId, direction: 'outbound', remoteNumber: '200' },
      { kind: 'connected', callId, direction: 'outbound', remoteNumber: '200' },
    ]);
  });

  it('sends SIP URIs and names as h323, never as e164', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    await dialAs(harness.adapter, 'sip:alice@example.com');
    const userCall = harness.sim.received('UserCall')[0]!;
    expect(userCall).toMatchObject({ h323: 'alice@example.com' });
    expect(userCall).not.toHaveProperty('e164');
  });

  it('rejects a dial the PBX refuses with call 0, with a message naming the number', async () => {
    const harness = await startHarness({ sim: { outgoing: { '0900123': 'reject' } } });
    await harness.waitForLink('online');
    const error = await dialAs(harness.adapter, '0900123').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxError);
    expect(error).toMatchObject({ code: 'rejected' });
    expect((error as PbxError).message).toContain('0900123');
    expect(harness.calls()).toEqual([]);
  });

  it('reports a dial the PBX never answers as a timeout', async () => {
    const harness = await startHarness({ sim: { ignore: ['UserCall'] }, timings: { dialTimeoutMs: 200 } });
    await harness.waitForLink('online');
    await expect(dialAs(harness.adapter, '200')).rejects.toMatchObject({ code: 'timeout' });
  });

  it('fails fast while offline', async () => {
    const harness = await startHarness({ start: false });
    await expect(dialAs(harness.adapter, '200')).rejects.toMatchObject({ code: 'offline' });
  });

  it('reports busy with the PBX cause kept as detail', async () => {
    const harness = await startHarness({ sim: { outgoing: { '300': 'busy' } } });
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '300');
    const ended = await harness.waitForCall('ended', callId);
    expect(ended).toMatchObject({ outcome: 'busy' });
    expect(ended.kind === 'ended' && ended.detail).toContain('User busy');
    expect(eventsOf(harness, callId).filter((event) => event.kind === 'ended')).toHaveLength(1);
  });

  it('reports an unallocated number as invalid-number', async () => {
    const harness = await startHarness({ sim: { outgoing: { '404': 'unallocated' } } });
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '404');
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'invalid-number' });
  });

  it('ends an accepted call the PBX never reports on as failed', async () => {
    const harness = await startHarness({
      sim: { outgoing: { '500': 'silent' } },
      timings: { callProgressTimeoutMs: 100 },
    });
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '500');
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'failed' });
  });

  for (const endMarker of ['msg', 'flag', 'both'] as const) {
    it(`ends a call once on the end marker (${endMarker}) and frees it for the next call`, async () => {
      const harness = await startHarness({ sim: { endMarker } });
      await harness.waitForLink('online');
      const { callId: first } = await dialAs(harness.adapter, '200');
      await harness.waitForCall('connected', first);
      harness.sim.remoteHangup();
      await harness.waitForCall('ended', first);
      await waitFor(() => harness.sim.liveCalls().length === 0, 'the simulator to drop the call');

      const { callId: second } = await dialAs(harness.adapter, '201');
      await harness.waitForCall('connected', second);
      expect(second).not.toBe(first);
      expect(eventsOf(harness, first).filter((event) => event.kind === 'ended')).toHaveLength(1);
    });
  }
});

describe('innovaphone hang-up', () => {
  it('clears the call with UserClear, the call handle and normal clearing', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '200');
    await harness.waitForCall('connected', callId);
    const handle = harness.sim.liveCalls()[0]!.handles[0]!.call;

    await harness.adapter.hangup(callId);

    expect(harness.sim.received('UserClear')).toEqual([
      expect.objectContaining({ api: 'RCC', call: handle, cause: 16 }),
    ]);
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'completed' });
  });

  it('hangs up every live call when no call is named, and reports an unanswered one as cancelled', async () => {
    const harness = await startHarness({ sim: { outgoing: { '200': 'ring' } }, profile: { clearCause: 26 } });
    await harness.waitForLink('online');
    const { callId } = await dialAs(harness.adapter, '200');
    await harness.waitForCall('ringing', callId);

    await harness.adapter.hangup();

    expect(harness.sim.received('UserClear')).toEqual([expect.objectContaining({ cause: 26 })]);
    await expect(harness.waitForCall('ended', callId)).resolves.toMatchObject({ outcome: 'cancelled' });
  });

  it('answers a hang-up of a call it does not know with not-found', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    await expect(harness.adapter.hangup('no-such-call')).rejects.toMatchObject({ code: 'not-found' });
    expect(harness.sim.received('UserClear')).toEqual([]);
  });
});

describe('innovaphone incoming calls', () => {
  it('reports the caller number, the answer and the remote hang-up', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');

    const simCall = harness.sim.placeInboundCall({ from: '0301234567', name: 'Alarm Customer' });
    const ringing = await harness.waitForCall('ringing');
    expect(ringing).toMatchObject({ direction: 'inbound', remoteNumber: '0301234567' });

    harness.sim.answerCall(simCall);
    await expect(harness.waitForCall('connected', ringing.callId)).resolves.toMatchObject({
      direction: 'inbound',
      remoteNumber: '0301234567',
    });
    harness.sim.remoteHangup(simCall, { msg: 'r-disc' });
    await expect(harness.waitForCall('ended', ringing.callId)).resolves.toMatchObject({
      outcome: 'completed',
    });
  });

  it('reports a call the caller gave up on before answer as no-answer', async () => {
    const harness = await startHarness();
    await harness.waitForLink('online');
    const simCall = harness.sim.placeInboundCall({ from: '0301234567' });
    const ringing = await harness.waitForCall('ringing');
    harness.sim.remoteHangup(simCall);
    await expect(harness.waitForCall('ended', ringing.callId)).resolves.toMatchObject({
      outcome: 'no-answer',
    });
  });
});
