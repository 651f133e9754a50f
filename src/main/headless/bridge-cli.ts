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
    process.stdout.write(
      JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopping', signal }) + '\n',
    );
    void started.shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('unhandledRejection', (reason) => {
    process.stdout.write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'error',
        msg: 'unhandled rejection',
        error: String(reason),
      }) + '\n',
    );
  });
}

void main();
