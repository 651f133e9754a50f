import { useEffect, useState } from 'preact/hooks';
import type { BridgeNotice, BridgeSnapshot } from '../../shared/bridge-types';
import type { DiallerApi } from '../../shared/ipc-contract';
import { newerNotice } from '../logic/notice-words';

export interface BridgeState {
  snapshot: BridgeSnapshot | null;
  /** The newest notice, from the snapshot or pushed on its own. */
  notice: BridgeNotice | null;
  /** Set when the first snapshot could not be fetched. */
  loadError: string | null;
}

/** Follows the bridge: the first snapshot, every pushed snapshot and notice. */
export function useBridge(api: DiallerApi): BridgeState {
  const [snapshot, setSnapshot] = useState<BridgeSnapshot | null>(null);
  const [notice, setNotice] = useState<BridgeNotice | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let pushed = false;
    const take = (next: BridgeSnapshot) => {
      setSnapshot(next);
      setNotice((current) => newerNotice(current, next.lastNotice));
    };
    const stopSnapshots = api.onSnapshot((next) => {
      pushed = true;
      take(next);
    });
    const stopNotices = api.onNotice((next) => setNotice((current) => newerNotice(current, next)));
    api.getSnapshot().then(
      (first) => {
        // A pushed snapshot is at least as fresh as the one fetched.
        if (!pushed) take(first);
      },
      (error: unknown) => {
        if (!pushed) setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      stopSnapshots();
      stopNotices();
    };
  }, [api]);

  return { snapshot, notice, loadError };
}
