// `npm run basix-sim -- --help`: a Brastel Basix server (ws_cti + REST call_user) simulator.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BasixSimulator, SIM_DOMAIN, SIM_TOKEN, SIM_USERS } from '../engine/pbx/basix/simulator';
import type { SimOutcome } from '../engine/pbx/basix/simulator-calls';
import { dispatchCommand, runSimulatorConsole, say, type ConsoleIo, type ParsedArgs } from './sim-console';

export const BASIX_SIM_USAGE = `Usage: basix-sim [options]

Serves a Basix server on http://127.0.0.1:PORT: ws_cti at /basix/api/ws_cti (binary ETF frames) and
REST POST /basix/api/call_user, both with HTTP Basic auth DOMAIN:TOKEN. Prints every connection,
call_user request and ws_cti command.

Options:
  --port PORT            Port on 127.0.0.1 (default 8088; 0 picks a free one).
  --domain NAME          Basix domain (default ${SIM_DOMAIN}).
  --token TEXT           API token (default ${SIM_TOKEN}).
  --outcome NUMBER=WHAT  What calling NUMBER does: answer, busy, no-answer, user-no-answer. Repeatable.
  --refuse NUMBER=ID     call_user for NUMBER fails with error id ID. Repeatable.
  --answer-ms MS         call_user → the operator picks up (default 300); the destination answers 600 ms later.
  --shuffle-fields       Send fields in a shuffled order (clients must map them by field_spec).
  --no-removed           Never send "removed" after a hang-up.
  --help                 This text.

Users: ${SIM_USERS.map((user) => `${user.name} (id ${user.id}, ext ${user.extension})`).join(', ')}.

Commands on stdin while running:
  inbound FROM [USER]    A PSTN call from FROM to USER (default ${SIM_USERS[0]!.name}); answered after 2 s.
  call USER NUMBER       A click-to-call for USER (another program's call_user).
  hangup [UUID]          The far end hangs up (every call, or the call of UUID).
  calls                  List live channels.
  drop                   Cut every ws_cti connection without a word.
  restart                Drop connections and forget every call (a PBX restart).
  system MSG             Send {system_msg, MSG}, e.g. connection_replaced.
  quit                   Stop.
`;

const OUTCOMES: readonly SimOutcome[] = ['answer', 'busy', 'no-answer', 'user-no-answer'];

export interface BasixSimArgs {
  port: number;
  domain: string;
  token: string;
  outcomes: Record<string, SimOutcome>;
  refusals: Record<string, string>;
  answerMs: number;
  shuffleFields: boolean;
  omitRemoved: boolean;
}

type Parsed = ParsedArgs<BasixSimArgs>;

export function parseBasixSimArgs(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8088' },
        domain: { type: 'string', default: SIM_DOMAIN },
        token: { type: 'string', default: SIM_TOKEN },
        outcome: { type: 'string', multiple: true, default: [] },
        refuse: { type: 'string', multiple: true, default: [] },
        'answer-ms': { type: 'string', default: '300' },
        'shuffle-fields': { type: 'boolean', default: false },
        'no-removed': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) return { ok: false, text: BASIX_SIM_USAGE, status: 0 };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return usageError(`--port: expected 0-65535, got "${values.port}"`);
  }
  const answerMs = Number(values['answer-ms']);
  if (!(answerMs >= 0)) return usageError('--answer-ms: expected milliseconds');
  const outcomes: Record<string, SimOutcome> = {};
  for (const entry of values.outcome) {
    const [number, what] = entry.split('=');
    if (!number || !OUTCOMES.includes(what as SimOutcome)) {
      return usageError(`--outcome: expected NUMBER=${OUTCOMES.join('|')}, got "${entry}"`);
    }
    outcomes[number] = what as SimOutcome;
  }
  const refusals: Record<string, string> = {};
  for (const entry of values.refuse) {
    const [number, id] = entry.split('=');
    if (!number || !id) return usageError(`--refuse: expected NUMBER=ERROR_ID, got "${entry}"`);
    refusals[number] = id;
  }
  return {
    ok: true,
    args: {
      port,
      domain: values.domain,
      token: values.token,
      outcomes,
      refusals,
      answerMs,
      shuffleFields: values['shuffle-fields'],
      omitRemoved: values['no-removed'],
    },
  };
}

function usageError(text: string): Parsed {
  return { ok: false, text: `${text}\n\n${BASIX_SIM_USAGE}`, status: 2 };
}

export async function startBasixSimCli(args: BasixSimArgs, io: ConsoleIo): Promise<BasixSimulator> {
  const sim = new BasixSimulator({
    port: args.port,
    domain: args.domain,
    token: args.token,
    outcomes: args.outcomes,
    callUserErrors: args.refusals,
    delays: { userAnswerMs: args.answerMs },
    ...(args.shuffleFields ? { shuffleFieldsSeed: 7 } : {}),
    omitRemoved: args.omitRemoved,
  });
  const { url } = await sim.start();
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  sim.on('connection', (connection) => {
    io.out(
      `${stamp()} #${connection.id} ws_cti app_name=${connection.appName} user_name=${connection.userName ?? '-'}${connection.forced ? ' forced' : ''}`,
    );
  });
  sim.on('callUser', (body) => io.out(`${stamp()} call_user ${JSON.stringify(body)}`));
  sim.on('command', (command, id) => io.out(`${stamp()} #${id} → ${JSON.stringify(command)}`));
  io.out(`Basix simulator listening on ${url} (domain ${args.domain}; the token is the --token value)`);
  io.out('Type "help" for commands.');
  return sim;
}

export function runBasixSimCommand(sim: BasixSimulator, line: string, io: ConsoleIo): boolean {
  return dispatchCommand(line, io, BASIX_SIM_USAGE, {
    inbound: ([from, user]) => {
      if (!from) return say(io, 'usage: inbound FROM [USER]');
      const toUser = user ?? SIM_USERS[0]!.name;
      const uuids = sim.placeInboundCall({ from, toUser, answerAfterMs: 2_000 });
      return say(io, `ringing: channels ${uuids.join(', ')}`);
    },
    call: ([user, number]) => {
      if (!user || !number) return say(io, 'usage: call USER NUMBER');
      return say(io, `ringing ${user}: channel ${sim.placeCallFor(user, number)}`);
    },
    hangup: ([uuid]) => sim.farEndHangup(uuid),
    calls: () => {
      const channels = sim.liveChannels();
      if (channels.length === 0) return say(io, 'no live channels');
      for (const channel of channels) {
        const user = String(channel.user_id ?? '-');
        io.out(
          `${channel.uuid}  user ${user}  ${String(channel.called_number ?? '')}  ${String(channel.last_event ?? '')}`,
        );
      }
    },
    drop: () => sim.dropConnections(),
    restart: () => sim.restart(),
    system: ([message]) => {
      if (!message) return say(io, 'usage: system MSG');
      sim.sendSystemMessage(message);
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runSimulatorConsole({
    name: 'basix-sim',
    parse: parseBasixSimArgs,
    start: startBasixSimCli,
    command: (sim, _args, line, io) => runBasixSimCommand(sim, line, io),
  });
}
