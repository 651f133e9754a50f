// IT's machine-wide config file: same format as the headless runner's; when present it is the config and
// the settings form is read-only.
import path from 'node:path';
import type { ActionResult, ProfileSettings, SaveResult, SettingsView } from '../../../shared/ipc-contract';
import { configFromJson } from '../../engine/config/load';
import { collectSecrets } from '../../engine/config/secrets';
import type { ProfileConfig } from '../../engine/config/schema';
import type { Logger } from '../../engine/log/logger';
import { apiKeyHint } from './api-key';
import type { RunConfig } from './bridge-config';
import { readMachineFile } from './machine-policy';
import { flattenFields, jsonFieldNames, profileTypeInfos, secretFieldNames } from './profile-forms';
import type { ApiKeyFile, LoadedConfig, SettingsSource } from './settings-source';

/** `%ProgramData%\Dialler Bridge\config.json` on Windows; elsewhere the platform's system config folder. */
export function machineConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32') {
    return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Dialler Bridge', 'config.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/Dialler Bridge/config.json';
  return '/etc/dialler-bridge/config.json';
}

export interface MachineSettingsDeps {
  file: string;
  engineApiKey: ApiKeyFile;
  log: Logger;
}

export class MachineSettings implements SettingsSource {
  readonly lockedBy: string;
  private config: RunConfig | null = null;

  constructor(private readonly deps: MachineSettingsDeps) {
    this.lockedBy = `These settings are managed by your IT department (${deps.file}).`;
  }

  /** Throws ConfigError (file, key path, what was expected) when IT's file is invalid. */
  async loadConfig(): Promise<LoadedConfig> {
    const { bridgeConfig } = await readMachineFile(this.deps.file);
    this.config = await configFromJson(bridgeConfig ?? {}, path.resolve(this.deps.file));
    for (const secret of collectSecrets(this.config)) this.deps.log.addSecret(secret);
    return { config: this.config, problems: [] };
  }

  async view(): Promise<Omit<SettingsView, 'startAtLogin'>> {
    const config = await this.loaded();
    return {
      profiles: config.profiles.map(profileView),
      activeProfileId: config.activeProfile,
      patriot: {
        mode: config.patriot.mode,
        port: config.patriot.listen.port,
        allowedOrigins: config.patriot.allowedOrigins,
        connectUrl: config.patriot.connect?.url ?? null,
        connectFingerprint256: config.patriot.connect?.fingerprint256 ?? null,
        connectApiKeyStored: !!config.patriot.connect,
        apiKeyHint: apiKeyHint(await this.apiKey()),
      },
      profileTypes: profileTypeInfos(),
      lockedBy: this.lockedBy,
    };
  }

  saveProfile(): Promise<SaveResult> {
    return Promise.resolve({ ok: false, message: this.lockedBy, fieldErrors: {} });
  }

  deleteProfile(): Promise<ActionResult> {
    return Promise.resolve({ ok: false, message: this.lockedBy });
  }

  savePatriotSettings(): Promise<SaveResult> {
    return Promise.resolve({ ok: false, message: this.lockedBy, fieldErrors: {} });
  }

  /** Switching profiles is allowed; the choice lasts until the app restarts (IT's file is not written). */
  async rememberActiveProfile(): Promise<void> {}

  async apiKey(): Promise<string> {
    const { patriot, dataDir } = await this.loaded();
    if (patriot.mode === 'client' && patriot.connect) return patriot.connect.apiKey;
    const configured = patriot.apiKeys[0];
    if (configured) return configured;
    // No key in the file: the engine generated one into dataDir, as the headless runner does.
    const { key } = await this.deps.engineApiKey.loadOrCreate(dataDir);
    this.deps.log.addSecret(key);
    return key;
  }

  regenerateApiKey(): Promise<ActionResult> {
    return Promise.resolve({ ok: false, message: this.lockedBy });
  }

  private async loaded(): Promise<RunConfig> {
    return this.config ?? (await this.loadConfig()).config;
  }
}

function secretOf(profile: ProfileConfig, name: string): string | null {
  const value = (profile as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

function profileView(profile: ProfileConfig): ProfileSettings {
  const secretNames = secretFieldNames(profile.type);
  const { id, name, type, ...rest } = profile as ProfileConfig & Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(rest).filter(([key]) => !secretNames.includes(key)));
  return {
    id,
    name,
    type,
    fields: flattenFields(fields, jsonFieldNames(type)),
    secrets: Object.fromEntries(secretNames.map((key) => [key, { stored: secretOf(profile, key) !== null }])),
  };
}
