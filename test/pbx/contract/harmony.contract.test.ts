import { createHarmonyAdapter } from '../../../src/main/engine/pbx/harmony/adapter';
import { harmonyProfileSchema } from '../../../src/main/engine/pbx/harmony/profile';
import { HarmonySimulator } from '../../../src/main/engine/pbx/harmony/simulator';
import { AGENT, EXTENSION, FAST_PROTOCOL_TIMEOUTS, FAST_TIMINGS, PASSWORD } from '../harmony/harness';
import { adapterContract } from './adapter-contract';

adapterContract('harmony', async (ctx) => {
  // The busy number ends in the same write as channel.dial's response; 0 ms progress steps.
  const sim = new HarmonySimulator({
    agents: [{ id: AGENT, password: PASSWORD }],
    outgoing: { '0905111111': 'busy' },
    delays: { alertMs: 0, answerMs: 0 },
    dcpIndex: 3,
  });
  const { url } = await sim.start();
  const profile = harmonyProfileSchema.parse({
    id: 'cc',
    name: 'Contact centre',
    type: 'harmony',
    url,
    agentId: AGENT,
    password: PASSWORD,
    extension: EXTENSION,
    protocol: { timeouts: FAST_PROTOCOL_TIMEOUTS },
  });
  const adapter = createHarmonyAdapter(profile, ctx, FAST_TIMINGS);
  return {
    adapter,
    answered: '200',
    instantBusy: '0905111111',
    callsAtPbx: () => sim.liveCalls().filter((call) => call.agentId === AGENT).length,
    delayAccept: (ms) => {
      sim.resultDelayMs = ms;
    },
    drop: () => sim.dropAllConnections(),
    foreignCall: () => void sim.otherAgentCall(),
    stop: async () => {
      await adapter.stop();
      await sim.stop();
    },
  };
});
