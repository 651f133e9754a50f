// Patriot → bridge → Basix simulator, end to end over real sockets: what Patriot hears.
import { afterEach, describe, expect, it } from 'vitest';
import { BasixSimulator, SIM_DOMAIN, SIM_TOKEN } from '../../src/main/engine/pbx/basix/simulator';
import { nextStatus, startBridge, type BridgeHarness } from '../support/bridge-harness';
import { waitFor } from '../support/wait';

describe('bridge with a Basix profile (Basix simulator)', () => {
  let h: BridgeHarness | undefined;
  let sim: BasixSimulator | undefined;
  afterEach(async () => {
    await h?.close();
    await sim?.stop();
    h = undefined;
    sim = undefined;
  });

  async function start(
    options: ConstructorParameters<typeof BasixSimulator>[0] = {},
  ): Promise<BridgeHarness> {
    sim = new BasixSimulator({
      delays: { userAnswerMs: 10, destRingMs: 0, destAnswerMs: 10, noAnswerMs: 0 },
      ...options,
    });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'tokyo',
      profiles: [
        {
          id: 'tokyo',
          name: 'Tokyo',
          type: 'basix',
          url,
          domain: SIM_DOMAIN,
          token: SIM_TOKEN,
          userName: 'operator1',
        },
        { id: 'demo', name: 'Demo', type: 'simulator' },
      ],
    });
    return h;
  }

  it('a dial goes out with call_user, Patriot hears it live, hang-up ends it at the PBX', async () => {
    const bridge = await start();
    const patriot = await bridge.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0312345678' } });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true, outbound: true });
    expect(sim!.callUserRequests).toEqual([{ user_name: 'operator1', destination: '0312345678' }]);
    await waitFor(() => bridge.bridge.snapshot().calls[0]?.phase === 'connected', 'connected in the window');
    patriot.send({ type: 'hangup-request', payload: {} });
    expect(await nextStatus(patriot)).toEqual({ callActive: false });
    await waitFor(() => sim!.liveCalls() === 0, 'no call left at Basix');
    expect(bridge.log.text()).not.toContain(SIM_TOKEN);
  });

  it('a busy number: callActive false, then the same number redialled at once is placed again', async () => {
    const bridge = await start({
      outcomes: { '0399999999': 'busy' },
      delays: { userAnswerMs: 0, destRingMs: 0 },
    });
    const patriot = await bridge.readyPatriot();
    for (let round = 1; round <= 2; round++) {
      patriot.send({ type: 'dial-request', payload: { phoneNo: '0399999999' } });
      await waitFor(async () => (await nextStatus(patriot)).callActive === false, `busy end ${round}`);
      await waitFor(() => sim!.callUserRequests.length === round, `call_user ${round}`);
    }
    expect(bridge.bridge.snapshot().lastEndedCall).toMatchObject({
      outcome: 'busy',
      detail: expect.stringContaining('USER_BUSY'),
    });
  });

  it('switching profile closes the ws_cti socket; stop leaves none open', async () => {
    const bridge = await start();
    await waitFor(() => bridge.bridge.snapshot().pbx.link.status === 'online', 'Basix online');
    expect(sim!.openConnections).toBe(1);
    expect(await bridge.bridge.switchProfile('demo')).toEqual({ ok: true });
    await waitFor(() => sim!.openConnections === 0, 'ws_cti closed');
    expect(await bridge.bridge.switchProfile('tokyo')).toEqual({ ok: true });
    await waitFor(() => sim!.openConnections === 1, 'ws_cti open again');
    await bridge.bridge.stop();
    await waitFor(() => sim!.openConnections === 0, 'closed on stop');
  });
});
