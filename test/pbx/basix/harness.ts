// Real Basix adapter against the real simulator over 127.0.0.1, with short timings and full capture.
import type { LinkState } from '../../../src/shared/bridge-types';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import {
  createBasixAdapter,
  type BasixAdapter,
  type BasixAdapterOptions,
} from '../../../src/main/engine/pbx/basix/adapter';
import { basixProfileSchema } from '../../../src/main/engine/pbx/basix/profile';
import {
  BasixSimulator,
  SIM_DOMAIN,
  SIM_TOKEN,
  type BasixSimulatorOptions,
} from '../../../src/main/engine/pbx/basix/simulator';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { waitFor } from '../../support/wait';
import { contextIds } from '../../support/adapter-dial';

export const OPERATOR = 'operator1';
export const OTHER_USER = 'user2';

export const FAST_TIMINGS: BasixAdapterOptions = {
  backoff: { baseMs: 20, capMs: 100, minUptimeMs: 10_000 },
  keepAliveMs: 5_000,
  openTimeoutMs: 2_000,
  dialTimeoutMs: 2_000,
  callProgressTimeoutMs: 3_000,
  authRetryMs: 60_000,
  busyRetryMs: 60_000,
  stopStepMs: 300,
};

/** Script steps short enough for tests, long enough to see ringing before connected. */
export const FAST_DELAYS = { userAnswerMs: 20, destRingMs: 10, destAnswerMs: 30, noAnswerMs: 60 };

export interface Harness {
  sim: BasixSimulator;
  adapter: BasixAdapter;
  log: CapturedLog;
  links: LinkState[];
  calls: PbxCallEvent[];
  of(callId: string): PbxCallEvent[];
  waitForCall(kind: PbxCallEvent['kind'], callId?: string): Promise<PbxCallEvent>;
  waitForLink(status: LinkState['status']): Promise<LinkState>;
  stop(): Promise<void>;
}

const running: Harness[] = [];

export async function startHarness(
  setup: {
    sim?: BasixSimulatorOptions;
    profile?: Record<string, unknown>;
    timings?: BasixAdapterOptions;
    start?: boolean;
    existing?: BasixSimulator;
  } = {},
): Promise<Harness> {
  const sim = setup.existing ?? new BasixSimulator({ delays: FAST_DELAYS, ...setup.sim });
  const url = setup.existing ? setup.existing.url : (await sim.start()).url;
  const log = captureLog('debug');
  const links: LinkState[] = [];
  const calls: PbxCallEvent[] = [];
  const profile = basixProfileSchema.parse({
    id: 'tokyo',
    name: 'Tokyo',
    type: 'basix',
    url,
    domain: SIM_DOMAIN,
    token: SIM_TOKEN,
    userName: OPERATOR,
    ...setup.profile,
  });
  const adapter = createBasixAdapter(
    profile,
    {
      log: log.logger,
      ...contextIds,
      events: { link: (state) => links.push(state), call: (event) => calls.push(event) },
    },
    { ...FAST_TIMINGS, ...setup.timings },
  );
  const harness: Harness = {
    sim,
    adapter,
    log,
    links,
    calls,
    of: (callId) => calls.filter((event) => event.callId === callId),
    waitForCall: (kind, callId) =>
      waitFor(
        () => calls.find((event) => event.kind === kind && (callId === undefined || event.callId === callId)),
        `a ${kind} call event`,
      ),
    waitForLink: (status) =>
      waitFor(() => (adapter.link.status === status ? adapter.link : null), `link ${status}`),
    stop: async () => {
      await adapter.stop();
      if (!setup.existing) await sim.stop();
    },
  };
  running.push(harness);
  if (setup.start !== false) adapter.start();
  return harness;
}

export async function stopAllHarnesses(): Promise<void> {
  await Promise.all(running.splice(0).map((harness) => harness.stop()));
}
