import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorAdapter } from '../../src/main/engine/pbx/simulator/adapter';
import { nextStatus, startBridge, TEST_API_KEY, type BridgeHarness } from '../support/bridge-harness';
import { delay, waitFor } from '../support/wait';

const simulator = (overrides: Record<string, unknown> = {}) => ({
  id: 'demo',
  name: 'Demo',
  type: 'simulator',
  ringAfterMs: 20,
  answerAfterMs: 40,
  ...overrides,
});

describe('bridge: Patriot ↔ simulated PBX over real sockets', () => {
  let h: BridgeHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('relays a whole outbound call: dial, answer, hang-up, and logs it', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator()] });
    await waitFor(() => h.bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    const patriot = await h.connectPatriot();
    expect(await nextStatus(patriot)).toEqual({ callActive: false });

    patriot.send({ type: 'dial-request', payload: { phoneNo: '0123456789', rawPhoneNo: '012 345 6789' } });
    expect(await nextStatus(patriot)).toEqual({ callActive: true, outbound: true, callerId: '0123456789' });
    await waitFor(() => h.bridge.snapshot().calls[0]?.phase === 'connected', 'call connected');

    patriot.send({ type: 'hangup-request' });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    const [entry] = await h.bridge.recentCalls(5);
    expect(entry).toMatchObject({
      direction: 'outbound',
      number: '0123456789',
      outcome: 'completed',
      profileId: 'demo',
    });
    expect(entry?.connectedAt).not.toBeNull();
  });

  it('answers call-status-request with the current state', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator({ answerAfterMs: 10_000 })] });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '5551234', rawPhoneNo: '555 1234' } });
    await nextStatus(patriot);
    patriot.send({ type: 'call-status-request' });
    expect(await nextStatus(patriot)).toEqual({ callActive: true, outbound: true, callerId: '5551234' });
  });

  it.each([
    ['an invalid number', '12ab', 'not a phone number'],
    ['a blocked number', '0900123', 'blocked by the dial rules'],
  ])('ends %s at once with callActive:false and tells the operator why', async (_what, number, reason) => {
    h = await startBridge({
      activeProfile: 'demo',
      profiles: [simulator({ dialRules: { blockedPatterns: ['0900*'] } })],
    });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: number, rawPhoneNo: number } });
    expect(await nextStatus(patriot, 2_000)).toEqual({ callActive: false });
    expect(h.notices.at(-1)).toMatchObject({ kind: 'dial-failed' });
    expect(h.notices.at(-1)?.message).toContain(reason);
    expect((await h.bridge.recentCalls(1))[0]).toMatchObject({ number, outcome: expect.any(String) });
  });

  it('logs one line per call change: no event is logged twice, by adapter and bridge', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator()] });
    const patriot = await h.readyPatriot();
    const from = h.log.records().length;
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0123456789', rawPhoneNo: '0123456789' } });
    await nextStatus(patriot);
    await waitFor(() => h.bridge.snapshot().calls[0]?.phase === 'connected', 'call connected');
    patriot.send({ type: 'hangup-request' });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    await h.bridge.recentCalls(1);
    const records = h.log.records().slice(from);
    // Even at debug level, each call event is one line.
    const events = records.filter((r) => /^call (ringing|connected|ended)$/.test(String(r.msg)));
    expect(events.map((r) => r.msg)).toEqual(['call ringing', 'call connected', 'call ended']);
    const info = records.filter((r) => r.level !== 'debug').map((r) => r.msg);
    expect(info).toEqual([
      'dial sent to the PBX',
      'dial accepted by the PBX',
      'call ringing',
      'call connected',
      'hang-up requested',
      'call ended',
    ]);
    expect(records.find((r) => r.msg === 'dial sent to the PBX')).toMatchObject({
      source: 'patriot',
      peer: expect.any(String),
      number: '0123456789',
    });
  });

  it('tells the operator when the call log cannot be written', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator()] });
    // A folder where the call log file should be: every write fails.
    await mkdir(path.join(h.dataDir, 'calls.jsonl'));
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '12ab', rawPhoneNo: '12ab' } });
    expect(await nextStatus(patriot, 2_000)).toEqual({ callActive: false });
    const notice = await waitFor(
      () => h.notices.find((n) => n.message.includes('call log cannot be written')),
      'call-log notice',
    );
    expect(notice).toMatchObject({ level: 'error', kind: 'other' });
    expect(h.bridge.callLogProblem).toEqual(expect.any(String));
    // The window and tray keep showing it, not only as a notice that can be dismissed …
    expect(h.bridge.snapshot().callLogProblem).toEqual(expect.stringMatching(/EISDIR|directory/i));
    // … until the call log can be written again.
    await rm(path.join(h.dataDir, 'calls.jsonl'), { recursive: true });
    patriot.send({ type: 'dial-request', payload: { phoneNo: '34cd', rawPhoneNo: '34cd' } });
    await waitFor(() => h!.bridge.snapshot().callLogProblem === null, 'the problem cleared');
  });

  it('reports a busy far end: active, then inactive with the reason', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator()] });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '12386', rawPhoneNo: '12386' } });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    await waitFor(() => h.notices.find((n) => n.message.includes('Busy')), 'busy notice');
    expect((await h.bridge.recentCalls(1))[0]).toMatchObject({ outcome: 'busy', talkSec: 0 });
    expect(h.bridge.snapshot().lastEndedCall).toMatchObject({
      remoteNumber: '12386',
      outcome: 'busy',
      phase: 'ended',
    });
  });

  it('a repeat of the number after the PBX accepted is a new dial: refused while the call is live, Patriot still told active', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator({ answerAfterMs: 10_000 })] });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '777', rawPhoneNo: '777' } });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    patriot.send({ type: 'dial-request', payload: { phoneNo: '777', rawPhoneNo: '777' } });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    expect(h.bridge.snapshot().calls).toHaveLength(1);
    expect(h.notices.filter((n) => n.kind === 'dial-failed').map((n) => n.message)).toEqual([
      'Call to 777 not placed: A call is already in progress: hang up first',
    ]);
  });

  it('refuses a different dial while a call is live, keeping the live call', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator({ answerAfterMs: 10_000 })] });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '111', rawPhoneNo: '111' } });
    await nextStatus(patriot);
    patriot.send({ type: 'dial-request', payload: { phoneNo: '222', rawPhoneNo: '222' } });
    expect(await nextStatus(patriot)).toEqual({ callActive: true, outbound: true, callerId: '111' });
    expect(h.notices.at(-1)?.message).toContain('already in progress');
    expect(h.bridge.snapshot().calls.map((c) => c.remoteNumber)).toEqual(['111']);
  });

  it('with whileActive "replace", hangs up the live call and dials the new number', async () => {
    h = await startBridge({
      activeProfile: 'demo',
      dialing: { whileActive: 'replace' },
      profiles: [simulator({ answerAfterMs: 10_000 })],
    });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '111', rawPhoneNo: '111' } });
    await nextStatus(patriot);
    patriot.send({ type: 'dial-request', payload: { phoneNo: '222', rawPhoneNo: '222' } });
    await waitFor(() => h.bridge.snapshot().calls[0]?.remoteNumber === '222', 'second call');
    expect(h.bridge.snapshot().calls).toHaveLength(1);
  });

  it('reports an inbound call with the caller number to every authenticated Patriot', async () => {
    h = await startBridge({ activeProfile: 'demo', profiles: [simulator()] });
    await waitFor(() => h.bridge.snapshot().pbx.link.status === 'online', 'PBX online');
    const desktop = await h.connectPatriot({ userName: 'desktop' });
    const ica = await h.connectPatriot({ userName: 'ica' });
    await nextStatus(desktop);
    await nextStatus(ica);
    const adapter = (h.bridge as unknown as { active: { adapter: SimulatorAdapter } }).active.adapter;
    adapter.simulateInbound('+441234567');
    for (const peer of [desktop, ica]) {
      expect(await nextStatus(peer)).toEqual({ callActive: true, outbound: false, callerId: '+441234567' });
    }
    expect(h.notices.at(-1)).toMatchObject({ kind: 'inbound-call' });
  });

  it('switches profile at runtime: the old adapter stops, its calls end, the new one starts', async () => {
    h = await startBridge({
      activeProfile: 'a',
      profiles: [
        simulator({ id: 'a', answerAfterMs: 10_000, inboundCalls: [{ from: '999', afterMs: 300 }] }),
        simulator({ id: 'b', name: 'B' }),
      ],
    });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '111', rawPhoneNo: '111' } });
    await nextStatus(patriot);

    expect(await h.bridge.switchProfile('b')).toEqual({ ok: true });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    expect(h.bridge.snapshot()).toMatchObject({ activeProfileId: 'b', pbx: { profile: { id: 'b' } } });
    await waitFor(() => h.bridge.snapshot().pbx.link.status === 'online', 'profile b online');
    await delay(400);
    // Profile a's inbound call was hung up at the PBX before its adapter logged out.
    expect(h.bridge.snapshot().calls).toEqual([]);
    expect((await h.bridge.recentCalls(1))[0]).toMatchObject({ profileId: 'a', outcome: 'cancelled' });
    expect(await h.bridge.switchProfile('nope')).toMatchObject({ ok: false });
  });

  it('ignores everything before authentication and never logs the API key', async () => {
    h = await startBridge({ activeProfile: 'demo', logLevel: 'debug', profiles: [simulator()] });
    const { JsonPeer } = await import('../support/ws-peer');
    const { readFile } = await import('node:fs/promises');
    const ca = await readFile(`${h.dataDir}/bridge-cert.pem`, 'utf8');
    const stranger = await JsonPeer.connect(h.url, { ca });
    stranger.send({ type: 'dial-request', payload: { phoneNo: '123', rawPhoneNo: '123' } });
    stranger.send({ type: 'init-request', payload: { userName: 'x', password: 'wrong-key-000' } });
    const response = await stranger.nextOfKey('type', 'init-response');
    expect(response.payload).toMatchObject({ success: false });
    expect(h.bridge.snapshot().calls).toEqual([]);
    await stranger.close();
    await h.connectPatriot();
    expect(h.log.text()).not.toContain(TEST_API_KEY);
    expect(h.log.text()).not.toContain('wrong-key-000');
  });
});
