// npm run bench: every figure is a ratio against a baseline measured in the same run.
import { median, percentile, ratioLine } from './lib/stats';
import { measureColdStart } from './cold-start';
import { measureViptelRelay } from './relay-viptel';

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

  const relay = await measureViptelRelay();
  console.log(
    `Dial relay (dial-request in → call.create at the VIPTel simulator), ${relay.bridge.length} dials each:`,
  );
  console.log(
    ratioLine({
      name: '  p50 bridge / bare forwarder',
      unit: 'ms',
      subject: median(relay.bridge),
      baseline: median(relay.bare),
      target: 1.2,
    }),
  );
  console.log(
    ratioLine({
      name: '  p99 bridge / bare forwarder',
      unit: 'ms',
      subject: percentile(relay.bridge, 99),
      baseline: percentile(relay.bare, 99),
      target: 1.5,
    }),
  );
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
