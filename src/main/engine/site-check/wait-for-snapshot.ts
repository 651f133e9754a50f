import type { BridgeSnapshot } from '../../../shared/bridge-types';
import type { BridgeController } from '../bridge/controller';

export type SnapshotSource = Pick<BridgeController, 'snapshot' | 'subscribe'>;

/** The first snapshot (now or later) that satisfies `done`; after `timeoutMs` the latest one, unsatisfied. */
export function waitForSnapshot(
  bridge: SnapshotSource,
  done: (snapshot: BridgeSnapshot) => boolean,
  timeoutMs: number,
): Promise<{ snapshot: BridgeSnapshot; timedOut: boolean }> {
  const now = bridge.snapshot();
  if (done(now)) return Promise.resolve({ snapshot: now, timedOut: false });
  return new Promise((resolve) => {
    const finish = (snapshot: BridgeSnapshot, timedOut: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve({ snapshot, timedOut });
    };
    const timer = setTimeout(() => finish(bridge.snapshot(), true), timeoutMs);
    const unsubscribe = bridge.subscribe({
      snapshot: (snapshot) => {
        if (done(snapshot)) finish(snapshot, false);
      },
    });
  });
}
