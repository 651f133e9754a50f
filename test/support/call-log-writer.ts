// Child process of the call-log crash test: `node --import tsx call-log-writer.ts DIR COUNT`.
// Appends COUNT entries in waves (so writes overlap and batch), and prints "told <id>" once each append has
// resolved: the point where the call log acknowledges the line as durable. The parent kills it with SIGKILL
// meanwhile.
import { CallLog, toCallLogEntry } from '../../src/main/engine/bridge/call-log';
import { silentLogger } from '../../src/main/engine/log/logger';

const [dir, countText] = process.argv.slice(2);
const count = Number(countText);
const log = new CallLog(dir!, 1_000_000_000, silentLogger);
let next = 0;

function wave(): void {
  for (let i = 0; i < 25 && next < count; i++) {
    const id = `call-${next++}`;
    const at = Date.parse('2026-01-01T10:00:00Z');
    void log
      .append(
        toCallLogEntry({
          id,
          profileId: 'office',
          direction: 'outbound',
          phase: 'ended',
          remoteNumber: '0123',
          startedAt: at,
          connectedAt: null,
          endedAt: at,
          outcome: 'completed',
          detail: null,
        }),
      )
      // Pipes are written synchronously on POSIX: once this returns, the parent can read it.
      .then(() => process.stdout.write(`told ${id}\n`));
  }
  if (next < count) setImmediate(wave);
}
wave();
