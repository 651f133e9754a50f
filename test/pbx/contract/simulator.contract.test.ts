import { SimulatorAdapter } from '../../../src/main/engine/pbx/simulator/adapter';
import { simulatorProfileSchema } from '../../../src/main/engine/pbx/simulator/profile';
import { adapterContract } from './adapter-contract';

// The demo PBX has no sockets: "the PBX" is the adapter itself, so its live calls are what it reports.
adapterContract('simulated demo PBX', async (ctx) => {
  const live = new Set<string>();
  let adapter: SimulatorAdapter | null = null;
  const profile = simulatorProfileSchema.parse({
    id: 'demo',
    name: 'Demo',
    type: 'simulator',
    ringAfterMs: 0,
    answerAfterMs: 0,
    busyNumbers: ['0905*'],
  });
  adapter = new SimulatorAdapter(profile, {
    ...ctx,
    events: {
      link: ctx.events.link,
      call: (event) => {
        if (event.kind === 'ended') live.delete(event.callId);
        else live.add(event.callId);
        ctx.events.call(event);
      },
    },
  });
  return {
    adapter,
    answered: '0220282028',
    instantBusy: '0905111111',
    callsAtPbx: () => live.size,
    delayAccept: () => undefined,
    drop: () => adapter!.simulateLinkDrop(),
    foreignCall: () => undefined,
    stop: () => adapter!.stop(),
  };
});
