import { useEffect, useState } from 'preact/hooks';
import type { CallLogEntry } from '../../shared/bridge-types';
import type { DiallerApi } from '../../shared/ipc-contract';

export const RECENT_CALLS_LIMIT = 10;

export interface RecentCalls {
  entries: CallLogEntry[] | null;
  error: string | null;
}

/** The call log's newest entries, fetched again whenever `refreshKey` changes. */
export function useRecentCalls(api: DiallerApi, refreshKey: number): RecentCalls {
  const [state, setState] = useState<RecentCalls>({ entries: null, error: null });
  useEffect(() => {
    let current = true;
    api.getRecentCalls(RECENT_CALLS_LIMIT).then(
      (entries) => current && setState({ entries, error: null }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          entries: previous.entries,
          error: `Could not read the call log: ${error instanceof Error ? error.message : String(error)}`,
        })),
    );
    return () => {
      current = false;
    };
  }, [api, refreshKey]);
  return state;
}
