import type { DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import type { CallDisplay } from '../logic/call-display';
import { formatDuration } from '../logic/format-duration';
import { StatusDot } from './StatusDot';

/** The operator's call right now: phase, number, direction, talk time, and Hang up. */
export function CallCard({ api, call }: { api: DiallerApi; call: CallDisplay }) {
  const hangup = useAction();
  const idle = call.phase === 'idle';
  return (
    <section class={`call-card tone-${call.tone}`} aria-label="Current call" data-phase={call.phase}>
      <div class="call-head" role="status">
        <StatusDot tone={call.tone} />
        <h2 class="call-phase">{call.label}</h2>
        {call.direction && <span class="call-direction">{call.direction}</span>}
      </div>
      {idle ? (
        <p class="call-hint">Ready. Calls from Patriot and the PBX show here.</p>
      ) : (
        <p class="call-number">{call.number ?? 'Unknown number'}</p>
      )}
      {call.endReason && <p class="call-end-reason">{call.endReason}</p>}
      {(call.talkSeconds !== null || call.canHangUp) && (
        <div class="call-foot">
          {call.talkSeconds !== null ? (
            <span class="call-timer">
              <span class="visually-hidden">Talk time </span>
              {formatDuration(call.talkSeconds)}
            </span>
          ) : (
            <span />
          )}
          {call.canHangUp && (
            <button
              type="button"
              class="button-danger"
              disabled={hangup.pending}
              onClick={() => void hangup.run(() => api.hangup())}
            >
              {hangup.pending ? 'Hanging up…' : 'Hang up'}
            </button>
          )}
        </div>
      )}
      {call.otherLiveCalls > 0 && (
        <p class="call-others">
          {call.otherLiveCalls === 1
            ? '1 more call is active.'
            : `${call.otherLiveCalls} more calls are active.`}
        </p>
      )}
      {hangup.failed && (
        <p class="field-error" role="alert">
          Hang up failed: {hangup.message}
        </p>
      )}
    </section>
  );
}
