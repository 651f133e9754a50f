import { createBasixAdapter } from '../../../src/main/engine/pbx/basix/adapter';
import { basixProfileSchema } from '../../../src/main/engine/pbx/basix/profile';
import { BasixSimulator, SIM_DOMAIN, SIM_TOKEN } from '../../../src/main/engine/pbx/basix/simulator';
import { FAST_TIMINGS, OPERATOR, OTHER_USER } from '../basix/harness';
import { adapterContract } from './adapter-contract';

adapterContract('basix', async (ctx) => {
  // 0 ms steps: a busy's whole channel sequence goes out in one read, before call_user's reply.
  const sim = new BasixSimulator({
    delays: { userAnswerMs: 0, destRingMs: 0, destAnswerMs: 0, noAnswerMs: 0 },
    outcomes: { '0905111111': 'busy' },
  });
  const { url } = await sim.start();
  const profile = basixProfileSchema.parse({
    id: 'tokyo',
    name: 'Tokyo',
    type: 'basix',
    url,
    domain: SIM_DOMAIN,
    token: SIM_TOKEN,
    userName: OPERATOR,
  });
  const adapter = createBasixAdapter(profile, ctx, FAST_TIMINGS);
  return {
    adapter,
    answered: '0312345678',
    instantBusy: '0905111111',
    callsAtPbx: () => sim.liveCalls(),
    delayAccept: (ms) => {
      sim.replyDelayMs = ms;
    },
    drop: () => sim.dropConnections(),
    foreignCall: () => void sim.placeCallFor(OTHER_USER, '0398765432'),
    stop: async () => {
      await adapter.stop();
      await sim.stop();
    },
  };
});
