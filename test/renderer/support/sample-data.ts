// Realistic bridge data for the window tests, all relative to one fixed moment.
import type { BridgeSnapshot, CallLogEntry, CallView } from '../../../src/shared/bridge-types';
import type { CertificateInfo, SettingsView } from '../../../src/shared/ipc-contract';
import type { StubConfig } from './stub-protocol';

/** 14 March 2025, 09:30:00 UTC: the tests' "now". */
export const T0 = Date.UTC(2025, 2, 14, 9, 30, 0);

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
      link: { status: 'online', detail: 'listening on 127.0.0.1:9009' },
      peers: [{ id: 'p1', kind: 'inbound', authenticated: true, label: 'patriot', since: T0 - 3_600_000 }],
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
    id: 'call-1',
    profileId: 'office',
    direction: 'inbound',
    phase: 'ringing',
    remoteNumber: '+44 20 7946 0018',
    startedAt: T0 - 5_000,
    connectedAt: null,
    endedAt: null,
    outcome: null,
    detail: null,
    ...overrides,
  };
}

export function makeLogEntry(overrides: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id: 'log-1',
    profileId: 'office',
    direction: 'outbound',
    number: '0123456789',
    startedAt: new Date(T0 - 20 * 60_000).toISOString(),
    connectedAt: new Date(T0 - 20 * 60_000 + 8_000).toISOString(),
    endedAt: new Date(T0 - 18 * 60_000).toISOString(),
    durationSec: 120,
    talkSec: 112,
    outcome: 'completed',
    detail: null,
    ...overrides,
  };
}

export const RECENT_CALLS: CallLogEntry[] = [
  makeLogEntry(),
  makeLogEntry({
    id: 'log-0',
    direction: 'inbound',
    number: '+421 2 5555 1234',
    startedAt: new Date(T0 - 45 * 60_000).toISOString(),
    connectedAt: null,
    endedAt: new Date(T0 - 44 * 60_000).toISOString(),
    durationSec: 30,
    talkSec: 0,
    outcome: 'no-answer',
  }),
];

export function makeSettings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    profiles: [
      {
        id: 'office',
        name: 'Office (VIPTel)',
        type: 'viptel',
        fields: {
          url: 'wss://pbxmanager.viptel.sk:8088',
          username: 'operator1',
          extension: '12',
          callerId: null,
        },
        secrets: { password: { stored: true } },
      },
      {
        id: 'hq',
        name: 'HQ (innovaphone)',
        type: 'innovaphone',
        fields: { url: 'wss://pbx.example.com/PBX0/APPS/websocket', app: 'dialler', user: 'Operator One' },
        secrets: { password: { stored: true } },
      },
      { id: 'demo', name: 'Demo PBX (simulated)', type: 'simulator', fields: {}, secrets: {} },
    ],
    activeProfileId: 'office',
    patriot: {
      mode: 'server',
      port: 9009,
      allowedOrigins: [],
      connectUrl: null,
      connectApiKeyStored: false,
      apiKeyHint: '••••••••3F9A',
    },
    startAtLogin: true,
    profileTypes: [
      {
        type: 'viptel',
        label: 'VIPTel',
        fields: [
          { name: 'url', label: 'PBX address', kind: 'url', required: true },
          { name: 'username', label: 'Username', kind: 'text', required: true },
          {
            name: 'extension',
            label: 'Extension',
            kind: 'text',
            required: true,
            help: 'Your own extension: calls are placed from it.',
          },
          { name: 'callerId', label: 'Caller ID', kind: 'text', required: false },
          {
            name: 'rejectUnauthorized',
            label: 'Check the PBX certificate',
            kind: 'checkbox',
            required: false,
          },
        ],
        secretFields: [{ name: 'password', label: 'Password' }],
      },
      {
        type: 'innovaphone',
        label: 'innovaphone',
        fields: [
          { name: 'url', label: 'PBX address', kind: 'url', required: true },
          { name: 'app', label: 'App object name', kind: 'text', required: true },
          { name: 'user', label: 'Operator (Long Name)', kind: 'text', required: true },
        ],
        secretFields: [{ name: 'password', label: 'App password' }],
      },
      { type: 'simulator', label: 'Simulator', fields: [], secretFields: [] },
    ],
    lockedBy: null,
    ...overrides,
  };
}

export const CERTIFICATE: CertificateInfo = {
  fingerprint256:
    '3A:9F:12:C4:7B:E0:55:AA:91:0D:6C:2E:B8:47:F3:19:8A:64:D2:0B:E7:5C:33:A1:4F:C9:08:76:BD:E2:1F:90',
  validTo: '2027-03-14',
  trusted: false,
};

export function makeStubConfig(overrides: Partial<StubConfig> = {}): StubConfig {
  return {
    snapshot: makeSnapshot(),
    settings: makeSettings(),
    recentCalls: RECENT_CALLS,
    certificate: CERTIFICATE,
    ...overrides,
  };
}
