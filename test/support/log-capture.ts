import { createLogger, type Logger, type LogLevel } from '../../src/main/engine/log/logger';

export interface CapturedLog {
  logger: Logger;
  /** Every line as written (what would reach stdout). */
  readonly lines: string[];
  /** Lines parsed back to objects. */
  records(): Record<string, unknown>[];
  /** All output as one string, for "never contains the secret" assertions. */
  text(): string;
}

/** A real JSON-line logger whose output the test can read. */
export function captureLog(level: LogLevel = 'debug'): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger({ level, sinks: [(line) => lines.push(line)] });
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
