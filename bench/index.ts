// npm run bench: every figure is a ratio against a baseline measured in the same run (or, for memory, of the
// same process earlier in the run). Bench traffic stays on 127.0.0.1; every run is bounded in count and time.
import { measureColdStart } from './cold-start';
import { measureMemory, measureRelay, type Pace, type RelayPbx, type RelaySamples } from './lib/relay';
import { median, percentile, ratioLine } from './lib/stats';
import { innovaphoneRelayPbx } from './relay-innovaphone';
import { basixRelayPbx } from './relay-basix';
import { harmonyRelayPbx } from './relay-harmony';
import { viptelRelayPbx } from './relay-viptel';
import { measureViptelFirehose, printViptelFirehose } from './viptel-filter';
import { measureBasixFirehose, printBasixFirehose } from './basix-firehose';

// Memory: the first checkpoint must be past warm-up, i.e. past the point where V8's old generation reaches its
// working size (the ~14 MB live heap plus the ~8 MB V8 lets garbage grow by between full collections). That takes
// two or three Mark-Compacts: RSS climbs until ~3,000-4,000 cycles (Basix, the slowest to settle: 75 MB at 1,000,
// 80 MB at 4,000, then 81-82 MB up to 13,000), and the heap after a full GC is flat throughout. From 1,000 the
// ratio measured that warm-up, not growth per call. 8,000 cycles apart, a leak of ~500 bytes a call still fails.
const CHECKPOINTS = [4_000, 12_000] as const;
const RSS_LIMIT_MB = 100;

const PBXES: { name: string; command: string; pbx: () => Promise<RelayPbx> }[] = [
  { name: 'VIPTel', command: 'call.create', pbx: viptelRelayPbx },
  { name: 'innovaphone', command: 'UserCall', pbx: innovaphoneRelayPbx },
  { name: 'Basix', command: 'call_user', pbx: basixRelayPbx },
  { name: 'Harmony', command: 'channel.dial', pbx: harmonyRelayPbx },
];

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

function printRelay(samples: RelaySamples, pace: Pace): void {
  console.log(`  ${pace === 'back-to-back' ? 'back-to-back, same number' : 'operator pace, new numbers'}:`);
  const line = (p: number, target: number) =>
    ratioLine({
      name: `    p${p} bridge / bare forwarder`,
      unit: 'ms',
      subject: percentile(samples.bridge, p),
      baseline: percentile(samples.bare, p),
      target,
    });
  console.log(line(50, 1.2));
  console.log(line(99, 1.5));
  // No target of its own: it tells how much of the latency gap is work (rather than waiting).
  console.log(
    ratioLine({
      name: '    CPU per cycle bridge / bare forwarder',
      unit: 'µs',
      subject: samples.cpuPerCycleUs.bridge,
      baseline: samples.cpuPerCycleUs.bare,
      target: null,
    }),
  );
}

function printMemory(rss: number[]): void {
  const [first, last] = rss as [number, number];
  console.log(
    ratioLine({
      name: `  RSS after ${CHECKPOINTS[1]} / ${CHECKPOINTS[0]} cycles`,
      unit: 'MB',
      subject: last,
      baseline: first,
      target: 1.05,
    }),
  );
  console.log(
    `  RSS after ${CHECKPOINTS[1]} cycles`.padEnd(46) +
      ` ${last.toFixed(1)} MB   (target ≤ ${RSS_LIMIT_MB} MB: ${verdict(last <= RSS_LIMIT_MB)})`,
  );
}

async function main(): Promise<void> {
  console.log(`Dialler Bridge benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  const only = process.argv.slice(2);
  const wants = (part: string) => only.length === 0 || only.includes(part);

  if (wants('cold')) {
    const cold = await measureColdStart();
    console.log(`Cold start to a TLS handshake on the Patriot port, ${cold.npm.length} runs each (median):`);
    const bare = median(cold.bare);
    const line = (name: string, samples: number[], target: number | null) =>
      ratioLine({ name, unit: 'ms', subject: median(samples), baseline: bare, target });
    console.log(line('  npm run bridge / bare wss server', cold.npm, 1.5));
    console.log(line('  node scripts/bridge.mjs / bare wss server', cold.node, null));
    const npmMs = median(cold.npmOverhead.npm) - median(cold.npmOverhead.node);
    console.log(
      `${"  npm's own overhead (--help: npm − node)".padEnd(46)} ${npmMs.toFixed(0)} ms   ` +
        `[${median(cold.npmOverhead.npm).toFixed(0)} vs ${median(cold.npmOverhead.node).toFixed(0)} ms to exit; ` +
        `${((npmMs / bare) * 100).toFixed(0)} % of the bare server's start]`,
    );
    const extra = cold.resident.map(
      (p) => `${p.command.split(' ').slice(0, 2).join(' ')} (${p.rssMb.toFixed(0)} MB)`,
    );
    console.log(
      `${'  resident processes beside the bridge'.padEnd(46)} ${cold.resident.length}      ` +
        `[${extra.join(', ') || 'none'}; the bridge ${cold.bridgeRssMb.toFixed(0)} MB]  (target 0: ${verdict(cold.resident.length === 0)})`,
    );
    console.log();
  }

  for (const { name, command, pbx } of PBXES) {
    if (!wants(name.toLowerCase())) continue;
    console.log(
      `${name}: dial latency (dial-request sent → ${command} at the simulator), 3 × 300 dials each`,
    );
    printRelay(await measureRelay(await pbx(), 'back-to-back'), 'back-to-back');
    printRelay(await measureRelay(await pbx(), 'operator'), 'operator');
    console.log(`${name}: memory over back-to-back dial/hang-up cycles of the same number`);
    printMemory(await measureMemory(await pbx(), CHECKPOINTS));
    console.log();
  }

  if (wants('firehose')) {
    printViptelFirehose(await measureViptelFirehose());
    console.log();
    printBasixFirehose(await measureBasixFirehose());
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
