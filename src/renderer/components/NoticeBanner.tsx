import { useState } from 'preact/hooks';
import type { BridgeNotice } from '../../shared/bridge-types';
import { formatWhen } from '../logic/clock-format';
import { noticeTitle, sameNotice } from '../logic/notice-words';

const LEVEL_TONES = { info: 'busy', warning: 'warn', error: 'error' } as const;

/** The last thing that went wrong (or needs attention), until the user dismisses it. */
export function NoticeBanner({ notice, now }: { notice: BridgeNotice | null; now: number }) {
  const [dismissed, setDismissed] = useState<BridgeNotice | null>(null);
  if (!notice || sameNotice(notice, dismissed)) return null;
  return (
    <section
      class={`banner notice tone-${LEVEL_TONES[notice.level]}`}
      role={notice.level === 'info' ? 'status' : 'alert'}
      aria-label="Last notice"
    >
      <div class="notice-text">
        <p class="notice-title">
          {noticeTitle(notice)}
          <span class="notice-time"> · {formatWhen(notice.at, now)}</span>
        </p>
        <p class="notice-message">{notice.message}</p>
      </div>
      <button type="button" class="button-quiet" onClick={() => setDismissed(notice)}>
        Dismiss
      </button>
    </section>
  );
}
