import { createInterface } from 'node:readline';

/** Where a command-line simulator writes: its normal output and its errors. */
export interface ConsoleIo {
  out(text: string): void;
  err(text: string): void;
}

/** Parsed arguments, or the text to print (usage or an error) with the exit status. */
export type ParsedArgs<A> = { ok: true; args: A } | { ok: false; text: string; status: number };

export function say(io: ConsoleIo, text: string): true {
  io.out(text);
  return true;
}

interface SimulatorConsole<A, S extends { stop(): Promise<void> }> {
  name: string;
  parse(argv: string[]): ParsedArgs<A>;
  start(args: A, io: ConsoleIo): Promise<S>;
  /** Runs one stdin command; false means "quit". */
  command(sim: S, args: A, line: string, io: ConsoleIo): boolean;
}

/**
 * The shared life of a standalone PBX simulator: parse arguments, start, take commands from stdin,
 * stop on "quit", end of input, SIGINT or SIGTERM.
 */
export async function runSimulatorConsole<A, S extends { stop(): Promise<void> }>(
  simulator: SimulatorConsole<A, S>,
): Promise<void> {
  const io: ConsoleIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  try {
    const parsed = simulator.parse(process.argv.slice(2));
    if (!parsed.ok) {
      (parsed.status === 0 ? io.out : io.err)(parsed.text);
      process.exit(parsed.status);
    }
    const sim = await simulator.start(parsed.args, io);
    const input = createInterface({ input: process.stdin });
    const shutdown = async (): Promise<void> => {
      input.close();
      await sim.stop();
      process.exit(0);
    };
    input.on('line', (line) => {
      if (!simulator.command(sim, parsed.args, line, io)) void shutdown();
    });
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
  } catch (error) {
    process.stderr.write(`${simulator.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/** A simulator's stdin commands: the words after the command, and the rest of the line as typed. */
export type SimCommands = Record<string, (words: string[], rest: string) => boolean | void>;

/**
 * One stdin line: the command's handler (true or nothing: keep running), plus what every simulator shares:
 * blank lines, quit/exit (false: stop), help (the usage's "Commands on stdin" part), unknown commands
 * and errors as one line each.
 */
export function dispatchCommand(line: string, io: ConsoleIo, usage: string, commands: SimCommands): boolean {
  const trimmed = line.trim();
  const [command, ...words] = trimmed.split(/\s+/);
  if (!command) return true;
  if (command === 'quit' || command === 'exit') return false;
  if (command === 'help') return say(io, usage.slice(usage.indexOf('Commands on stdin')));
  const handler = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!handler) return say(io, `unknown command "${command}" (try "help")`);
  try {
    return handler(words, trimmed.slice(command.length).trim()) ?? true;
  } catch (error) {
    return say(io, error instanceof Error ? error.message : String(error));
  }
}
