// `npm run demo`: the bridge on the simulated PBX, with the Patriot simulator placing one call through it.
// Prints the bridge's log (condensed) and every call-status-update Patriot receives, then stops both.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { targets } from './build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const config = path.join(root, 'examples/demo.json');
const dataDir = path.join(root, '.demo-data');

await targets.bridge();
await targets['patriot-sim']();

const bridge = spawn(process.execPath, ['out/headless/bridge.mjs', '--config', config], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const endpoint = await new Promise((resolve, reject) => {
  let buffer = '';
  bridge.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      const record = JSON.parse(line);
      const detail = ['number', 'phoneNo', 'outcome', 'status', 'detail']
        .filter((key) => record[key] !== undefined && record[key] !== null)
        .map((key) => ` ${key}=${record[key]}`)
        .join('');
      console.log(`[bridge] ${record.level.padEnd(5)} ${record.msg}${detail}`);
      if (record.msg === 'bridge started') resolve(record.endpoint);
    }
  });
  bridge.on('exit', (code) => reject(new Error(`the bridge exited (${code}) before it started`)));
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
