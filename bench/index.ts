// npm run bench: every figure is a ratio against a baseline measured in the same run.
import { measureColdStart } from './cold-start';
import { measureRelay, type RelaySamples } from './lib/relay';
import { median, percentile, ratioLine } from './lib/stats';
import { innovaphoneRelayPbx } from './relay-innovaphone';
import { viptelRelayPbx } from './relay-viptel';
import { measureViptelFirehose, printViptelFirehose } from './viptel-filter';
import { measureBasixFirehose, printBasixFirehose } from './basix-firehose';

function printRelay(title: string, samples: RelaySamples): void {
  console.log(`${title}, ${samples.bridge.length} dials each:`);
  const line = (p: number, target: number) =>
    ratioLine({
      name: `  p${p} bridge / bare forwarder`,
      unit: 'ms',
      subject: percentile(samples.bridge, p),
      baseline: percentile(samples.bare, p),
      target,
    });
  console.log(line(50, 1.2));
  console.log(line(99, 1.5));
  console.log();
}

async function main(): Promise<void> {
  console.log(`Dialler Bridge benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);

  const cold = await measureColdStart();
  console.log(
    `Cold start to listening (process spawn → Patriot endpoint listening), ${cold.bridge.length} runs each:`,
  );
  console.log(
    ratioLine({
      name: '  median bridge / bare wss server',
      unit: 'ms',
      subject: median(cold.bridge),
      baseline: median(cold.bare),
      target: 1.5,
    }),
  );
  console.log();

  printRelay(
    'Dial relay, VIPTel (dial-request in → call.create at the simulator)',
    await measureRelay(await viptelRelayPbx()),
  );
  printRelay(
    'Dial relay, innovaphone (dial-request in → UserCall at the simulator)',
    await measureRelay(await innovaphoneRelayPbx()),
  );

  printViptelFirehose(await measureViptelFirehose());
  console.log();
  printBasixFirehose(await measureBasixFirehose());
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
