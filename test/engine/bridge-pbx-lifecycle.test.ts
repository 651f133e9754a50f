import { afterEach, describe, expect, it } from 'vitest';
import { ViptelSimulator } from '../../src/main/engine/pbx/viptel/simulator';
import { nextStatus, startBridge, type BridgeHarness } from '../support/bridge-harness';
import { waitFor } from '../support/wait';

const USER = { username: 'operator', password: 'viptel-secret-pw' };

describe('bridge with a real PBX connection (VIPTel simulator)', () => {
  let h: BridgeHarness | undefined;
  let sim: ViptelSimulator | undefined;
  afterEach(async () => {
    await h?.close();
    await sim?.stop();
    h = undefined;
    sim = undefined;
  });

  it('switching profile logs out of the PBX and leaves no socket open; switching back logs in again', async () => {
    sim = new ViptelSimulator({ users: [USER] });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'office',
      profiles: [
        { id: 'office', name: 'Office', type: 'viptel', url, ...USER, extension: '12' },
        { id: 'demo', name: 'Demo', type: 'simulator' },
      ],
    });
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'online', 'VIPTel online');
    const patriot = await h.connectPatriot();
    expect(await nextStatus(patriot)).toEqual({ callActive: false });

    expect(await h.bridge.switchProfile('demo')).toEqual({ ok: true });
    await waitFor(() => sim!.logouts.length === 1, 'user.logout');
    await waitFor(() => sim!.openConnections === 0, 'VIPTel socket closed');

    expect(await h.bridge.switchProfile('office')).toEqual({ ok: true });
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'online', 'VIPTel online again');
    expect(sim.logins).toHaveLength(2);
    expect(sim.openConnections).toBe(1);

    await h.bridge.stop();
    await waitFor(() => sim!.openConnections === 0, 'VIPTel socket closed on stop');
    expect(sim.logouts).toHaveLength(2);
    expect(h.log.text()).not.toContain(USER.password);
  });

  it('logs each call event of a real adapter once, even at debug level', async () => {
    sim = new ViptelSimulator({ users: [USER] });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'office',
      profiles: [{ id: 'office', name: 'Office', type: 'viptel', url, ...USER, extension: '12' }],
    });
    const patriot = await h.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0123456789', rawPhoneNo: '0123456789' } });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true });
    patriot.send({ type: 'hangup-request' });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    await h.bridge.recentCalls(1);
    const events = h.log
      .records()
      .filter((r) => /^call [a-z-]+$/.test(String(r.msg)))
      .map((r) => `${String(r.msg)} ${String(r.callId)}`);
    expect(events.some((e) => e.startsWith('call ended '))).toBe(true);
    expect(events).toEqual([...new Set(events)]);
  });

  it('after a refused login the PBX is retried at once when the operator asks, not before', async () => {
    sim = new ViptelSimulator({ users: [USER] });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'office',
      profiles: [
        {
          id: 'office',
          name: 'Office',
          type: 'viptel',
          url,
          username: 'operator',
          password: 'wrong',
          extension: '12',
        },
      ],
    });
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'auth-failed', 'auth failed');
    expect(h.notices.some((n) => n.kind === 'pbx-auth-failed')).toBe(true);
    const attempts = sim.connections.length;

    expect(h.bridge.retryPbx()).toEqual({ ok: true });
    await waitFor(() => sim!.connections.length === attempts + 1, 'a new login attempt');
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'auth-failed', 'auth failed again');
  });

  it('a dial while the PBX is down ends at once with callActive:false and the reason', async () => {
    sim = new ViptelSimulator({ users: [USER] });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'office',
      profiles: [{ id: 'office', name: 'Office', type: 'viptel', url, ...USER, extension: '12' }],
    });
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'online', 'VIPTel online');
    const patriot = await h.connectPatriot();
    await nextStatus(patriot);
    await sim.stop();
    await waitFor(() => h!.bridge.snapshot().pbx.link.status !== 'online', 'VIPTel offline');
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0123456', rawPhoneNo: '0123456' } });
    expect(await nextStatus(patriot, 2_000)).toEqual({ callActive: false });
    expect(h.notices.at(-1)?.message).toContain('PBX is not connected');
  });
});
