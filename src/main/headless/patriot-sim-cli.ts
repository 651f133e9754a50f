// `node scripts/patriot-sim.mjs --help`: plays Patriot against a bridge and prints what happens.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCertificate, loadCertificateFiles } from '../engine/tls/certificate';
import {
  connectToBridge,
  describeEvent,
  DesktopApiServerSim,
  sanitizePhoneNo,
  timestamp,
  type AuthOutcome,
  type SimConnection,
  type SimEvent,
  type TlsTrust,
} from './patriot-sim';

export const USAGE = `Usage: patriot-sim (--url URL | --listen PORT) (--api-key KEY | --api-key-file FILE) [options]

Plays Patriot against a Dialler Bridge and prints every message as a timestamped line.

Modes:
  --url wss://127.0.0.1:9009/ws/dialler/v1
                        Connect to a bridge in server mode, like Patriot's Websocket Client Dialler
                        (sends init-request {userName, password}, then a heartbeat every 5 s).
  --listen PORT         Act as Patriot's own server (Desktop API Dialler) on 127.0.0.1:PORT and wait
                        for a bridge in client mode to connect and authenticate. 0 picks a free port.

Key:
  --api-key KEY         The API key (server mode: the bridge's key; listen mode: the key Patriot expects).
  --api-key-file FILE   Read the key from a file, e.g. the bridge's api-key.txt.

Scenario:
  --dial NUMBER         Send a dial-request once authenticated ("+01 (2) 3-456-789" is sent as
                        phoneNo "+0123456789" with the raw text as rawPhoneNo).
  --hangup-after SECS   Send a hangup-request this long after the dial.
  --wait SECS           Total run time (default 10, or hangup-after + 5). The run ends earlier once a
                        hang-up was answered with callActive=false.

With --url:
  --auth init|authentication   init-request (default, as Patriot sends it) or authentication-request.
  --user-name NAME      userName in the init-request (default "patriot-sim").
  --heartbeat SECS      Heartbeat interval (default 5; 0 = none).
  --ca FILE             Trust the bridge's certificate from this PEM file (its bridge-cert.pem).
  --fingerprint SHA256  Trust a certificate with this SHA-256 fingerprint instead.
  --insecure            Do not check the certificate at all (testing only).

With --listen:
  --cert FILE --key FILE   Serve this certificate; otherwise a fresh self-signed one is generated and its
                        fingerprint printed (for the bridge's patriot.connect.fingerprint256).
  --save-cert FILE      Also write the certificate (PEM) there (for the bridge's patriot.connect.caFile).
  --path PATH           WebSocket path (default /ws/dialler/v1).

Exit status: 0 scenario completed (with --dial: the call became active and, with --hangup-after, ended
 after the hang-up), 1 authentication, connection or call failure, 2 usage error.
`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

interface ScenarioArgs {
  apiKey: string;
  dial: string | null;
  hangupAfterSec: number | null;
  waitSec: number;
}

export type SimArgs =
  | (ScenarioArgs & {
      mode: 'connect';
      url: string;
      auth: 'init' | 'authentication';
      userName: string;
      heartbeatSec: number;
      trust: TlsTrust;
    })
  | (ScenarioArgs & {
      mode: 'listen';
      port: number;
      path: string;
      certFile: string | null;
      keyFile: string | null;
      saveCert: string | null;
    });

export type ParsedArgs =
  { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; args: SimArgs };

class UsageError extends Error {}

function seconds(value: string | undefined, name: string, { allowZero = true } = {}): number | null {
  if (value === undefined) return null;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0)) {
    throw new UsageError(`--${name} expects a number of seconds, got "${value}"`);
  }
  return parsed;
}

async function readApiKey(values: { 'api-key'?: string; 'api-key-file'?: string }): Promise<string> {
  if (values['api-key'] !== undefined && values['api-key-file'] !== undefined) {
    throw new UsageError('give --api-key or --api-key-file, not both');
  }
  if (values['api-key-file'] !== undefined) {
    try {
      const key = (await readFile(values['api-key-file'], 'utf8')).trim();
      if (key) return key;
    } catch (error) {
      throw new UsageError(
        `cannot read --api-key-file ${values['api-key-file']}: ${(error as Error).message}`,
      );
    }
    throw new UsageError(`--api-key-file ${values['api-key-file']} is empty`);
  }
  if (!values['api-key']) throw new UsageError('--api-key (or --api-key-file) is required');
  return values['api-key'];
}

export async function parseSimArgs(argv: string[]): Promise<ParsedArgs> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        url: { type: 'string' },
        listen: { type: 'string' },
        'api-key': { type: 'string' },
        'api-key-file': { type: 'string' },
        dial: { type: 'string' },
        'hangup-after': { type: 'string' },
        wait: { type: 'string' },
        auth: { type: 'string' },
        'user-name': { type: 'string' },
        heartbeat: { type: 'string' },
        ca: { type: 'string' },
        fingerprint: { type: 'string' },
        insecure: { type: 'boolean' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'save-cert': { type: 'string' },
        path: { type: 'string' },
      },
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if ((values.url === undefined) === (values.listen === undefined)) {
      throw new UsageError('give either --url (connect to a bridge) or --listen PORT (wait for a bridge)');
    }

    const dial = values.dial ?? null;
    if (dial !== null && sanitizePhoneNo(dial) === '') throw new UsageError(`--dial "${dial}" has no digits`);
    const hangupAfterSec = seconds(values['hangup-after'], 'hangup-after');
    if (hangupAfterSec !== null && dial === null) throw new UsageError('--hangup-after needs --dial');
    const waitSec =
      seconds(values.wait, 'wait', { allowZero: false }) ?? Math.max(10, (hangupAfterSec ?? 0) + 5);
    if (hangupAfterSec !== null && waitSec <= hangupAfterSec) {
      throw new UsageError('--wait must be longer than --hangup-after');
    }
    const scenario = { apiKey: await readApiKey(values), dial, hangupAfterSec, waitSec };

    if (values.url !== undefined) {
      for (const name of ['cert', 'key', 'save-cert', 'path'] as const) {
        if (values[name] !== undefined) throw new UsageError(`--${name} only applies with --listen`);
      }
      if (!/^wss?:\/\//.test(values.url) || !URL.canParse(values.url)) {
        throw new UsageError(`--url expects a ws:// or wss:// URL, got "${values.url}"`);
      }
      const auth = values.auth ?? 'init';
      if (auth !== 'init' && auth !== 'authentication') {
        throw new UsageError(`--auth expects "init" or "authentication", got "${auth}"`);
      }
      const trustOptions = [values.ca, values.fingerprint, values.insecure].filter((v) => v !== undefined);
      if (trustOptions.length > 1)
        throw new UsageError('give at most one of --ca, --fingerprint and --insecure');
      let trust: TlsTrust = { system: true };
      if (values.ca !== undefined) {
        try {
          trust = { ca: await readFile(values.ca) };
        } catch (error) {
          throw new UsageError(`cannot read --ca ${values.ca}: ${(error as Error).message}`);
        }
      } else if (values.fingerprint !== undefined) {
        if (!/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/.test(values.fingerprint)) {
          throw new UsageError('--fingerprint expects a SHA-256 fingerprint (64 hex digits, colons allowed)');
        }
        trust = { fingerprint256: values.fingerprint };
      } else if (values.insecure) {
        trust = { insecure: true };
      }
      const heartbeatSec = seconds(values.heartbeat, 'heartbeat') ?? 5;
      return {
        kind: 'run',
        args: {
          ...scenario,
          mode: 'connect',
          url: values.url,
          auth,
          userName: values['user-name'] ?? 'patriot-sim',
          heartbeatSec,
          trust,
        },
      };
    }

    for (const name of ['ca', 'fingerprint', 'insecure', 'auth', 'user-name', 'heartbeat'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} only applies with --url`);
    }
    const port = Number(values.listen);
    if (!/^\d+$/.test(values.listen ?? '') || port > 65_535) {
      throw new UsageError(`--listen expects a port number (0-65535), got "${values.listen}"`);
    }
    if ((values.cert === undefined) !== (values.key === undefined)) {
      throw new UsageError('give both --cert and --key, or neither');
    }
    const listenPath = values.path ?? '/ws/dialler/v1';
    if (!listenPath.startsWith('/')) throw new UsageError('--path must start with "/"');
    return {
      kind: 'run',
      args: {
        ...scenario,
        mode: 'listen',
        port,
        path: listenPath,
        certFile: values.cert ?? null,
        keyFile: values.key ?? null,
        saveCert: values['save-cert'] ?? null,
      },
    };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    // parseArgs reports unknown options and missing values as TypeErrors with a readable message.
    if (error instanceof TypeError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** A failure that ends the run with exit status 1. */
class RunFailure extends Error {}

/** Resolves when `ms` elapsed; never settles once the run is over (so no late rejections). */
function elapsed(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(Math.max(0, ms), undefined, { signal }).catch(() => new Promise<void>(() => undefined));
}

/** Runs the dial / hang-up scenario on an authenticated connection until it completes or `deadline`. */
async function runScenario(
  connection: SimConnection,
  args: ScenarioArgs,
  deadline: number,
  signal: AbortSignal,
  print: (line: string) => void,
): Promise<void> {
  const closed = connection
    .next(() => false)
    .catch((error: Error) => {
      throw new RunFailure(`the bridge closed the connection: ${error.message}`);
    });
  const until = (ms: number) => elapsed(ms, signal);
  if (args.dial === null) {
    await Promise.race([until(deadline - Date.now()), closed]);
    return;
  }
  // A heartbeat round trip first: any status the bridge sends on authentication arrives before its answer,
  // so the first status after the dial is about the dial.
  const settled = connection.next((m) => m.type === 'heartbeat-response');
  connection.send({ type: 'heartbeat' });
  await Promise.race([settled, until(deadline - Date.now()), closed]);
  const firstStatus = connection.next((m) => m.type === 'call-status-update');
  connection.dial(args.dial);
  const status = await Promise.race([firstStatus, until(deadline - Date.now()).then(() => null), closed]);
  if (status === null) throw new RunFailure('the call never became active within the --wait time');
  if (status.type === 'call-status-update' && !status.payload.callActive)
    throw new RunFailure(
      'the bridge did not place the call (callActive=false before it became active): ' +
        "refused, busy, no answer or PBX offline; Patriot's protocol carries no reason, " +
        "the bridge's log and window say which",
    );
  print('the call became active');
  const ended = connection.next((m) => m.type === 'call-status-update' && !m.payload.callActive);
  if (args.hangupAfterSec === null) {
    await Promise.race([until(deadline - Date.now()), closed, ended]);
    return;
  }
  const endedEarly = await Promise.race([
    until(args.hangupAfterSec * 1000).then(() => false),
    ended.then(() => true),
    closed,
  ]);
  if (endedEarly) throw new RunFailure('the call ended before the hang-up was sent');
  connection.hangup();
  const finished = await Promise.race([
    ended.then(() => true),
    until(deadline - Date.now()).then(() => false),
    closed,
  ]);
  if (!finished) throw new RunFailure('the hang-up was sent but the call did not end within the --wait time');
  print('scenario completed: the call ended after the hang-up');
}

/** The bridge only speaks TLS; a ws:// URL gets a bare "socket hang up", so say what to change. */
function plainWsHint(url: string): string {
  return url.startsWith('ws://') ? ' (the bridge speaks TLS only: use wss:// instead of ws://)' : '';
}

function within<T>(promise: Promise<T>, deadline: number, signal: AbortSignal, what: string): Promise<T> {
  return Promise.race([
    promise,
    elapsed(deadline - Date.now(), signal).then(() => {
      throw new RunFailure(what);
    }),
  ]);
}

async function runConnect(
  args: Extract<SimArgs, { mode: 'connect' }>,
  deadline: number,
  signal: AbortSignal,
  print: (line: string) => void,
  io: CliIo,
): Promise<void> {
  if ('insecure' in args.trust)
    io.err('patriot-sim: warning: --insecure: the bridge certificate is not checked\n');
  print(`connecting  ${args.url}`);
  const session = await within(
    connectToBridge({
      url: args.url,
      apiKey: args.apiKey,
      auth: args.auth,
      userName: args.userName,
      trust: args.trust,
      heartbeatMs: args.heartbeatSec * 1000,
    }),
    deadline,
    signal,
    `no connection to ${args.url} within the --wait time`,
  ).catch((error: Error) => {
    throw error instanceof RunFailure
      ? error
      : new RunFailure(`cannot connect to ${args.url}: ${error.message}${plainWsHint(args.url)}`);
  });
  session.on('event', (event: SimEvent) => {
    const line = describeEvent(event);
    if (line) print(line);
  });
  print(`connected  ${args.url}`);
  try {
    const outcome = await within(
      session.authenticate(),
      deadline,
      signal,
      `the bridge did not answer the ${args.auth}-request`,
    ).catch((error: Error) => {
      throw error instanceof RunFailure ? error : new RunFailure(`before authentication: ${error.message}`);
    });
    if (!outcome.success)
      throw new RunFailure(`authentication failed: ${outcome.error ?? 'no reason given'}`);
    print('authenticated');
    await runScenario(session, args, deadline, signal, print);
  } finally {
    await session.close();
  }
}

async function runListen(
  args: Extract<SimArgs, { mode: 'listen' }>,
  deadline: number,
  signal: AbortSignal,
  print: (line: string) => void,
): Promise<void> {
  const certificate =
    args.certFile && args.keyFile
      ? await loadCertificateFiles(args.certFile, args.keyFile).catch((error: Error) => {
          throw new UsageError(error.message);
        })
      : await generateCertificate({ commonName: 'Patriot simulator (localhost)' });
  if (args.saveCert) await writeFile(args.saveCert, certificate.cert);
  const server = new DesktopApiServerSim({
    apiKey: args.apiKey,
    cert: certificate.cert,
    key: certificate.key,
    port: args.port,
    path: args.path,
  });
  try {
    await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunFailure(
      code === 'EADDRINUSE'
        ? `port ${args.port} is in use by another program`
        : `cannot listen on port ${args.port}: ${(error as Error).message}`,
    );
  }
  try {
    print(`listening  ${server.url}  certificate fingerprint256=${certificate.fingerprint256}`);
    if (args.saveCert) print(`certificate saved  ${args.saveCert}`);
    server.on('connection', (connection) => {
      print('bridge connected');
      connection.on('event', (event: SimEvent) => {
        const line = describeEvent(event);
        if (line) print(line);
      });
    });
    const refused = new Promise<AuthOutcome>((resolve) => {
      server.on('connection', (connection) =>
        connection.on('event', (event) => {
          if (
            event.kind === 'sent' &&
            event.frame.type === 'authentication-response' &&
            !event.frame.payload.success
          ) {
            resolve(event.frame.payload);
          }
        }),
      );
    });
    const first = await within(
      Promise.race([server.nextAuthenticated(), refused]),
      deadline,
      signal,
      'no bridge connected and authenticated within the --wait time',
    );
    if (!('socket' in first)) throw new RunFailure(`authentication failed: the bridge sent a wrong API key`);
    print('authenticated');
    await runScenario(first, args, deadline, signal, print);
  } finally {
    await server.close();
  }
}

/** Runs the simulator; resolves to the exit status. */
export async function runPatriotSim(argv: string[], io: CliIo): Promise<number> {
  const parsed = await parseSimArgs(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`patriot-sim: ${parsed.message}\n(see --help)\n`);
    return 2;
  }
  const args = parsed.args;
  const deadline = Date.now() + args.waitSec * 1000;
  const print = (line: string) => io.out(`${timestamp()}  ${line}\n`);
  const timers = new AbortController();
  try {
    if (args.mode === 'connect') await runConnect(args, deadline, timers.signal, print, io);
    else await runListen(args, deadline, timers.signal, print);
    print('done');
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`patriot-sim: ${error.message}\n`);
      return 2;
    }
    io.err(`patriot-sim: ${(error as Error).message}\n`);
    return 1;
  } finally {
    timers.abort();
  }
}

/** True when this module is the program (directly, via tsx, or as the bundle scripts/patriot-sim.mjs imports). */
function launchedAsCli(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  if (path.resolve(entry) === fileURLToPath(import.meta.url)) return true;
  return /^patriot-sim(-cli)?\.(m?js|ts)$/.test(path.basename(entry));
}

if (launchedAsCli()) {
  process.exitCode = await runPatriotSim(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
