import type { RecentCalls as RecentCallsState } from '../hooks/use-recent-calls';
import { describeLogEntry } from '../logic/call-log-rows';

/** The newest lines of the call log. */
export function RecentCalls({ recent, now }: { recent: RecentCallsState; now: number }) {
  const rows = (recent.entries ?? []).map((entry) => describeLogEntry(entry, now));
  return (
    <section class="recent" aria-labelledby="recent-title">
      <h2 id="recent-title" class="section-title">
        Recent calls
      </h2>
      {recent.error && <p class="field-error">{recent.error}</p>}
      {recent.entries && rows.length === 0 && <p class="muted">No calls yet.</p>}
      {rows.length > 0 && (
        <ol class="recent-list">
          {rows.map((row) => (
            <li key={row.id} class={`recent-row${row.failed ? ' is-failed' : ''}`}>
              <span class={`direction direction-${row.direction}`} title={row.directionLabel}>
                <span aria-hidden="true">{row.direction === 'outbound' ? '↗' : '↙'}</span>
                <span class="visually-hidden">{row.directionLabel}</span>
              </span>
              <span class="recent-number">{row.number}</span>
              <span class="recent-result">{row.result}</span>
              <span class="recent-when">{row.when}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
