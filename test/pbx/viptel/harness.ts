import { contextIds } from '../../support/adapter-dial';
import type { LinkState } from '../../../src/shared/bridge-types';
import { expect } from 'vitest';
import { PbxError, type PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import { ViptelAdapter, type ViptelAdapterOptions } from '../../../src/main/engine/pbx/viptel/adapter';
import { viptelProfileSchema } from '../../../src/main/engine/pbx/viptel/profile';
import { ViptelSimulator, type ViptelSimulatorOptions } from '../../../src/main/engine/pbx/viptel/simulator';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { waitFor } from '../../support/wait';

export const USERNAME = 'dispatch';
export const PASSWORD = 'Correct-Horse-9';
export const EXTENSION = '12';

/** Test timings: quick backoff, a slow auth retry (so "no hammering" is visible), short waits. */
export const FAST: ViptelAdapterOptions = {
  backoffBaseMs: 20,
  backoffCapMs: 80,
  authRetryMs: 60_000,
  requestTimeoutMs: 2_000,
  logoutGraceMs: 500,
  redirectSettleMs: 300,
};

export interface ViptelRig {
  sim: ViptelSimulator;
  url: string;
  adapter: ViptelAdapter;
  log: CapturedLog;
  links: LinkState[];
  calls: PbxCallEvent[];
  /** Resolves once the adapter reports online (at least `count` times since start). */
  online(count?: number): Promise<void>;
  /** The first call event matching `kind` (and `callId` when given) after those already seen. */
  callEvent<K extends PbxCallEvent['kind']>(
    kind: K,
    callId?: string,
  ): Promise<Extract<PbxCallEvent, { kind: K }>>;
}

const rigs: ViptelRig[] = [];

/** A simulator and an adapter on it (not started unless `start` is true); `stopRigs()` cleans up. */
export async function makeRig(
  options: {
    sim?: ViptelSimulatorOptions;
    adapter?: ViptelAdapterOptions;
    profile?: Record<string, unknown>;
    password?: string;
    start?: boolean;
  } = {},
): Promise<ViptelRig> {
  const sim = new ViptelSimulator({
    users: [{ username: USERNAME, password: PASSWORD }],
    ...options.sim,
  });
  const { url } = await sim.start();
  const log = captureLog('debug');
  const links: LinkState[] = [];
  const calls: PbxCallEvent[] = [];
  const profile = viptelProfileSchema.parse({
    id: 'office',
    name: 'Office (VIPTel)',
    type: 'viptel',
    url,
    username: USERNAME,
    password: options.password ?? PASSWORD,
    extension: EXTENSION,
    ...options.profile,
  });
  const adapter = new ViptelAdapter(
    profile,
    {
      log: log.logger,
      ...contextIds,
      events: { link: (state) => links.push(state), call: (event) => calls.push(event) },
    },
    { ...FAST, ...options.adapter },
  );
  const taken = new Set<PbxCallEvent>();
  const rig: ViptelRig = {
    sim,
    url,
    adapter,
    log,
    links,
    calls,
    online: async (count = 1) => {
      await waitFor(
        () => links.filter((state) => state.status === 'online').length >= count,
        `the adapter to be online (${count})`,
      );
    },
    callEvent: async (kind, callId) => {
      const event = await waitFor(
        () =>
          calls.find(
            (e) => !taken.has(e) && e.kind === kind && (callId === undefined || e.callId === callId),
          ),
        `a "${kind}" call event`,
      );
      taken.add(event);
      return event as never;
    },
  };
  rigs.push(rig);
  if (options.start !== false) adapter.start();
  return rig;
}

/** For afterEach: stops every adapter and simulator made since the last call. */
export async function stopRigs(): Promise<void> {
  for (const rig of rigs.splice(0)) {
    await rig.adapter.stop();
    await rig.sim.stop();
  }
}

/** The PbxError an adapter action rejected with (fails the test if it resolved or threw something else). */
export async function rejection(promise: Promise<unknown>): Promise<PbxError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PbxError);
  return error as PbxError;
}
