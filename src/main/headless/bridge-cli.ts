// Entry point of `npm run bridge`: the whole bridge in plain Node, no Electron.
import { startFromArgs } from './run-bridge';

async function main(): Promise<void> {
  const started = await startFromArgs(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
  });
  if (typeof started === 'number') {
    process.exitCode = started;
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void started.shutdown(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('exit', () => started.flushLog());
  process.on('unhandledRejection', (reason) => {
    started.log.error('unhandled rejection', { error: String(reason) });
  });
}

void main();
