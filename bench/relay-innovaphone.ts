import { performance } from 'node:perf_hooks';
import { APP, benchInnovaphoneSimulator, OPERATOR, PASSWORD } from './innovaphone-relay';
import type { RelayPbx } from './lib/relay';

/** The innovaphone simulator and a bridge profile for it; the bare forwarder logs in as the same App. */
export async function innovaphoneRelayPbx(): Promise<RelayPbx> {
  const sim = benchInnovaphoneSimulator();
  const { url } = await sim.start();
  return {
    profile: {
      id: 'innovaphone',
      name: 'innovaphone',
      type: 'innovaphone',
      url,
      app: APP,
      password: PASSWORD,
      user: OPERATOR,
    },
    dialArrives: (number) =>
      new Promise((resolve) => {
        const onMessage = (message: Record<string, unknown>) => {
          if (message.mt === 'UserCall' && message.e164 === number) {
            sim.off('message', onMessage);
            resolve(performance.now());
          }
        };
        sim.on('message', onMessage);
      }),
    bare: { kind: 'innovaphone', url },
    stop: () => sim.stop(),
  };
}
