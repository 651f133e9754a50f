import type {
  ActionResult,
  ProfileSettings,
  ProfileSettingsInput,
  SaveResult,
  SettingsView,
} from '../../../shared/ipc-contract';
import { configSchema, profileSchema } from '../../engine/config/schema';
import type { Logger } from '../../engine/log/logger';
import { generateApiKey } from '../../engine/patriot/api-keys';
import { apiKeyHint } from './api-key';
import { patriotFieldKey, rawPatriot, rawProfile, runnableConfig, type RawProfile } from './bridge-config';
import { fieldErrorsFromIssues } from './field-errors';
import {
  flattenFields,
  jsonFieldNames,
  normaliseFormValue,
  profileTypeInfo,
  profileTypeInfos,
  secretFieldNames,
  unflattenFields,
} from './profile-forms';
import { EncryptionUnavailableError, type SecretBox } from './secret-box';
import type { SettingsFile, StoredProfile, StoredSettings } from './settings-file';
import type { ApiKeyFile, LoadedConfig, PatriotSettingsInput, SettingsSource } from './settings-source';

export interface UserSettingsDeps {
  file: SettingsFile;
  secrets: SecretBox;
  /** Where the engine keeps its certificate, call log and (without secure storage) its API key. */
  dataDir: string;
  engineApiKey: ApiKeyFile;
  log: Logger;
  newApiKey?: () => string;
}

/** A key of the right shape for validating Patriot settings without opening the real one. */
const PLACEHOLDER_KEY = 'placeholder-api-key';

const fixFields = (message: string, fieldErrors: Record<string, string>): SaveResult => ({
  ok: false,
  message,
  fieldErrors,
});

/** The user's own settings: electron-store for the form values, safeStorage for every secret. */
export class UserSettings implements SettingsSource {
  readonly lockedBy = null;

  constructor(private readonly deps: UserSettingsDeps) {}

  async loadConfig(): Promise<LoadedConfig> {
    const problems: string[] = [];
    const settings = this.deps.file.read();
    const profiles: RawProfile[] = [];
    for (const profile of settings.profiles) {
      profiles.push(rawProfile(profile, await this.openSecrets(profile, problems)));
    }
    const apiKey = await this.resolveApiKey(problems);
    const connectApiKey = await this.openConnectApiKey(problems);
    const { config, problems: left } = runnableConfig({
      logLevel: settings.logLevel,
      activeProfile: settings.activeProfile,
      profiles,
      patriot: rawPatriot(settings.patriot, apiKey, connectApiKey),
    });
    return { config: { ...config, dataDir: this.deps.dataDir }, problems: [...problems, ...left] };
  }

  async view(): Promise<Omit<SettingsView, 'startAtLogin'>> {
    const stored = this.deps.file.read().patriot.apiKey;
    const hint = stored ? stored.hint : apiKeyHint(await this.resolveApiKey([]));
    const settings = this.deps.file.read();
    const { apiKey: _sealed, connectApiKey: sealedConnectKey, ...patriot } = settings.patriot;
    return {
      profiles: settings.profiles.map(profileView),
      activeProfileId: settings.activeProfile,
      patriot: { ...patriot, apiKeyHint: hint, connectApiKeyStored: !!sealedConnectKey },
      profileTypes: profileTypeInfos(),
      lockedBy: null,
    };
  }

  async saveProfile(input: ProfileSettingsInput): Promise<SaveResult> {
    const info = profileTypeInfo(input.type);
    if (!info) {
      const known = profileTypeInfos().map((t) => `"${t.type}"`);
      return fixFields('Unknown profile type.', { type: `expected one of ${known.join(', ')}` });
    }
    const settings = this.deps.file.read();
    const index = settings.profiles.findIndex((profile) => profile.id === input.id);
    const stored =
      index >= 0 && settings.profiles[index]!.type === input.type ? settings.profiles[index]! : null;
    const secretNames = secretFieldNames(input.type);

    // Fields the form did not send keep their stored value; an emptied field is unset.
    const kinds = new Map(info.fields.map((field) => [field.name, field.kind]));
    const flat = stored ? flattenFields(stored.fields, jsonFieldNames(input.type)) : {};
    for (const [name, value] of Object.entries(input.fields)) {
      const root = name.split('.')[0]!;
      if (['id', 'name', 'type'].includes(root) || secretNames.includes(root)) continue;
      const normalised = normaliseFormValue(kinds.get(name), value);
      if (normalised === undefined) delete flat[name];
      else flat[name] = normalised;
    }
    const fields = unflattenFields(flat);

    // A secret is replaced when given, kept when omitted.
    const given: Record<string, string> = {};
    const opened: Record<string, string> = {};
    for (const name of secretNames) {
      const value = input.secrets[name];
      if (typeof value === 'string' && value !== '') {
        given[name] = value;
        this.deps.log.addSecret(value);
      } else if (stored?.secrets[name]) {
        const value = await this.openSecret(stored.secrets[name], `profile "${stored.id}" ${name}`);
        if (value !== null) opened[name] = value;
      }
    }

    const candidate = { ...fields, ...opened, ...given, id: input.id, name: input.name, type: input.type };
    const parsed = profileSchema.safeParse(candidate);
    if (!parsed.success) {
      const { fieldErrors, other } = fieldErrorsFromIssues(parsed.error.issues);
      return fixFields(['Please correct the highlighted fields.', ...other].join(' '), fieldErrors);
    }

    let sealed: Record<string, string>;
    try {
      sealed = { ...pick(stored?.secrets ?? {}, secretNames), ...(await this.sealAll(given)) };
    } catch (error) {
      if (!(error instanceof EncryptionUnavailableError)) throw error;
      const notSaved = Object.fromEntries(
        Object.keys(given).map((name) => [name, 'not saved: no secure storage']),
      );
      return fixFields(error.message, notSaved);
    }

    const profile: StoredProfile = {
      id: input.id,
      name: input.name.trim(),
      type: input.type,
      fields,
      secrets: sealed,
    };
    const profiles = [...settings.profiles];
    if (index >= 0) profiles[index] = profile;
    else profiles.push(profile);
    this.deps.file.write({ ...settings, profiles });
    this.deps.log.info('profile saved', { profileId: profile.id, type: profile.type, created: index < 0 });
    return { ok: true };
  }

  async deleteProfile(profileId: string): Promise<ActionResult> {
    const settings = this.deps.file.read();
    if (!settings.profiles.some((profile) => profile.id === profileId)) {
      return { ok: false, message: 'There is no such profile.' };
    }
    if (settings.activeProfile === profileId) {
      return { ok: false, message: 'This profile is in use. Switch to another profile first.' };
    }
    const profiles = settings.profiles.filter((profile) => profile.id !== profileId);
    this.deps.file.write({ ...settings, profiles });
    this.deps.log.info('profile deleted', { profileId });
    return { ok: true };
  }

  async savePatriotSettings(input: PatriotSettingsInput): Promise<SaveResult> {
    const settings = this.deps.file.read();
    const typedKey = input.connectApiKey ? input.connectApiKey : null;
    if (typedKey !== null && !(await this.deps.secrets.isAvailable())) {
      return fixFields('Patriot’s key cannot be stored.', {
        connectApiKey: 'Secure storage is unavailable on this computer, so keys cannot be saved.',
      });
    }
    const patriot = {
      ...settings.patriot,
      mode: input.mode,
      port: input.port,
      allowedOrigins: input.allowedOrigins,
      connectUrl: input.connectUrl || null,
      connectFingerprint256:
        input.connectFingerprint256 === undefined
          ? settings.patriot.connectFingerprint256
          : input.connectFingerprint256 || null,
    };
    const parsed = configSchema.shape.patriot.safeParse(rawPatriot(patriot, PLACEHOLDER_KEY, typedKey));
    if (!parsed.success) {
      const { fieldErrors, other } = fieldErrorsFromIssues(parsed.error.issues, patriotFieldKey);
      return fixFields(['Please correct the highlighted fields.', ...other].join(' '), fieldErrors);
    }
    // Patriot's key: replaced when typed, kept when omitted (like a profile password).
    if (typedKey !== null) {
      this.deps.log.addSecret(typedKey);
      patriot.connectApiKey = await this.deps.secrets.seal(typedKey);
    }
    this.write({ ...settings, patriot });
    this.deps.log.info('Patriot settings saved', { mode: patriot.mode, port: patriot.port });
    return { ok: true };
  }

  async rememberActiveProfile(profileId: string): Promise<void> {
    const settings = this.deps.file.read();
    if (settings.profiles.some((profile) => profile.id === profileId)) {
      this.write({ ...settings, activeProfile: profileId });
    }
  }

  apiKey(): Promise<string> {
    return this.resolveApiKey([]);
  }

  async regenerateApiKey(): Promise<ActionResult> {
    if (await this.deps.secrets.isAvailable()) {
      await this.storeNewApiKey();
    } else {
      const { key } = await this.deps.engineApiKey.regenerate(this.deps.dataDir);
      this.deps.log.addSecret(key);
    }
    this.deps.log.info('API key regenerated');
    return { ok: true };
  }

  private write(settings: StoredSettings): void {
    this.deps.file.write(settings);
  }

  /** The stored key; a new sealed one on first run; without secure storage, the engine's key file. */
  private async resolveApiKey(problems: string[]): Promise<string> {
    const stored = this.deps.file.read().patriot.apiKey;
    if (stored) {
      const value = await this.openSecret(stored.sealed, 'API key', (resealed) => {
        const settings = this.deps.file.read();
        if (settings.patriot.apiKey) {
          this.write({
            ...settings,
            patriot: { ...settings.patriot, apiKey: { ...settings.patriot.apiKey, sealed: resealed } },
          });
        }
      });
      if (value !== null) return value;
      problems.push(
        'The saved API key could not be decrypted, so a new one was made. Give Patriot the new key.',
      );
    }
    if (await this.deps.secrets.isAvailable()) return this.storeNewApiKey();
    const { key, file } = await this.deps.engineApiKey.loadOrCreate(this.deps.dataDir);
    this.deps.log.addSecret(key);
    problems.push(
      `Secure storage is unavailable on this computer: the API key is kept in ${file}, protected only by file permissions.`,
    );
    return key;
  }

  /** Patriot's own WebSocketApiKey (client mode), or null to present the bridge's key. */
  private async openConnectApiKey(problems: string[]): Promise<string | null> {
    const sealed = this.deps.file.read().patriot.connectApiKey;
    if (!sealed) return null;
    const value = await this.openSecret(sealed, 'Patriot WebSocketApiKey', (resealed) => {
      const settings = this.deps.file.read();
      this.write({ ...settings, patriot: { ...settings.patriot, connectApiKey: resealed } });
    });
    if (value === null) {
      problems.push('The saved Patriot WebSocketApiKey could not be decrypted. Enter it again.');
    }
    return value;
  }

  private async storeNewApiKey(): Promise<string> {
    const key = (this.deps.newApiKey ?? generateApiKey)();
    this.deps.log.addSecret(key);
    const sealed = await this.deps.secrets.seal(key);
    const settings = this.deps.file.read();
    this.write({ ...settings, patriot: { ...settings.patriot, apiKey: { sealed, hint: apiKeyHint(key) } } });
    return key;
  }

  /** Opens every secret of a profile; re-seals rotated ones. A secret that no longer opens is reported. */
  private async openSecrets(profile: StoredProfile, problems: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, sealed] of Object.entries(profile.secrets)) {
      const value = await this.openSecret(sealed, `profile "${profile.id}" ${name}`, (resealed) =>
        this.replaceSealed(profile.id, name, sealed, resealed),
      );
      if (value !== null) out[name] = value;
      else
        problems.push(
          `The saved ${name} of profile "${profile.name}" could not be decrypted. Enter it again.`,
        );
    }
    return out;
  }

  private replaceSealed(profileId: string, name: string, old: string, resealed: string): void {
    const settings = this.deps.file.read();
    const profiles = settings.profiles.map((profile) =>
      profile.id === profileId && profile.secrets[name] === old
        ? { ...profile, secrets: { ...profile.secrets, [name]: resealed } }
        : profile,
    );
    this.write({ ...settings, profiles });
  }

  private async openSecret(
    sealed: string,
    what: string,
    onResealed?: (resealed: string) => void,
  ): Promise<string | null> {
    try {
      const { value, resealed } = await this.deps.secrets.open(sealed);
      this.deps.log.addSecret(value);
      if (resealed && onResealed) {
        onResealed(resealed);
        this.deps.log.info('secret re-encrypted after an OS key rotation', { item: what });
      }
      return value;
    } catch (error) {
      this.deps.log.warn('a saved secret could not be decrypted', {
        item: what,
        error: (error as Error).message,
      });
      return null;
    }
  }

  private async sealAll(values: Record<string, string>): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) out[name] = await this.deps.secrets.seal(value);
    return out;
  }
}

function pick(record: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => names.includes(name)));
}

function profileView(profile: StoredProfile): ProfileSettings {
  return {
    id: profile.id,
    name: profile.name,
    type: profile.type,
    fields: flattenFields(profile.fields, jsonFieldNames(profile.type)),
    secrets: Object.fromEntries(
      secretFieldNames(profile.type).map((name) => [name, { stored: name in profile.secrets }]),
    ),
  };
}
