import type { DiallerApi } from '../../shared/ipc-contract';
import type { BridgeState } from '../hooks/use-bridge';
import { useEndedCalls } from '../hooks/use-ended-calls';
import { useNow } from '../hooks/use-now';
import { useRecentCalls } from '../hooks/use-recent-calls';
import { describeCall } from '../logic/call-display';
import { needsClock } from '../logic/clock-need';
import { CallCard } from './CallCard';
import { LinkStatus } from './LinkStatus';
import { CallLogWarning } from './CallLogWarning';
import { NoticeBanner } from './NoticeBanner';
import { ProfileSwitcher } from './ProfileSwitcher';
import { RecentCalls } from './RecentCalls';
import { TestDial } from './TestDial';

interface MainViewProps {
  api: DiallerApi;
  bridge: BridgeState;
  onOpenSettings: () => void;
  onOpenSiteCheck: () => void;
}

/** The everyday window: who is connected, the call in progress, the last problem, recent calls. */
export function MainView({ api, bridge, onOpenSettings, onOpenSiteCheck }: MainViewProps) {
  const { snapshot, notice, loadError } = bridge;
  const ended = useEndedCalls(snapshot?.calls, snapshot?.lastEndedCall ?? null);
  const now = useNow(needsClock(snapshot, ended.lastEnded, Date.now()));
  const recent = useRecentCalls(api, ended.endedCount);

  return (
    <div class="view">
      <header class="topbar">
        {snapshot ? (
          <ProfileSwitcher
            api={api}
            profiles={snapshot.profiles}
            activeProfileId={snapshot.activeProfileId}
          />
        ) : (
          <span class="topbar-title">Dialler Bridge</span>
        )}
        <button type="button" class="button-quiet" onClick={onOpenSiteCheck}>
          Check this PC
        </button>
        <button type="button" class="button-quiet" onClick={onOpenSettings}>
          Settings
        </button>
      </header>
      <main class="content">
        {loadError ? (
          <p class="banner tone-error" role="alert">
            The window cannot reach the bridge: {loadError}. Restart Dialler Bridge.
          </p>
        ) : !snapshot ? (
          <p class="loading" role="status">
            Connecting to the bridge…
          </p>
        ) : (
          <>
            <LinkStatus api={api} snapshot={snapshot} now={now} />
            <CallCard api={api} call={describeCall(snapshot.calls, ended.lastEnded, now)} />
            <CallLogWarning problem={snapshot.callLogProblem} />
            <NoticeBanner notice={notice} now={now} />
            <TestDial api={api} />
            <RecentCalls recent={recent} now={now} />
          </>
        )}
      </main>
    </div>
  );
}
