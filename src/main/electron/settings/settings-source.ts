import type {
  ActionResult,
  PatriotSettingsInput,
  ProfileSettingsInput,
  SaveResult,
  SettingsView,
} from '../../../shared/ipc-contract';
import type { RunConfig } from './bridge-config';

export type { PatriotSettingsInput } from '../../../shared/ipc-contract';

export interface LoadedConfig {
  config: RunConfig;
  /** Things the user must be told (a profile left out, secure storage unavailable...). */
  problems: string[];
}

/** The engine's generated-key file in dataDir (src/main/engine/patriot/api-keys.ts). */
export interface ApiKeyFile {
  loadOrCreate(dataDir: string): Promise<{ key: string; file: string }>;
  regenerate(dataDir: string): Promise<{ key: string; file: string }>;
}

/**
 * Where the desktop's config comes from: the user's own settings, or IT's machine-wide config file (then
 * every change is refused). Every method is safe to call from IPC: nothing returned carries a secret,
 * except `apiKey()`, which exists for the clipboard.
 */
export interface SettingsSource {
  readonly lockedBy: string | null;
  loadConfig(): Promise<LoadedConfig>;
  view(): Promise<Omit<SettingsView, 'startAtLogin'>>;
  saveProfile(input: ProfileSettingsInput): Promise<SaveResult>;
  deleteProfile(profileId: string): Promise<ActionResult>;
  savePatriotSettings(input: PatriotSettingsInput): Promise<SaveResult>;
  /** Keep the profile the user switched to for the next start. */
  rememberActiveProfile(profileId: string): Promise<void>;
  apiKey(): Promise<string>;
  regenerateApiKey(): Promise<ActionResult>;
}
