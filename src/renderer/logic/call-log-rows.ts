import type { CallLogEntry } from '../../shared/bridge-types';
import { formatWhen, type ClockStyle } from './clock-format';
import { formatDuration } from './format-duration';
import { directionLabel, outcomeLabel } from './outcome-words';

export interface CallLogRow {
  id: string;
  direction: 'outbound' | 'inbound';
  directionLabel: string;
  number: string;
  when: string;
  /** e.g. "Completed · 1:05" or "Busy". */
  result: string;
  failed: boolean;
}

export function describeLogEntry(entry: CallLogEntry, now: number, style: ClockStyle = {}): CallLogRow {
  const started = Date.parse(entry.startedAt);
  const outcome = outcomeLabel(entry.outcome);
  const talk = entry.talkSec > 0 ? ` · ${formatDuration(entry.talkSec)}` : '';
  return {
    id: entry.id,
    direction: entry.direction,
    directionLabel: directionLabel(entry.direction),
    number: entry.number ?? 'Unknown number',
    when: Number.isNaN(started) ? '' : formatWhen(started, now, style),
    result: `${outcome}${talk}`,
    failed: entry.outcome !== 'completed',
  };
}
