// Small fakes of the engine for the desktop tests.
import type { BridgeNotice, BridgeSnapshot, CallLogEntry, CallView } from '../../src/shared/bridge-types';
import type {
  ActionOutcome,
  BridgeController,
  BridgeListeners,
  PatriotSetupInfo,
} from '../../src/main/engine/bridge/controller';
import type { RunConfig } from '../../src/main/electron/settings/bridge-config';
import type { ApiKeyFile } from '../../src/main/electron/settings/settings-source';

export const PROFILES = [
  { id: 'office', name: 'Office (VIPTel)', type: 'viptel' },
  { id: 'hq', name: 'HQ (innovaphone)', type: 'innovaphone' },
  { id: 'demo', name: 'Demo PBX (simulated)', type: 'simulator' },
];

export function makeSnapshot(overrides: Partial<BridgeSnapshot> = {}): BridgeSnapshot {
  return {
    patriot: {
      mode: 'server',
      endpoint: 'wss://127.0.0.1:9009/ws/dialler/v1',
      link: { status: 'online' },
      peers: [
        { id: 'p1', kind: 'inbound', authenticated: true, label: 'operator1', since: 0 },
        { id: 'p2', kind: 'inbound', authenticated: false, label: '127.0.0.1', since: 0 },
      ],
    },
    pbx: { profile: PROFILES[0]!, link: { status: 'online' }, warnings: [] },
    profiles: PROFILES,
    activeProfileId: 'office',
    calls: [],
    lastEndedCall: null,
    patriotStatus: { callActive: false },
    lastNotice: null,
    callLogProblem: null,
    ...overrides,
  };
}

export function makeCall(overrides: Partial<CallView> = {}): CallView {
  return {
    id: 'c1',
    profileId: 'office',
    direction: 'outbound',
    phase: 'connected',
    remoteNumber: '0123456789',
    startedAt: 0,
    connectedAt: 1,
    endedAt: null,
    outcome: null,
    detail: null,
    ...overrides,
  };
}

/** A BridgeController that records what the desktop asked of it. */
export class FakeBridge implements BridgeController {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly configs: RunConfig[] = [];
  stopped = false;
  current = makeSnapshot();
  setup: PatriotSetupInfo = {
    mode: 'server',
    url: 'wss://127.0.0.1:9009/ws/dialler/v1',
    apiKeyFile: null,
    certificateFingerprint256: null,
    certificateFile: null,
  };
  switchResult: ActionOutcome = { ok: true };
  private readonly listeners = new Set<Partial<BridgeListeners>>();

  start(): Promise<void> {
    this.calls.push({ method: 'start', args: [] });
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped = true;
    this.calls.push({ method: 'stop', args: [] });
    return Promise.resolve();
  }
  snapshot(): BridgeSnapshot {
    return this.current;
  }
  subscribe(listeners: Partial<BridgeListeners>): () => void {
    this.listeners.add(listeners);
    return () => this.listeners.delete(listeners);
  }
  dial(number: string, source?: string): Promise<ActionOutcome> {
    this.calls.push({ method: 'dial', args: [number, source] });
    return Promise.resolve({ ok: true });
  }
  hangup(source?: string): Promise<ActionOutcome> {
    this.calls.push({ method: 'hangup', args: [source] });
    return Promise.resolve({ ok: true });
  }
  retryPbx(): ActionOutcome {
    this.calls.push({ method: 'retryPbx', args: [] });
    return { ok: true };
  }
  switchProfile(profileId: string): Promise<ActionOutcome> {
    this.calls.push({ method: 'switchProfile', args: [profileId] });
    return Promise.resolve(this.switchResult);
  }
  reconfigure(config: RunConfig): Promise<void> {
    this.configs.push(config);
    return Promise.resolve();
  }
  recentCalls(limit: number): Promise<CallLogEntry[]> {
    this.calls.push({ method: 'recentCalls', args: [limit] });
    return Promise.resolve([]);
  }
  patriotSetup(): PatriotSetupInfo {
    return this.setup;
  }
  emitSnapshot(snapshot: BridgeSnapshot): void {
    this.current = snapshot;
    for (const listener of this.listeners) listener.snapshot?.(snapshot);
  }
  emitNotice(notice: BridgeNotice): void {
    for (const listener of this.listeners) listener.notice?.(notice);
  }
}

/** The engine's key file, in memory. */
export function fakeApiKeyFile(initial = 'ENGINEFILEKEY0001'): ApiKeyFile & { key: string } {
  let generation = 0;
  const state = {
    key: initial,
    loadOrCreate: (dataDir: string) => Promise.resolve({ key: state.key, file: `${dataDir}/api-key.txt` }),
    regenerate: (dataDir: string) => {
      state.key = `REGENERATEDKEY${++generation}`;
      return Promise.resolve({ key: state.key, file: `${dataDir}/api-key.txt` });
    },
  };
  return state;
}
