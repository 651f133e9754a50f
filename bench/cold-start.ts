import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(import.meta.dirname, '..');

/** Spawns a process and returns ms until a stdout line contains `marker`; then kills it. */
function timeToLine(args: string[], marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes(marker)) {
        const elapsed = performance.now() - started;
        child.kill('SIGKILL');
        resolve(elapsed);
      }
    });
    child.on('exit', (code) => {
      if (!buffer.includes(marker))
        reject(new Error(`${args.join(' ')} exited (${code}) before "${marker}"`));
    });
  });
}

/**
 * Cold start to listening: the built headless bridge (certificate already in dataDir, as on every start but
 * the first) vs a bare wss server with the same certificate, alternating runs.
 */
export async function measureColdStart(runs = 15): Promise<{ bridge: number[]; bare: number[] }> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', 'bridge'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-cold-'));
  const configFile = path.join(dataDir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir,
      patriot: { listen: { port: 0 }, apiKeys: ['bench-api-key-0123456789'] },
      activeProfile: 'demo',
      profiles: [{ id: 'demo', name: 'Demo', type: 'simulator' }],
    }),
  );
  const bridgeArgs = ['out/headless/bridge.mjs', '--config', configFile];
  const bareArgs = [
    'bench/bare-wss-server.mjs',
    path.join(dataDir, 'bridge-cert.pem'),
    path.join(dataDir, 'bridge-key.pem'),
  ];
  try {
    await timeToLine(bridgeArgs, '"bridge started"'); // generates the certificate once
    const samples = { bridge: [] as number[], bare: [] as number[] };
    for (let i = 0; i < runs; i++) {
      samples.bridge.push(await timeToLine(bridgeArgs, 'listening for Patriot'));
      samples.bare.push(await timeToLine(bareArgs, 'listening'));
    }
    return samples;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
