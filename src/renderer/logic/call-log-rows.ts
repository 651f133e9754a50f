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
  /** e.g. "Completed · 1:05", "Busy" or "Busy · from a tel: link". */
  result: string;
  failed: boolean;
}

/** Dials that started outside Patriot and the window say where they came from. */
const SOURCE_WORDS: Record<string, string> = {
  'tel-link': 'from a tel: link',
  hotkey: 'from the clipboard hotkey',
};

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
    result: `${outcome}${talk}${entry.source && SOURCE_WORDS[entry.source] ? ` · ${SOURCE_WORDS[entry.source]}` : ''}`,
    failed: entry.outcome !== 'completed',
  };
}
