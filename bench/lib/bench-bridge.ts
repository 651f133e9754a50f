import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bridge } from '../../src/main/engine/bridge/bridge';
import { parseConfig } from '../../src/main/engine/config/load';
import { createLogger, streamSink } from '../../src/main/engine/log/logger';
import { createPatriotEndpoint } from '../../src/main/engine/patriot/create-endpoint';
import { createAdapter } from '../../src/main/engine/pbx/registry';

export const BENCH_API_KEY = 'bench-api-key-0123456789';

/** The real bridge, in this process, with production logging (info level, JSON lines to /dev/null). */
export async function startBenchBridge(profile: Record<string, unknown>) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialler-bench-'));
  const config = {
    ...parseConfig(
      {
        patriot: { listen: { port: 0 }, apiKeys: [BENCH_API_KEY] },
        activeProfile: profile.id,
        profiles: [profile],
      },
      'bench.json',
    ),
    dataDir,
  };
  const sink = createWriteStream(os.devNull);
  const bridge = new Bridge(config, {
    log: createLogger({
      level: (process.env.BENCH_LOG_LEVEL as 'info') ?? 'info',
      sinks: [streamSink(sink)],
    }),
    createEndpoint: createPatriotEndpoint,
    createAdapter,
  });
  await bridge.start();
  const ca = await readFile(path.join(dataDir, 'bridge-cert.pem'), 'utf8');
  const key = await readFile(path.join(dataDir, 'bridge-key.pem'), 'utf8');
  return {
    bridge,
    url: bridge.snapshot().patriot.endpoint,
    ca,
    certificate: { cert: ca, key },
    async stop() {
      await bridge.stop();
      sink.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
