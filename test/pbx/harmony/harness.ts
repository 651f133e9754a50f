// Real Harmony adapter against the real simulator over 127.0.0.1, with short timings and full capture.
import type { LinkState } from '../../../src/shared/bridge-types';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import {
  createHarmonyAdapter,
  type HarmonyAdapter,
  type HarmonyAdapterOptions,
} from '../../../src/main/engine/pbx/harmony/adapter';
import { harmonyProfileSchema } from '../../../src/main/engine/pbx/harmony/profile';
import {
  HarmonySimulator,
  type HarmonySimulatorOptions,
} from '../../../src/main/engine/pbx/harmony/simulator';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { waitFor } from '../../support/wait';
import { contextIds } from '../../support/adapter-dial';

export const AGENT = '1001';
export const PASSWORD = 'Agent-Secret-Pw-77';
export const EXTENSION = '4711';

export const FAST_TIMINGS: HarmonyAdapterOptions = {
  backoff: { baseMs: 20, capMs: 100, minUptimeMs: 10_000 },
  authRetryMs: 60_000,
  busyRetryMs: 60_000,
};

/** Short request timeouts for tests (the profile's protocol.timeouts). */
export const FAST_PROTOCOL_TIMEOUTS = { requestMs: 1_000, prepareSessionMs: 1_000, logoutMs: 500 };

export interface Harness {
  sim: HarmonySimulator;
  adapter: HarmonyAdapter;
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
    sim?: HarmonySimulatorOptions;
    /** Profile keys (merged over the defaults); `protocol` goes to both sides unless `simProtocol` is set. */
    profile?: Record<string, unknown>;
    timings?: HarmonyAdapterOptions;
    start?: boolean;
  } = {},
): Promise<Harness> {
  const protocol = (setup.profile?.protocol ?? {}) as Record<string, unknown>;
  const sim = new HarmonySimulator({
    agents: [{ id: AGENT, password: PASSWORD }],
    protocol,
    ...setup.sim,
  });
  const { url } = await sim.start();
  const log = captureLog('debug');
  const links: LinkState[] = [];
  const calls: PbxCallEvent[] = [];
  const profile = harmonyProfileSchema.parse({
    id: 'cc',
    name: 'Contact centre',
    type: 'harmony',
    url,
    agentId: AGENT,
    password: PASSWORD,
    extension: EXTENSION,
    ...setup.profile,
    protocol: { timeouts: FAST_PROTOCOL_TIMEOUTS, ...protocol },
  });
  const adapter = createHarmonyAdapter(
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
      await sim.stop();
    },
  };
  running.push(harness);
  if (setup.start !== false) adapter.start();
  return harness;
}

/** Call from afterEach: stops every harness started by the test. */
export async function stopAllHarnesses(): Promise<void> {
  await Promise.all(running.splice(0).map((harness) => harness.stop()));
}
