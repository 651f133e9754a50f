// `npm run site-check -- --config FILE [--dial NUMBER]`: starts the bridge from the config, runs the site
// check against it, prints each step and exits 0 only when every step passed.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BridgeController } from '../engine/bridge/controller';
import { createBridge } from '../engine/bridge/create-bridge';
import { DataDirInUseError } from '../engine/bridge/data-dir-lock';
import { ConfigError, loadConfigFile } from '../engine/config/load';
import type { BridgeConfig } from '../engine/config/schema';
import { collectSecrets } from '../engine/config/secrets';
import { createLogger, streamSink } from '../engine/log/logger';
import type { CertificateChecker } from '../engine/site-check/certificate-step';
import { stepLine } from '../engine/site-check/report-text';
import { runSiteCheck, type SiteCheckTimeouts } from '../engine/site-check/run-site-check';
import { CertificateTrust, execFileRunner, systemCertutil } from '../electron/certificate-trust';
import type { CliIo } from './run-bridge';

export const SITE_CHECK_USAGE = `Usage: npm run site-check -- --config <config.json> [--dial NUMBER] [--report FILE] [--verbose]

Starts the bridge from the config (it refuses while another bridge uses the same data folder: stop that one
first, or use "Check this PC" in its window), then checks in order: the bridge certificate trusted by
Windows, Patriot reaching the bridge over wss with the real API key, the PBX link and login, and (with
--dial) a test call. Prints each step; --report writes the report (no secrets) to FILE.

Exit codes: 0 every step passed, 1 a step failed, 2 usage or config error, 3 the bridge could not start.`;

/** Test seams: the certificate answer off Windows, shorter waits. */
export interface SiteCheckCliOverrides {
  certificates?: CertificateChecker;
  timeouts?: Partial<SiteCheckTimeouts>;
}

export async function runSiteCheckCli(
  argv: string[],
  io: CliIo,
  overrides: SiteCheckCliOverrides = {},
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        dial: { type: 'string' },
        report: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`site-check: ${(error as Error).message}\n${SITE_CHECK_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(SITE_CHECK_USAGE + '\n');
    return 0;
  }
  if (!values.config) {
    io.stderr.write(`site-check: --config <file> is required\n${SITE_CHECK_USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = await loadConfigFile(values.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`site-check: config error: ${error.message}\n`);
    return 2;
  }

  const sink = streamSink(io.stderr);
  const log = createLogger({
    level: values.verbose ? 'debug' : 'error',
    sinks: values.verbose ? [sink] : [],
  });
  const bridge = createBridge(config, { log });
  try {
    await bridge.start();
  } catch (error) {
    await bridge.stop().catch(() => undefined);
    sink.flush();
    const why =
      error instanceof DataDirInUseError
        ? `${error.message} The site check starts its own bridge; to check a running desktop app use "Check this PC" in its window.`
        : (error as Error).message;
    io.stderr.write(`site-check: the bridge could not start: ${why}\n`);
    return 3;
  }

  try {
    const apiKey = await bridgeApiKey(bridge, config);
    const printed = new Set<string>();
    const report = await runSiteCheck(
      {
        bridge,
        certificates:
          overrides.certificates ??
          new CertificateTrust({
            run: execFileRunner,
            platform: process.platform,
            certutil: systemCertutil(),
            log,
          }),
        apiKey: () => Promise.resolve(apiKey),
        secrets: () => Promise.resolve([...collectSecrets(config), apiKey]),
        about: [`Computer: ${os.hostname()} (${process.platform} ${os.release()}), headless site check`],
        timeouts: overrides.timeouts,
      },
      { dialNumber: values.dial },
      (steps) => {
        for (const step of steps) {
          const line =
            step.status === 'running'
              ? `[..] ${step.title}…`
              : step.status === 'pending'
                ? ''
                : stepLine(step);
          if (!line || printed.has(line)) continue;
          printed.add(line);
          io.stdout.write(line + '\n');
        }
      },
    );
    io.stdout.write(`\nSite check ${report.passed ? 'PASSED' : 'FAILED'}\n`);
    if (values.report) {
      await writeFile(values.report, report.text, { mode: 0o600 });
      io.stdout.write(`Report written to ${values.report}\n`);
    }
    return report.passed ? 0 : 1;
  } finally {
    await bridge.stop();
    sink.flush();
  }
}

/** The key Patriot is given: the first configured one, or the generated key file. */
async function bridgeApiKey(bridge: BridgeController, config: BridgeConfig): Promise<string> {
  if (config.patriot.apiKeys[0]) return config.patriot.apiKeys[0];
  const file = bridge.patriotSetup().apiKeyFile;
  return file ? (await readFile(file, 'utf8')).trim() : '';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runSiteCheckCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => (process.exitCode = code),
  );
}
