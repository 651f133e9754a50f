// The one typed contract between the Electron main process, the preload and the renderer.
// The preload implements DiallerApi with one function per operation; the renderer knows nothing else.
import type { BridgeNotice, BridgeSnapshot, CallLogEntry } from './bridge-types';
import type { SiteCheckReport, SiteCheckStep } from './site-check';

export type ActionResult = { ok: true } | { ok: false; message: string };

/** A diagnostic trace written to the logs folder: where, and how many log lines it holds. */
export type TraceResult = { ok: true; file: string; lines: number } | { ok: false; message: string };

/** Field-level validation problems, keyed by key path (e.g. "extension", "dialRules.outsideLinePrefix"). */
export type FieldErrors = Record<string, string>;
export type SaveResult = { ok: true } | { ok: false; message: string; fieldErrors: FieldErrors };

/** A profile as the settings view edits it. Secret fields are never sent in clear: see SecretField. */
export interface ProfileSettings {
  id: string;
  name: string;
  type: string;
  /** Non-secret type-specific fields (url, username, extension, app, user, callerId, dialRules...). */
  fields: Record<string, unknown>;
  /** Secret fields by name (e.g. "password"): whether one is stored. */
  secrets: Record<string, { stored: boolean }>;
}

/** What the renderer sends to save a profile: a secret is kept when omitted, replaced when given. */
export interface ProfileSettingsInput {
  id: string;
  name: string;
  type: string;
  fields: Record<string, unknown>;
  secrets: Record<string, string | undefined>;
}

export interface PatriotSettings {
  mode: 'server' | 'client';
  port: number;
  allowedOrigins: string[];
  connectUrl: string | null;
  /** Client mode: SHA-256 fingerprint of Patriot's self-signed certificate to pin ("AA:BB:…"). Omitted = keep. */
  connectFingerprint256?: string | null;
  /** e.g. "••••••••3F9A": enough to recognise the key, never the key. */
  apiKeyHint: string | null;
  /** Client mode: whether Patriot's own WebSocketApiKey is stored (else the bridge's key is presented). */
  connectApiKeyStored: boolean;
}

/** What the renderer sends to save the Patriot settings: Patriot's key is kept when omitted, replaced when given. */
export type PatriotSettingsInput = Omit<PatriotSettings, 'apiKeyHint' | 'connectApiKeyStored'> & {
  connectApiKey?: string;
};

export interface CertificateInfo {
  fingerprint256: string | null;
  validTo: string | null;
  /** null when the platform cannot tell (not Windows). */
  trusted: boolean | null;
}

export interface SettingsView {
  profiles: ProfileSettings[];
  activeProfileId: string;
  patriot: PatriotSettings;
  startAtLogin: boolean;
  /** Profile types with their fields, for the settings form. */
  profileTypes: ProfileTypeInfo[];
  /** Set when settings are locked by IT (machine-wide config). */
  lockedBy: string | null;
}

export interface ProfileTypeInfo {
  type: string;
  label: string;
  fields: {
    name: string;
    label: string;
    /** 'json': an object edited whole as JSON text (e.g. Harmony's `protocol`); sent as the object. */
    kind: 'text' | 'number' | 'url' | 'checkbox' | 'json';
    required: boolean;
    help?: string;
    /** What the bridge uses when the field is absent (e.g. rejectUnauthorized: true). */
    default?: string | number | boolean | null;
  }[];
  secretFields: { name: string; label: string }[];
}

/** "Check this PC": an optional test dial to a number IT enters. */
export interface SiteCheckRequest {
  dialNumber: string | null;
}

/** Where the report was saved (in the logs folder). */
export type SaveReportResult = { ok: true; file: string } | { ok: false; message: string };

/** Exposed by the preload as `window.dialler`. Every subscription returns its unsubscribe function. */
export interface DiallerApi {
  getSnapshot(): Promise<BridgeSnapshot>;
  onSnapshot(listener: (snapshot: BridgeSnapshot) => void): () => void;
  onNotice(listener: (notice: BridgeNotice) => void): () => void;
  dial(number: string): Promise<ActionResult>;
  hangup(): Promise<ActionResult>;
  switchProfile(profileId: string): Promise<ActionResult>;
  /** Try the PBX login again now (after "login failed" the bridge only retries every few minutes). */
  retryPbx(): Promise<ActionResult>;
  getRecentCalls(limit: number): Promise<CallLogEntry[]>;
  getSettings(): Promise<SettingsView>;
  saveProfile(profile: ProfileSettingsInput): Promise<SaveResult>;
  deleteProfile(profileId: string): Promise<ActionResult>;
  savePatriotSettings(settings: PatriotSettingsInput): Promise<SaveResult>;
  copyApiKey(): Promise<ActionResult>;
  regenerateApiKey(): Promise<ActionResult>;
  getCertificateInfo(): Promise<CertificateInfo>;
  trustCertificate(): Promise<ActionResult>;
  setStartAtLogin(enabled: boolean): Promise<ActionResult>;
  openLogsFolder(): Promise<ActionResult>;
  /** Writes the recent log at debug level (secrets removed) to a file in the logs folder. */
  saveDiagnosticTrace(): Promise<TraceResult>;
  /** Runs the site check against the running bridge; progress arrives through onSiteCheckProgress. */
  runSiteCheck(request: SiteCheckRequest): Promise<SiteCheckReport>;
  onSiteCheckProgress(listener: (steps: SiteCheckStep[]) => void): () => void;
  /** The last report, as main made it (the window never hands report text back). */
  copySiteCheckReport(): Promise<ActionResult>;
  saveSiteCheckReport(): Promise<SaveReportResult>;
}

/** IPC channel names: invoke channels map 1:1 to DiallerApi methods; events are pushed by main. */
export const INVOKE_CHANNELS = [
  'getSnapshot',
  'dial',
  'hangup',
  'switchProfile',
  'retryPbx',
  'getRecentCalls',
  'getSettings',
  'saveProfile',
  'deleteProfile',
  'savePatriotSettings',
  'copyApiKey',
  'regenerateApiKey',
  'getCertificateInfo',
  'trustCertificate',
  'setStartAtLogin',
  'openLogsFolder',
  'saveDiagnosticTrace',
  'runSiteCheck',
  'copySiteCheckReport',
  'saveSiteCheckReport',
] as const satisfies readonly (keyof DiallerApi)[];

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export const EVENT_CHANNELS = {
  snapshot: 'event:snapshot',
  notice: 'event:notice',
  siteCheckProgress: 'event:site-check-progress',
} as const;
export const IPC_PREFIX = 'dialler:';
