// Real adapter against the real simulator over 127.0.0.1, with short timings and full capture.
import type { LinkState } from '../../../src/shared/bridge-types';
import type { PbxCallEvent } from '../../../src/main/engine/pbx/adapter';
import {
  createInnovaphoneAdapter,
  type InnovaphoneAdapter,
  type InnovaphoneAdapterOptions,
} from '../../../src/main/engine/pbx/innovaphone/adapter';
import { innovaphoneProfileSchema } from '../../../src/main/engine/pbx/innovaphone/profile';
import {
  InnovaphoneSimulator,
  type InnovaphoneSimulatorOptions,
} from '../../../src/main/engine/pbx/innovaphone/simulator';
import { captureLog, type CapturedLog } from '../../support/log-capture';
import { waitFor } from '../../support/wait';
import { contextIds, dialAs } from '../../support/adapter-dial';

export const APP = 'dialler';
export const PASSWORD = 'Sup3r-Secret-App-Pw';
export const OPERATOR = 'Operator One';

export const FAST_TIMINGS: InnovaphoneAdapterOptions = {
  backoff: { baseMs: 20, capMs: 100, minUptimeMs: 10_000 },
  keepAliveMs: 5_000,
  requestTimeoutMs: 1_000,
  dialTimeoutMs: 1_000,
  callProgressTimeoutMs: 5_000,
  authRetryMs: 60_000,
  stopStepMs: 300,
};

export interface Harness {
  sim: InnovaphoneSimulator;
  adapter: InnovaphoneAdapter;
  log: CapturedLog;
  links: LinkState[];
  /** Call events and markers ("dial-resolved:<callId>") in the order they happened. */
  timeline: (PbxCallEvent | string)[];
  calls(): PbxCallEvent[];
  waitForCall(kind: PbxCallEvent['kind'], callId?: string): Promise<PbxCallEvent>;
  waitForLink(status: LinkState['status']): Promise<LinkState>;
  /** The user handle from the newest UserInitializeResult the simulator handed out on a live connection. */
  userHandle(): number;
  stop(): Promise<void>;
}

const running: Harness[] = [];

export async function startHarness(
  setup: {
    sim?: InnovaphoneSimulatorOptions;
    profile?: Record<string, unknown>;
    timings?: InnovaphoneAdapterOptions;
    start?: boolean;
    /** Use this running simulator (its owner stops it) instead of starting one. */
    existing?: InnovaphoneSimulator;
  } = {},
): Promise<Harness> {
  const sim =
    setup.existing ??
    new InnovaphoneSimulator({
      apps: [{ name: APP, password: PASSWORD }],
      users: [{ cn: OPERATOR, e164: '101' }],
      delays: { setupMs: 0, alertMs: 20, connectMs: 20, endMs: 10 },
      ...setup.sim,
    });
  const url = setup.existing ? sim.url : (await sim.start()).url;
  const log = captureLog('debug');
  const links: LinkState[] = [];
  const timeline: (PbxCallEvent | string)[] = [];
  const profile = innovaphoneProfileSchema.parse({
    id: 'hq',
    name: 'HQ',
    type: 'innovaphone',
    url,
    app: APP,
    password: PASSWORD,
    user: OPERATOR,
    ...setup.profile,
  });
  const adapter = createInnovaphoneAdapter(
    profile,
    {
      log: log.logger,
      ...contextIds,
      events: { link: (state) => links.push(state), call: (event) => timeline.push(event) },
    },
    { ...FAST_TIMINGS, ...setup.timings },
  );
  const calls = (): PbxCallEvent[] =>
    timeline.filter((entry): entry is PbxCallEvent => typeof entry !== 'string');
  const harness: Harness = {
    sim,
    adapter,
    log,
    links,
    timeline,
    calls,
    waitForCall: (kind, callId) =>
      waitFor(
        () =>
          calls().find((event) => event.kind === kind && (callId === undefined || event.callId === callId)),
        `a ${kind} call event`,
      ),
    waitForLink: (status) =>
      waitFor(() => (adapter.link.status === status ? adapter.link : null), `link ${status}`),
    userHandle: () => {
      const handles = sim.connections().flatMap((connection) => connection.userHandles);
      if (handles.length === 0) throw new Error('no user handle on the simulator');
      return Math.max(...handles);
    },
    stop: async () => {
      await adapter.stop();
      if (!setup.existing) await sim.stop();
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

/** dial() that records when it resolved, so tests can check no call event overtook it. */
export async function dialAndMark(harness: Harness, number: string): Promise<string> {
  const { callId } = await dialAs(harness.adapter, number);
  harness.timeline.push(`dial-resolved:${callId}`);
  return callId;
}
