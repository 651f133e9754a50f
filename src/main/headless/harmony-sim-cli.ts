// `npm run harmony-sim -- --help`: an OpenMethods Harmony Integration Server (Interaction Processor) simulator.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { harmonyProtocolSchema, type HarmonyProtocolOverrides } from '../engine/pbx/harmony/profile';
import { HarmonySimulator, type OutgoingScript } from '../engine/pbx/harmony/simulator';
import { dispatchCommand, runSimulatorConsole, say, type ConsoleIo, type ParsedArgs } from './sim-console';

export const HARMONY_SIM_USAGE = `Usage: harmony-sim [options]

Serves a Harmony Integration Server's Socket Transport on tcp://127.0.0.1:PORT (tls:// with --cert/--key),
with one Interaction Processor, and prints every client message (passwords masked).

Options:
  --port PORT            Port on 127.0.0.1 (default 7000; 0 picks a free one).
  --agent ID=PASSWORD    A CTI agent. Repeatable (default 1001=pw).
  --signed-in ID         This agent already has a session elsewhere (prepareSession answers confirm). Repeatable.
  --index N              Protocol index handed out for dcp (default 1).
  --outcome NUMBER=WHAT  What dialling NUMBER does: answer, ring, busy, fail, silent. Repeatable. Others answer.
  --alert-ms MS          Dial → far end alerting (default 800).
  --answer-ms MS         Alerting → started (default 2000).
  --reply-after-events   Send channel.dial's response after its secondary events.
  --protocol FILE        A JSON file with the same "protocol" overrides a Harmony profile takes.
  --cert FILE --key FILE Serve TLS with this PEM certificate and key.
  --help                 This text.

Commands on stdin while running:
  inbound FROM [AGENT]   A call from FROM to the agent's Telephony channel; prints its id.
  answer ID              The agent picks up inbound call ID.
  hangup [ID]            The far end hangs up call ID (default: the newest call).
  other [FROM]           A call of another agent, sent to every client (must be ignored).
  calls                  List live calls.
  sessions               List agent sessions.
  drop                   Cut every connection without a word.
  quit                   Stop.
`;

const SCRIPTS: readonly OutgoingScript[] = ['answer', 'ring', 'busy', 'fail', 'silent'];

export interface HarmonySimArgs {
  port: number;
  agents: { id: string; password: string }[];
  signedIn: string[];
  index: number;
  outgoing: Record<string, OutgoingScript>;
  alertMs: number;
  answerMs: number;
  replyAfterEvents: boolean;
  protocolFile: string | null;
  certFile: string | null;
  keyFile: string | null;
}

type Parsed = ParsedArgs<HarmonySimArgs>;

export function parseHarmonySimArgs(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '7000' },
        agent: { type: 'string', multiple: true, default: [] },
        'signed-in': { type: 'string', multiple: true, default: [] },
        index: { type: 'string', default: '1' },
        outcome: { type: 'string', multiple: true, default: [] },
        'alert-ms': { type: 'string', default: '800' },
        'answer-ms': { type: 'string', default: '2000' },
        'reply-after-events': { type: 'boolean', default: false },
        protocol: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) return { ok: false, text: HARMONY_SIM_USAGE, status: 0 };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return usageError(`--port: expected 0-65535, got "${values.port}"`);
  }
  const index = Number(values.index);
  if (!Number.isInteger(index) || index < 1 || index > 255) {
    return usageError(`--index: expected 1-255, got "${values.index}"`);
  }
  const alertMs = Number(values['alert-ms']);
  const answerMs = Number(values['answer-ms']);
  if (!(alertMs >= 0) || !(answerMs >= 0))
    return usageError('--alert-ms / --answer-ms: expected milliseconds');
  const agents: { id: string; password: string }[] = [];
  for (const entry of values.agent) {
    const match = /^([^=]+)=(.+)$/.exec(entry);
    if (!match) return usageError(`--agent: expected ID=PASSWORD, got "${entry}"`);
    agents.push({ id: match[1]!, password: match[2]! });
  }
  const outgoing: Record<string, OutgoingScript> = {};
  for (const entry of values.outcome) {
    const match = /^([^=]+)=([a-z]+)$/.exec(entry);
    const script = match?.[2] as OutgoingScript | undefined;
    if (!match || !script || !SCRIPTS.includes(script)) {
      return usageError(`--outcome: expected NUMBER=${SCRIPTS.join('|')}, got "${entry}"`);
    }
    outgoing[match[1]!] = script;
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    return usageError('--cert and --key go together');
  }
  return {
    ok: true,
    args: {
      port,
      agents: agents.length > 0 ? agents : [{ id: '1001', password: 'pw' }],
      signedIn: values['signed-in'],
      index,
      outgoing,
      alertMs,
      answerMs,
      replyAfterEvents: values['reply-after-events'],
      protocolFile: values.protocol ?? null,
      certFile: values.cert ?? null,
      keyFile: values.key ?? null,
    },
  };
}

function usageError(text: string): Parsed {
  return { ok: false, text: `${text}\n\n${HARMONY_SIM_USAGE}`, status: 2 };
}

async function readProtocol(file: string | null): Promise<HarmonyProtocolOverrides> {
  if (!file) return {};
  const parsed = harmonyProtocolSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** Masks `password` values anywhere in a message, for printing. */
function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, /password/i.test(key) ? '[password]' : masked(inner)]),
  );
}

export async function startHarmonySimCli(args: HarmonySimArgs, io: ConsoleIo): Promise<HarmonySimulator> {
  const tls =
    args.certFile && args.keyFile
      ? { cert: await readFile(args.certFile, 'utf8'), key: await readFile(args.keyFile, 'utf8') }
      : undefined;
  const sim = new HarmonySimulator({
    port: args.port,
    tls,
    protocol: await readProtocol(args.protocolFile),
    agents: args.agents,
    signedInElsewhere: args.signedIn,
    dcpIndex: args.index,
    outgoing: args.outgoing,
    delays: { alertMs: args.alertMs, answerMs: args.answerMs },
    replyAfterEvents: args.replyAfterEvents,
  });
  const { url } = await sim.start();
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  sim.on('connection', (id) => io.out(`${stamp()} #${id} connected`));
  sim.on('disconnect', (id) => io.out(`${stamp()} #${id} disconnected`));
  sim.on('message', (message, id) => io.out(`${stamp()} #${id} → ${JSON.stringify(masked(message))}`));
  io.out(`Harmony simulator listening on ${url} (agents ${args.agents.map((a) => a.id).join(', ')})`);
  io.out('Type "help" for commands.');
  return sim;
}

/** One stdin command; returns false for "quit". */
export function runHarmonySimCommand(sim: HarmonySimulator, line: string, io: ConsoleIo): boolean {
  return dispatchCommand(line, io, HARMONY_SIM_USAGE, {
    inbound: ([from, agentId]) => {
      if (!from) return say(io, 'usage: inbound FROM [AGENT]');
      return say(io, `ringing: call ${sim.placeInboundCall({ from, ...(agentId ? { agentId } : {}) })}`);
    },
    answer: ([id]) => {
      if (!id) return say(io, 'usage: answer ID');
      sim.answerCall(id);
    },
    hangup: ([id]) => sim.remoteHangup(id),
    other: ([agentId]) => say(io, `other agent's call ${sim.otherAgentCall(agentId)}`),
    calls: () => {
      const calls = sim.liveCalls();
      if (calls.length === 0) return say(io, 'no live calls');
      for (const call of calls) {
        io.out(`${call.id}  ${call.direction}  agent ${call.agentId} ↔ ${call.peer}  ${call.state}`);
      }
    },
    sessions: () => {
      const sessions = sim.liveSessions();
      if (sessions.length === 0) return say(io, 'no sessions');
      for (const s of sessions) {
        io.out(
          `${s.id}  agent ${s.agentId}  ${s.connectionId === null ? 'elsewhere' : `#${s.connectionId}`}`,
        );
      }
    },
    drop: () => sim.dropAllConnections(),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runSimulatorConsole({
    name: 'harmony-sim',
    parse: parseHarmonySimArgs,
    start: startHarmonySimCli,
    command: (sim, _args, line, io) => runHarmonySimCommand(sim, line, io),
  });
}
