import { createInnovaphoneAdapter } from '../../../src/main/engine/pbx/innovaphone/adapter';
import { innovaphoneProfileSchema } from '../../../src/main/engine/pbx/innovaphone/profile';
import { InnovaphoneSimulator } from '../../../src/main/engine/pbx/innovaphone/simulator';
import { APP, FAST_TIMINGS, OPERATOR, PASSWORD } from '../innovaphone/harness';
import { adapterContract } from './adapter-contract';

adapterContract('innovaphone', async (ctx) => {
  // CallInfo before UserCallResult, and 0 ms steps: a busy's release comes with the result.
  const sim = new InnovaphoneSimulator({
    apps: [{ name: APP, password: PASSWORD }],
    users: [
      { cn: OPERATOR, e164: '101' },
      { cn: 'Somebody Else', e164: '102' },
    ],
    delays: { setupMs: 0, alertMs: 0, connectMs: 0, endMs: 0 },
    callInfoBeforeResult: true,
    outgoing: { '0905111111': 'busy' },
  });
  const { url } = await sim.start();
  const profile = innovaphoneProfileSchema.parse({
    id: 'hq',
    name: 'HQ',
    type: 'innovaphone',
    url,
    app: APP,
    password: PASSWORD,
    user: OPERATOR,
  });
  const adapter = createInnovaphoneAdapter(profile, ctx, FAST_TIMINGS);
  return {
    adapter,
    answered: '200',
    instantBusy: '0905111111',
    callsAtPbx: () => sim.liveCalls().length,
    delayAccept: (ms) => {
      sim.resultDelayMs = ms;
    },
    drop: () => sim.dropAllConnections(),
    foreignCall: () => void sim.placeInboundCall({ from: '0301234567', to: 'Somebody Else' }),
    stop: async () => {
      await adapter.stop();
      await sim.stop();
    },
  };
});
