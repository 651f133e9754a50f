import { ViptelAdapter } from '../../../src/main/engine/pbx/viptel/adapter';
import { viptelProfileSchema } from '../../../src/main/engine/pbx/viptel/profile';
import { ViptelSimulator } from '../../../src/main/engine/pbx/viptel/simulator';
import { EXTENSION, FAST, PASSWORD, USERNAME } from '../viptel/harness';
import { adapterContract } from './adapter-contract';

adapterContract('VIPTel', async (ctx) => {
  // 0 ms steps: create_response, call.begin and an instant busy's call.end leave in one write.
  const sim = new ViptelSimulator({
    users: [{ username: USERNAME, password: PASSWORD }],
    delays: { createResponseMs: 0, beginMs: 0, answerMs: 0 },
    outcomes: { '0905*': 'busy' },
  });
  const { url } = await sim.start();
  const profile = viptelProfileSchema.parse({
    id: 'office',
    name: 'Office',
    type: 'viptel',
    url,
    username: USERNAME,
    password: PASSWORD,
    extension: EXTENSION,
  });
  const adapter = new ViptelAdapter(profile, ctx, FAST);
  return {
    adapter,
    answered: '0220282028',
    instantBusy: '0905111111',
    callsAtPbx: () => sim.calls().length,
    delayAccept: (ms) => {
      sim.script.delays.createResponseMs = ms;
    },
    drop: () => sim.dropConnections(),
    foreignCall: () => sim.emitForeignEvents(50, [EXTENSION]),
    stop: async () => {
      await adapter.stop();
      await sim.stop();
    },
  };
});
