// The per-user settings file (electron-store), its schema and its versioned migrations.
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import Store from 'electron-store';
import * as z from 'zod';
import { DEFAULT_LISTEN } from '../../engine/config/schema';

export const SETTINGS_VERSION = 1;

const storedProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  /** The profile's non-secret keys, shaped as in the config file (e.g. `dialRules: {...}`). */
  fields: z.record(z.string(), z.unknown()),
  /** Secret keys (e.g. `password`) sealed by SecretBox, base64. Never plain text. */
  secrets: z.record(z.string(), z.string().min(1)),
});

const storedPatriotSchema = z.object({
  mode: z.enum(['server', 'client']),
  port: z.number().int(),
  allowedOrigins: z.array(z.string()),
  connectUrl: z.string().nullable(),
  connectFingerprint256: z.string().nullable(),
  /** The API key Patriot presents (server mode) or that we present (client mode); sealed. */
  apiKey: z.object({ sealed: z.string().min(1), hint: z.string() }).nullable(),
  /** Client mode: Patriot's own WebSocketApiKey, sealed; absent = present the bridge's key (older files). */
  connectApiKey: z.string().min(1).nullable().optional(),
});

export const storedSettingsSchema = z.object({
  // A later version must keep accepting older files here (new keys optional), so a migration can run.
  schemaVersion: z.number().int().min(1),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  activeProfile: z.string(),
  profiles: z.array(storedProfileSchema),
  patriot: storedPatriotSchema,
});

export type StoredSettings = z.output<typeof storedSettingsSchema>;
export type StoredProfile = StoredSettings['profiles'][number];
export type StoredPatriot = StoredSettings['patriot'];

/** First run: the built-in simulator, so the bridge runs and the window has something to show. */
export function defaultSettings(): StoredSettings {
  return {
    schemaVersion: SETTINGS_VERSION,
    logLevel: 'info',
    activeProfile: 'demo',
    profiles: [{ id: 'demo', name: 'Demo PBX (simulated)', type: 'simulator', fields: {}, secrets: {} }],
    patriot: {
      mode: 'server',
      port: DEFAULT_LISTEN.port,
      allowedOrigins: [],
      connectUrl: null,
      connectFingerprint256: null,
      apiKey: null,
    },
  };
}

/** Steps from version n-1 to n. electron-store's own migrations are avoided (its author warns of known bugs). */
const MIGRATIONS: Record<number, (settings: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrateSettings(raw: Record<string, unknown>): StoredSettings {
  let settings = raw;
  let version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : SETTINGS_VERSION;
  if (version > SETTINGS_VERSION) {
    throw new Error(
      `the settings were written by a newer version (format ${version}); update Dialler Bridge`,
    );
  }
  while (version < SETTINGS_VERSION) {
    version++;
    const step = MIGRATIONS[version];
    if (step) settings = step(settings);
  }
  return storedSettingsSchema.parse({ ...settings, schemaVersion: SETTINGS_VERSION });
}

export interface SettingsFile {
  readonly path: string;
  read(): StoredSettings;
  write(settings: StoredSettings): void;
}

export interface OpenedSettingsFile {
  file: SettingsFile;
  /** Set when an unreadable file was moved aside and defaults were used; for the user. */
  problem: string | null;
}

function createStore(dir: string): Store<StoredSettings> {
  const jsonSchema = z.toJSONSchema(storedSettingsSchema) as {
    properties: Record<keyof StoredSettings, object>;
  };
  return new Store<StoredSettings>({
    cwd: dir,
    name: 'settings',
    schema: jsonSchema.properties,
    defaults: defaultSettings(),
    configFileMode: 0o600,
    clearInvalidConfig: false,
    watch: false,
  });
}

/** Opens `<dir>/settings.json`. A file that fails the schema is kept as `settings.invalid-<time>.json`. */
export function openSettingsFile(dir: string, now: () => Date = () => new Date()): OpenedSettingsFile {
  let store: Store<StoredSettings>;
  let problem: string | null = null;
  try {
    store = createStore(dir);
    const migrated = migrateSettings(store.store);
    if (migrated.schemaVersion !== store.store.schemaVersion) store.store = migrated;
  } catch (error) {
    const file = path.join(dir, 'settings.json');
    const backup = path.join(dir, `settings.invalid-${now().toISOString().replace(/[:.]/g, '-')}.json`);
    if (!existsSync(file)) throw error;
    renameSync(file, backup);
    problem = `The settings file could not be read (${(error as Error).message}). It was kept as ${backup} and default settings are used.`;
    store = createStore(dir);
  }
  return {
    problem,
    file: {
      path: store.path,
      read: () => migrateSettings(store.store),
      write: (settings) => {
        store.store = storedSettingsSchema.parse(settings);
      },
    },
  };
}
