// `npx tsx src/main/headless/viptel-sim-cli.ts --help`: a VIPTel PBX API simulator for manual trials.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ViptelSimulator } from '../engine/pbx/viptel/simulator';
import type { SimCallStatus } from '../engine/pbx/viptel/simulator-calls';
import { dispatchCommand, runSimulatorConsole, say, type ConsoleIo, type ParsedArgs } from './sim-console';

export const VIPTEL_SIM_USAGE = `Usage: viptel-sim [options]

Serves the VIPTel PBX WebSocket API 1.0.8 on ws://127.0.0.1:PORT and prints every client action.

Options:
  --port PORT            Port on 127.0.0.1 (default 8088; 0 picks a free one).
  --user NAME            API username (default demo).
  --password TEXT        API password (default demo).
  --extension EXT        The operator's extension: the default target of "inbound" (default 12).
  --login-timeout SECS   Close connections that do not log in within this (default 30).
  --outcome PATTERN=STATUS
                         Calls to numbers matching PATTERN end with STATUS (busy, noanswer,
                         chanunavail, congestion, dontcall, invalidargs, cancel). Repeatable.
                         Example: --outcome '0900*=busy' --outcome '*99=chanunavail'
  --rename               Send a second call.create_response with a new unique_id for each call.
  --help                 This text.

Commands on stdin while running:
  inbound FROM [TO]      A call from FROM to TO (default: the extension); prints its unique_id.
  answer UID             call.pickup for the call.
  end UID [STATUS]       call.end for the call (default answer).
  calls                  List live calls.
  foreign N              N events of other extensions (a busy PBX).
  restart                "503 Server is restarting", then close every connection.
  drop                   Cut every connection without a word.
  quit                   Stop.
`;

export type ViptelSimCliIo = ConsoleIo;

export interface ViptelSimArgs {
  port: number;
  user: string;
  password: string;
  extension: string;
  loginTimeoutMs: number;
  outcomes: Record<string, SimCallStatus>;
  rename: boolean;
}

/** Parsed arguments, or the text to print (usage or an error) with the exit status. */
export function parseViptelSimArgs(argv: string[]): ParsedArgs<ViptelSimArgs> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8088' },
        user: { type: 'string', default: 'demo' },
        password: { type: 'string', default: 'demo' },
        extension: { type: 'string', default: '12' },
        'login-timeout': { type: 'string', default: '30' },
        outcome: { type: 'string', multiple: true, default: [] },
        rename: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return { ok: false, text: `${(error as Error).message}\n\n${VIPTEL_SIM_USAGE}`, status: 2 };
  }
  if (values.help) return { ok: false, text: VIPTEL_SIM_USAGE, status: 0 };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return { ok: false, text: `--port: expected 0-65535, got "${values.port}"`, status: 2 };
  }
  const loginTimeoutSec = Number(values['login-timeout']);
  if (!(loginTimeoutSec > 0)) {
    return {
      ok: false,
      text: `--login-timeout: expected seconds, got "${values['login-timeout']}"`,
      status: 2,
    };
  }
  const outcomes: Record<string, SimCallStatus> = {};
  for (const entry of values.outcome) {
    const match = /^([0-9*#?+]+)=([a-z]+)$/.exec(entry);
    if (!match) return { ok: false, text: `--outcome: expected PATTERN=STATUS, got "${entry}"`, status: 2 };
    outcomes[match[1]!] = match[2]!;
  }
  return {
    ok: true,
    args: {
      port,
      user: values.user,
      password: values.password,
      extension: values.extension,
      loginTimeoutMs: loginTimeoutSec * 1_000,
      outcomes,
      rename: values.rename,
    },
  };
}

/** Starts the simulator and prints what happens; returns it so the caller can run commands and stop it. */
export async function startViptelSimCli(args: ViptelSimArgs, io: ViptelSimCliIo): Promise<ViptelSimulator> {
  const sim = new ViptelSimulator({
    port: args.port,
    users: [{ username: args.user, password: args.password }],
    loginTimeoutMs: args.loginTimeoutMs,
    outcomes: args.outcomes,
    renameOnCreate: args.rename,
  });
  const { url } = await sim.start();
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  sim.on('connection', (c) => io.out(`${stamp()} #${c.id} connected`));
  sim.on('disconnect', (c) => io.out(`${stamp()} #${c.id} disconnected`));
  sim.on('login', (l) => io.out(`${stamp()} #${l.connectionId} logged in as ${l.username}`));
  sim.on('action', (frame, c) => {
    // The login hash is as good as a password for this connection: never printed.
    const shown = frame.action === 'user.login' ? { ...frame, password: '[hash]' } : frame;
    io.out(`${stamp()} #${c.id} → ${JSON.stringify(shown)}`);
  });
  io.out(`VIPTel simulator listening on ${url} (user "${args.user}", extension ${args.extension})`);
  io.out('Type "help" for commands.');
  return sim;
}

/** One stdin command; returns false for "quit". */
export function runViptelSimCommand(
  sim: ViptelSimulator,
  args: ViptelSimArgs,
  line: string,
  io: ViptelSimCliIo,
): boolean {
  return dispatchCommand(line, io, VIPTEL_SIM_USAGE, {
    inbound: ([from, to]) => {
      if (!from) return say(io, 'usage: inbound FROM [TO]');
      return say(io, `ringing: unique_id ${sim.placeInboundCall({ from, to: to ?? args.extension })}`);
    },
    answer: ([uid]) => {
      if (!uid) return say(io, 'usage: answer UID');
      sim.answer(uid);
    },
    end: ([uid, status]) => {
      if (!uid) return say(io, 'usage: end UID [STATUS]');
      sim.endCall(uid, status ?? 'answer');
    },
    calls: () => {
      const calls = sim.calls();
      if (calls.length === 0) return say(io, 'no live calls');
      for (const call of calls) io.out(`${call.uniqueId}  ${call.caller} → ${call.callee}  ${call.state}`);
    },
    foreign: ([count]) => sim.emitForeignEvents(Math.max(0, Number(count) || 0), [args.extension]),
    restart: () => sim.announceRestart(),
    drop: () => sim.dropConnections(),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runSimulatorConsole({
    name: 'viptel-sim',
    parse: parseViptelSimArgs,
    start: startViptelSimCli,
    command: (sim, args, line, io) => runViptelSimCommand(sim, args, line, io),
  });
}
