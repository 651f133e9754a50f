// The call-state defects Patriot hit, replayed over real sockets: Patriot peer → Bridge → VIPTel simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { ViptelSimulator } from '../../src/main/engine/pbx/viptel/simulator';
import { startBridge, nextStatus, type BridgeHarness } from '../support/bridge-harness';
import { waitFor } from '../support/wait';
import type { JsonPeer } from '../support/ws-peer';

const USER = { username: 'dispatch', password: 'Correct-Horse-9' };
let h: BridgeHarness | null = null;
let sim: ViptelSimulator | null = null;

afterEach(async () => {
  await h?.close();
  await sim?.stop();
  h = null;
  sim = null;
});

/** Every client action the simulator received, in order. */
async function rig(
  simOptions: ConstructorParameters<typeof ViptelSimulator>[0],
  dialing: Record<string, unknown> = {},
): Promise<{ patriot: JsonPeer; actions: Record<string, unknown>[] }> {
  sim = new ViptelSimulator({ users: [USER], ...simOptions });
  const { url } = await sim.start();
  const actions: Record<string, unknown>[] = [];
  sim.on('action', (request) => actions.push(request));
  h = await startBridge({
    activeProfile: 'office',
    dialing,
    profiles: [{ id: 'office', name: 'Office', type: 'viptel', url, ...USER, extension: '12' }],
  });
  return { patriot: await h.readyPatriot(), actions };
}

const creates = (actions: Record<string, unknown>[]) => actions.filter((a) => a.action === 'call.create');
const dial = (patriot: JsonPeer, phoneNo: string) =>
  patriot.send({ type: 'dial-request', payload: { phoneNo, rawPhoneNo: phoneNo } });

describe('call state over real sockets (VIPTel)', () => {
  it('an end that arrives in the same read as the accept leaves Patriot idle, and the same number dials again at once', async () => {
    // Every step at 0 ms: create_response, call.begin and call.end "busy" leave in one write.
    const { patriot, actions } = await rig({
      delays: { createResponseMs: 0, beginMs: 0, answerMs: 0 },
      outcomes: { '0905*': 'busy' },
    });
    dial(patriot, '0905111111');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 1, 'the busy call in the log');
    expect(h!.bridge.snapshot().patriotStatus).toEqual({ callActive: false });
    expect((await h!.bridge.recentCalls(5))[0]).toMatchObject({ outcome: 'busy', number: '0905111111' });

    // Redial of the same number right after the end: a new call that reaches the PBX.
    dial(patriot, '0905111111');
    await waitFor(() => creates(actions).length === 2, 'the redial at the PBX');
    await waitFor(async () => (await h!.bridge.recentCalls(5)).length === 2, 'the second busy call logged');
    expect(h!.bridge.snapshot().calls).toEqual([]);
    // The last status Patriot heard is idle.
    let last: Record<string, unknown> = { callActive: true };
    for (;;) {
      const status = await nextStatus(patriot, 300).catch(() => null);
      if (!status) break;
      last = status;
    }
    expect(last).toEqual({ callActive: false });
  });

  it('a PBX that accepts after the bridge gave up gets the call hung up; Patriot hears one failure and the log one entry', async () => {
    // The accept comes at 700 ms, after the 300 ms timeout, with call.begin in the same read.
    const { patriot, actions } = await rig(
      { delays: { createResponseMs: 700, beginMs: 0, answerMs: 2_000 } },
      { acceptTimeoutMs: 300 },
    );
    const seen = patriot.received.length;
    const statuses = (): Record<string, unknown>[] =>
      patriot.received
        .slice(seen)
        .filter((m) => m.type === 'call-status-update')
        .map((m) => m.payload as Record<string, unknown>);
    dial(patriot, '0220282028');
    await waitFor(() => statuses().length > 0, 'the failure reported');
    // The late create_response is answered with call.hangup of that call.
    await waitFor(() => actions.find((a) => a.action === 'call.hangup'), 'the late call hung up');
    await waitFor(() => sim!.calls().length === 0, 'no call left on the PBX');
    // Proof a later status would be seen: ask for one, and it arrives.
    patriot.send({ type: 'call-status-request', payload: {} });
    await waitFor(() => statuses().length >= 2, 'the requested status');
    expect(
      statuses().every((status) => status.callActive === false),
      JSON.stringify(statuses()),
    ).toBe(true);
    expect(h!.bridge.snapshot().calls).toEqual([]);
    expect(await h!.bridge.recentCalls(10)).toHaveLength(1);
  });

  it('after the operator hangs up, the same number redialled at once reaches the PBX', async () => {
    const { patriot, actions } = await rig({ delays: { createResponseMs: 5, beginMs: 5, answerMs: 5 } });
    dial(patriot, '0220282028');
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    await waitFor(() => sim!.calls()[0]?.state === 'up', 'the call answered');
    patriot.send({ type: 'hangup-request', payload: {} });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    dial(patriot, '0220282028');
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    expect(creates(actions)).toHaveLength(2);
  });

  it('stopping the bridge mid-call hangs the call up at the PBX before logging out', async () => {
    const { patriot, actions } = await rig({ delays: { createResponseMs: 5, beginMs: 5, answerMs: 5 } });
    dial(patriot, '0220282028');
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    await waitFor(() => sim!.calls()[0]?.state === 'up', 'the call answered');
    await h!.bridge.stop();
    const order = actions.map((a) => a.action).filter((a) => a === 'call.hangup' || a === 'user.logout');
    expect(order).toEqual(['call.hangup', 'user.logout']);
    expect(sim!.calls()).toEqual([]);
    expect((await h!.bridge.recentCalls(1))[0]).toMatchObject({ outcome: 'completed' });
  });
});
