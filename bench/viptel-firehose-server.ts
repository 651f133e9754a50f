// Child process of bench/viptel-filter.ts: the VIPTel simulator on its own CPU, so the stream it sends is
// produced outside the process being measured. Talks to its parent over the IPC channel.
import { performance } from 'node:perf_hooks';
import { ViptelSimulator } from '../src/main/engine/pbx/viptel/simulator';
import { foreignEventFrames } from '../src/main/engine/pbx/viptel/simulator-frames';
import { FIREHOSE_USERS, type FirehoseReport, type FirehoseRequest } from './viptel-firehose-protocol';

function report(message: FirehoseReport): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const sim = new ViptelSimulator({ users: [...FIREHOSE_USERS] });
  const { url } = await sim.start();
  let stream = sim.prepareStream([]);
  sim.on('login', (login) => report({ type: 'login', ...login }));
  process.on('message', (request: FirehoseRequest) => {
    switch (request.type) {
      case 'prepare':
        stream = sim.prepareStream(foreignEventFrames(request.count, { exclude: [request.extension] }));
        return report({ type: 'prepared' });
      case 'send': {
        const started = performance.now();
        if (request.foreign) sim.sendPrepared(stream, request.to);
        sim.broadcastRaw(request.tail, request.to);
        return report({ type: 'sent', ms: performance.now() - started });
      }
      case 'stop':
        void sim.stop().then(() => process.exit(0));
    }
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
  report({ type: 'ready', url });
}

void main();
