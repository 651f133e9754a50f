// `npm run demo`: the bridge on the simulated PBX, with the Patriot simulator placing one call through it.
// Prints the bridge's log (condensed) and every call-status-update Patriot receives, then stops both.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { targets } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const HIDDEN_FIELDS = new Set(['time', 'level', 'msg', 'component', 'profile', 'attempt', 'patriotMode']);
const dataDir = path.join(root, '.demo-data');
// `npm run demo -- --port 9010` when 9009 is taken: a copy of examples/demo.json with that port.
const { values: options } = parseArgs({ options: { port: { type: 'string' } } });
let config = path.join(root, 'examples/demo.json');
if (options.port !== undefined) {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`[demo] --port ${options.port}: give a port number from 1 to 65535`);
    process.exit(2);
  }
  const demo = JSON.parse(await readFile(config, 'utf8'));
  demo.dataDir = dataDir;
  demo.patriot.listen.port = port;
  await mkdir(dataDir, { recursive: true });
  config = path.join(dataDir, 'demo-config.json');
  await writeFile(config, JSON.stringify(demo, null, 2));
}

await targets.bridge();
await targets['patriot-sim']();

const bridge = spawn(process.execPath, ['out/headless/bridge.mjs', '--config', config], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let started = false;
const endpoint = await new Promise((resolve) => {
  let buffer = '';
  bridge.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        console.log(`[bridge] ${line}`);
        continue;
      }
      // Every field but the bookkeeping ones, so paths and the Patriot setup values stay visible.
      const detail = Object.entries(record)
        .filter(([key, value]) => !HIDDEN_FIELDS.has(key) && value !== undefined && value !== null)
        .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('');
      console.log(`[bridge] ${record.level.padEnd(5)} ${record.msg}${detail}`);
      if (record.msg === 'bridge started') {
        started = true;
        resolve(record.endpoint);
      }
    }
  });
  bridge.on('exit', (code) => {
    if (started) return;
    // The bridge already said why (e.g. port taken); one line, no stack trace.
    console.error(
      `[demo] the bridge exited (${code}) before it started; if port 9009 is taken: npm run demo -- --port 9010`,
    );
    process.exit(1);
  });
});

console.log('\n[demo] Patriot simulator: authenticate, dial 0123456789, hang up after 5 s\n');
const sim = spawn(
  process.execPath,
  [
    'out/headless/patriot-sim.mjs',
    '--url',
    endpoint,
    '--api-key-file',
    path.join(dataDir, 'api-key.txt'),
    '--ca',
    path.join(dataDir, 'bridge-cert.pem'),
    '--dial',
    '0123456789',
    '--hangup-after',
    '5',
  ],
  { cwd: root, stdio: 'inherit' },
);
const simExit = await new Promise((resolve) => sim.on('exit', (code) => resolve(code ?? 1)));

bridge.kill('SIGTERM');
await new Promise((resolve) => bridge.on('exit', resolve));
console.log(`\n[demo] done. Call log: ${path.join(dataDir, 'calls.jsonl')}`);
console.log(
  '[demo] Keep the bridge running for your own trials: npm run bridge -- --config examples/demo.json',
);
process.exit(simExit);
