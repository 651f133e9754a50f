// `npx tsx src/main/headless/innovaphone-sim-cli.ts --help`: an innovaphone PBX (AppWebsocket + RCC) simulator.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { InnovaphoneSimulator, type OutgoingScript } from '../engine/pbx/innovaphone/simulator';
import { dispatchCommand, runSimulatorConsole, say, type ConsoleIo, type ParsedArgs } from './sim-console';

export const INNOVAPHONE_SIM_USAGE = `Usage: innovaphone-sim [options]

Serves an innovaphone PBX's AppWebsocket (RCC API) on ws://127.0.0.1:PORT/PBX0/APPS/websocket
(wss:// with --cert/--key) and prints every client message.

Options:
  --port PORT            Port on 127.0.0.1 (default 8443; 0 picks a free one).
  --app NAME             App object Name (default dialler).
  --password TEXT        App object password (default pw).
  --user CN              A PBX user the App object sees (Long Name). Repeatable (default "Operator One").
  --hidden-user CN       A PBX user the App object is not assigned to. Repeatable.
  --outcome NUMBER=WHAT  What dialling NUMBER does: answer, ring, busy, unallocated, reject (call 0),
                         silent (no CallInfo). Repeatable. Others answer.
  --ring-ms MS           Dial → far end ringing (default 800).
  --answer-ms MS         Ringing → answer (default 2000).
  --early-callinfo       Send the first CallInfo before UserCallResult.
  --callback-device      The PBX rings the user's own phone first (first CallInfo has the 0x80 bit).
  --end-marker KIND      msg (msg:"del"), flag (del:true) or both (default both).
  --challenge KIND       digits (default), hex or number.
  --calls-survive        Calls outlive a dropped connection (seen again after re-initialize).
  --cert FILE --key FILE Serve wss:// with this PEM certificate and key.
  --help                 This text.

Commands on stdin while running:
  inbound FROM [CN]      A call from FROM to CN (default: the first user); prints its id.
  answer ID              The user picks up inbound call ID.
  hangup [ID]            The far end hangs up call ID (default: the newest call).
  calls                  List live calls.
  rename CN NEW          Rename a user (UserInfo update).
  delete CN              Delete a user (UserInfo update "del").
  add CN [E164]          Add a user visible to every App object.
  hide CN / show CN      Unassign / assign the App object for that user.
  drop                   Cut every connection without a word.
  quit                   Stop.
`;

const SCRIPTS: readonly OutgoingScript[] = ['answer', 'ring', 'busy', 'unallocated', 'reject', 'silent'];

export type InnovaphoneSimCliIo = ConsoleIo;

export interface InnovaphoneSimArgs {
  port: number;
  app: string;
  password: string;
  users: string[];
  hiddenUsers: string[];
  outgoing: Record<string, OutgoingScript>;
  ringMs: number;
  answerMs: number;
  earlyCallInfo: boolean;
  callbackDevice: boolean;
  endMarker: 'msg' | 'flag' | 'both';
  challenge: 'digits' | 'hex' | 'number';
  callsSurvive: boolean;
  certFile: string | null;
  keyFile: string | null;
}

type Parsed = ParsedArgs<InnovaphoneSimArgs>;

/** Parsed arguments, or the text to print (usage or an error) with the exit status. */
export function parseInnovaphoneSimArgs(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8443' },
        app: { type: 'string', default: 'dialler' },
        password: { type: 'string', default: 'pw' },
        user: { type: 'string', multiple: true, default: [] },
        'hidden-user': { type: 'string', multiple: true, default: [] },
        outcome: { type: 'string', multiple: true, default: [] },
        'ring-ms': { type: 'string', default: '800' },
        'answer-ms': { type: 'string', default: '2000' },
        'early-callinfo': { type: 'boolean', default: false },
        'callback-device': { type: 'boolean', default: false },
        'end-marker': { type: 'string', default: 'both' },
        challenge: { type: 'string', default: 'digits' },
        'calls-survive': { type: 'boolean', default: false },
        cert: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) return { ok: false, text: INNOVAPHONE_SIM_USAGE, status: 0 };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return usageError(`--port: expected 0-65535, got "${values.port}"`);
  }
  const ringMs = Number(values['ring-ms']);
  const answerMs = Number(values['answer-ms']);
  if (!(ringMs >= 0) || !(answerMs >= 0)) return usageError('--ring-ms / --answer-ms: expected milliseconds');
  const outgoing: Record<string, OutgoingScript> = {};
  for (const entry of values.outcome) {
    const match = /^([^=]+)=([a-z]+)$/.exec(entry);
    const script = match?.[2] as OutgoingScript | undefined;
    if (!match || !script || !SCRIPTS.includes(script)) {
      return usageError(`--outcome: expected NUMBER=${SCRIPTS.join('|')}, got "${entry}"`);
    }
    outgoing[match[1]!] = script;
  }
  const endMarker = values['end-marker'];
  if (endMarker !== 'msg' && endMarker !== 'flag' && endMarker !== 'both') {
    return usageError(`--end-marker: expected msg, flag or both, got "${endMarker}"`);
  }
  const challenge = values.challenge;
  if (challenge !== 'digits' && challenge !== 'hex' && challenge !== 'number') {
    return usageError(`--challenge: expected digits, hex or number, got "${challenge}"`);
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    return usageError('--cert and --key go together');
  }
  return {
    ok: true,
    args: {
      port,
      app: values.app,
      password: values.password,
      users: values.user.length > 0 ? values.user : ['Operator One'],
      hiddenUsers: values['hidden-user'],
      outgoing,
      ringMs,
      answerMs,
      earlyCallInfo: values['early-callinfo'],
      callbackDevice: values['callback-device'],
      endMarker,
      challenge,
      callsSurvive: values['calls-survive'],
      certFile: values.cert ?? null,
      keyFile: values.key ?? null,
    },
  };
}

function usageError(text: string): Parsed {
  return { ok: false, text: `${text}\n\n${INNOVAPHONE_SIM_USAGE}`, status: 2 };
}

/** Starts the simulator and prints what happens; returns it so the caller can run commands and stop it. */
export async function startInnovaphoneSimCli(
  args: InnovaphoneSimArgs,
  io: InnovaphoneSimCliIo,
): Promise<InnovaphoneSimulator> {
  const tls =
    args.certFile && args.keyFile
      ? { cert: await readFile(args.certFile, 'utf8'), key: await readFile(args.keyFile, 'utf8') }
      : undefined;
  const sim = new InnovaphoneSimulator({
    port: args.port,
    tls,
    apps: [{ name: args.app, password: args.password }],
    users: [
      ...args.users.map((cn, index) => ({ cn, e164: String(101 + index) })),
      ...args.hiddenUsers.map((cn) => ({ cn, apps: [] })),
    ],
    outgoing: args.outgoing,
    delays: { alertMs: args.ringMs, connectMs: args.answerMs, endMs: 50 },
    callInfoBeforeResult: args.earlyCallInfo,
    callbackDevice: args.callbackDevice,
    endMarker: args.endMarker,
    challenge: args.challenge,
    callsSurviveDisconnect: args.callsSurvive,
  });
  const { url } = await sim.start();
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  sim.on('connection', (id) => io.out(`${stamp()} #${id} connected`));
  sim.on('disconnect', (id) => io.out(`${stamp()} #${id} disconnected`));
  sim.on('message', (message, id) => {
    // The digest proves knowledge of the password for this challenge only, but is still never printed.
    const shown = message.mt === 'AppLogin' ? { ...message, digest: '[digest]' } : message;
    io.out(`${stamp()} #${id} → ${JSON.stringify(shown)}`);
  });
  io.out(`innovaphone simulator listening on ${url} (App "${args.app}", users ${args.users.join(', ')})`);
  io.out('Type "help" for commands.');
  return sim;
}

/** One stdin command; returns false for "quit". */
export function runInnovaphoneSimCommand(
  sim: InnovaphoneSimulator,
  line: string,
  io: InnovaphoneSimCliIo,
): boolean {
  return dispatchCommand(line, io, INNOVAPHONE_SIM_USAGE, {
    inbound: ([from, ...cnWords]) => {
      if (!from) return say(io, 'usage: inbound FROM [CN]');
      const cn = cnWords.join(' ');
      return say(io, `ringing: call ${sim.placeInboundCall({ from, ...(cn ? { to: cn } : {}) })}`);
    },
    answer: ([id]) => {
      if (!id) return say(io, 'usage: answer ID');
      sim.answerCall(Number(id));
    },
    hangup: ([id]) => sim.remoteHangup(id === undefined ? undefined : Number(id)),
    calls: () => {
      const calls = sim.liveCalls();
      if (calls.length === 0) return say(io, 'no live calls');
      for (const call of calls) {
        io.out(`${call.id}  ${call.direction}  ${call.user} ↔ ${call.peer}  state ${call.state}`);
      }
    },
    // Long Names contain spaces: "rename Operator One => Operator 1".
    rename: (_words, rest) => {
      const [from, to] = rest.split(/\s*=>\s*/);
      if (!from || !to) return say(io, 'usage: rename CN => NEW');
      sim.renameUser(from, to);
    },
    delete: (_words, rest) => sim.deleteUser(rest),
    add: (_words, rest) => {
      const e164 = /\s(\d+)$/.exec(rest)?.[1];
      const cn = e164 ? rest.slice(0, -e164.length).trim() : rest;
      if (!cn) return say(io, 'usage: add CN [E164]');
      sim.addUser({ cn, ...(e164 ? { e164 } : {}) });
    },
    hide: (_words, rest) => sim.setUserApps(rest, []),
    show: (_words, rest) => sim.setUserApps(rest, null),
    drop: () => sim.dropAllConnections(),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runSimulatorConsole({
    name: 'innovaphone-sim',
    parse: parseInnovaphoneSimArgs,
    start: startInnovaphoneSimCli,
    command: (sim, _args, line, io) => runInnovaphoneSimCommand(sim, line, io),
  });
}
