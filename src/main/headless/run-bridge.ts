import { parseArgs } from 'node:util';
import { createBridge } from '../engine/bridge/create-bridge';
import type { BridgeController } from '../engine/bridge/controller';
import { ConfigError, loadConfigFile } from '../engine/config/load';
import { createLogger, isLogLevel, streamSink, type Logger } from '../engine/log/logger';

const USAGE = `Usage: npm run bridge -- --config <path/to/config.json> [--log-level debug|info|warn|error]

Runs Dialler Bridge headless: the Patriot endpoint and the active PBX profile, until SIGINT/SIGTERM.
Logs are JSON lines on stdout. See README.md for the config format.`;

export interface RunningBridge {
  bridge: BridgeController;
  log: Logger;
  /** Stops the bridge (PBX logout, sockets closed) within `deadlineMs`, then writes out pending log lines. */
  shutdown(reason: string, deadlineMs?: number): Promise<void>;
  /** Writes out pending log lines at once (last resort before the process exits). */
  flushLog(): void;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Exit codes: 0 stopped cleanly, 1 could not start, 2 usage or config error. */
export async function startFromArgs(argv: string[], io: CliIo): Promise<RunningBridge | number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dialler-bridge: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  const configFile = args.values.config;
  if (!configFile) {
    io.stderr.write(`dialler-bridge: --config <file> is required\n${USAGE}\n`);
    return 2;
  }
  const levelArg = args.values['log-level'];
  if (levelArg !== undefined && !isLogLevel(levelArg)) {
    io.stderr.write(`dialler-bridge: --log-level: expected debug, info, warn or error, got "${levelArg}"\n`);
    return 2;
  }

  let config;
  try {
    config = await loadConfigFile(configFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`dialler-bridge: config error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const stdout = streamSink(io.stdout, undefined, (error) =>
    io.stderr.write(
      `dialler-bridge: the log on stdout stopped (${error.message}); the bridge keeps running\n`,
    ),
  );
  const log = createLogger({ level: levelArg ?? config.logLevel, sinks: [stdout] });
  const bridge = createBridge(config, { log });
  try {
    await bridge.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('could not start', { error: message });
    await bridge.stop().catch(() => undefined);
    stdout.flush();
    io.stderr.write(`dialler-bridge: could not start: ${message}\n`);
    return 1;
  }
  logSetupHints(bridge, log);
  return {
    bridge,
    log,
    flushLog: () => stdout.flush(),
    async shutdown(reason, deadlineMs = 4_000) {
      log.info('stopping', { reason });
      await stopWithin(bridge, log, deadlineMs);
      stdout.flush();
    },
  };
}

function logSetupHints(bridge: BridgeController, log: Logger): void {
  const setup = bridge.patriotSetup();
  if (setup.mode === 'server' && setup.url) {
    log.info('Patriot setup: WebSocketClientDiallerUrl and WebSocketClientDiallerConfig', {
      WebSocketClientDiallerUrl: setup.url,
      WebSocketClientDiallerConfig: '{"userName":"patriot","password":"<the bridge API key>"}',
      patriotKeyFile: setup.apiKeyFile ?? 'patriot.apiKeys in the config file',
      certificateFile: setup.certificateFile,
      certificateFingerprint256: setup.certificateFingerprint256,
    });
  }
}

async function stopWithin(bridge: BridgeController, log: Logger, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
  });
  const result = await Promise.race([bridge.stop().then(() => 'done' as const), deadline]);
  clearTimeout(timer);
  if (result === 'late') log.warn('shutdown took too long; exiting anyway', { deadlineMs });
}
