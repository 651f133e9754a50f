// The whole bridge with a Harmony profile: Patriot dials, the Harmony simulator sees channel.dial.
import { afterEach, describe, expect, it } from 'vitest';
import { HarmonySimulator } from '../../../src/main/engine/pbx/harmony/simulator';
import { nextStatus, startBridge, type BridgeHarness } from '../../support/bridge-harness';
import { waitFor } from '../../support/wait';
import { AGENT, EXTENSION, FAST_PROTOCOL_TIMEOUTS, PASSWORD } from './harness';

describe('bridge with a Harmony profile (Harmony simulator)', () => {
  let h: BridgeHarness | undefined;
  let sim: HarmonySimulator | undefined;
  afterEach(async () => {
    await h?.close();
    await sim?.stop();
    h = undefined;
    sim = undefined;
  });

  async function start(extra: Record<string, unknown> = {}): Promise<BridgeHarness> {
    sim = new HarmonySimulator({
      agents: [{ id: AGENT, password: PASSWORD }],
      outgoing: { '0905111111': 'busy' },
      delays: { alertMs: 10, answerMs: 10 },
    });
    const { url } = await sim.start();
    h = await startBridge({
      activeProfile: 'cc',
      profiles: [
        {
          id: 'cc',
          name: 'Contact centre',
          type: 'harmony',
          url,
          agentId: AGENT,
          password: PASSWORD,
          extension: EXTENSION,
          protocol: { timeouts: FAST_PROTOCOL_TIMEOUTS },
          ...extra,
        },
        { id: 'demo', name: 'Demo', type: 'simulator' },
      ],
    });
    return h;
  }

  it('a Patriot dial becomes channel.dial; hangup-request releases it; both states reach Patriot', async () => {
    const bridge = await start();
    const patriot = await bridge.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0123456789', rawPhoneNo: '0123456789' } });
    expect(await nextStatus(patriot)).toMatchObject({
      callActive: true,
      outbound: true,
      callerId: '0123456789',
    });
    expect(sim!.received('channel.dial')[0]).toMatchObject({ data: { destination: '0123456789' } });
    await waitFor(() => sim!.liveCalls()[0]?.state === 'STARTED', 'answered');
    patriot.send({ type: 'hangup-request', payload: {} });
    await waitFor(async () => (await nextStatus(patriot)).callActive === false, 'callActive:false');
    expect(sim!.received('conversation.release')).toHaveLength(1);
    expect(sim!.liveCalls()).toEqual([]);
  });

  it('a busy number ends with callActive:false, and an inbound call reaches Patriot with its callerId', async () => {
    const bridge = await start();
    const patriot = await bridge.readyPatriot();
    patriot.send({ type: 'dial-request', payload: { phoneNo: '0905111111', rawPhoneNo: '0905111111' } });
    await waitFor(async () => (await nextStatus(patriot)).callActive === false, 'the busy end');
    sim!.placeInboundCall({ from: '0301234567' });
    expect(await nextStatus(patriot)).toMatchObject({ callActive: true, callerId: '0301234567' });
  });

  it('a profile switch and stop log out of the Harmony session and close the socket', async () => {
    const bridge = await start();
    await waitFor(() => bridge.bridge.snapshot().pbx.link.status === 'online', 'Harmony online');
    expect(await bridge.bridge.switchProfile('demo')).toEqual({ ok: true });
    expect(sim!.received('session.request.logout')).toHaveLength(1);
    await waitFor(() => sim!.openConnections() === 0, 'socket closed');
    expect(await bridge.bridge.switchProfile('cc')).toEqual({ ok: true });
    await waitFor(() => bridge.bridge.snapshot().pbx.link.status === 'online', 'Harmony online again');
    await bridge.bridge.stop();
    expect(sim!.received('session.request.logout')).toHaveLength(2);
    await waitFor(() => sim!.openConnections() === 0, 'socket closed on stop');
    expect(bridge.log.text()).not.toContain(PASSWORD);
  });

  it('a session in use elsewhere tells the operator in plain words', async () => {
    sim = undefined;
    const simulator = new HarmonySimulator({
      agents: [{ id: AGENT, password: PASSWORD }],
      signedInElsewhere: [AGENT],
    });
    sim = simulator;
    const { url } = await simulator.start();
    h = await startBridge({
      activeProfile: 'cc',
      profiles: [
        {
          id: 'cc',
          name: 'CC',
          type: 'harmony',
          url,
          agentId: AGENT,
          password: PASSWORD,
          extension: EXTENSION,
        },
      ],
    });
    await waitFor(() => h!.bridge.snapshot().pbx.link.status === 'offline', 'offline');
    const link = h.bridge.snapshot().pbx.link;
    expect(link.status === 'offline' && link.reason).toMatch(/This agent is already signed in elsewhere/);
  });
});
