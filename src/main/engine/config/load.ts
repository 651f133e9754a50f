import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { configSchema, PROFILE_TYPES, type BridgeConfig } from './schema';

/** A config problem, phrased for one stderr line: file, key path, what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly expected: string,
  ) {
    super(keyPath ? `${file}: ${keyPath}: ${expected}` : `${file}: ${expected}`);
    this.name = 'ConfigError';
  }
}

/** ["profiles", 1, "extension"] → "profiles[1].extension" */
export function formatKeyPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): { keyPath: string; expected: string } {
  const keyPath = formatKeyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return {
      keyPath,
      expected: `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (check the spelling)`,
    };
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return { keyPath, expected: `expected one of ${PROFILE_TYPES.map((t) => `"${t}"`).join(', ')}` };
  }
  return { keyPath, expected: issue.message.replace(/^Invalid input: /, '') };
}

function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** Validates parsed JSON; throws ConfigError naming the first problem. */
export function parseConfig(raw: unknown, file: string): BridgeConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    if (!first) throw new ConfigError(file, '', 'invalid configuration');
    const { keyPath, expected } = describeIssue(first);
    const missing = first.path.length > 0 && valueAt(raw, first.path) === undefined;
    throw new ConfigError(
      file,
      keyPath,
      missing ? `missing; ${expected.replace(/, received undefined$/, '')}` : expected,
    );
  }
  return result.data;
}

/** The OS per-user application-data folder for the bridge. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Dialler Bridge');
  }
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'Dialler Bridge');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'dialler-bridge');
}

/** Resolves every file path of the config against `baseDir` (the folder holding the config file). */
export function resolveConfigPaths(config: BridgeConfig, baseDir: string): BridgeConfig {
  const resolve = (p: string | null | undefined): string | null => (p ? path.resolve(baseDir, p) : null);
  const patriot = config.patriot;
  return {
    ...config,
    dataDir: config.dataDir ? path.resolve(baseDir, config.dataDir) : defaultDataDir(),
    patriot: {
      ...patriot,
      tls: { certFile: resolve(patriot.tls.certFile), keyFile: resolve(patriot.tls.keyFile) },
      connect: patriot.connect && { ...patriot.connect, caFile: resolve(patriot.connect.caFile) },
    },
    profiles: config.profiles.map((profile) =>
      'caFile' in profile ? { ...profile, caFile: resolve(profile.caFile) } : profile,
    ),
  };
}

/** Reads, validates and resolves a config file. Every failure is a ConfigError naming the file. */
export async function loadConfigFile(file: string): Promise<BridgeConfig & { dataDir: string }> {
  const absolute = path.resolve(file);
  return configFromJson(await readConfigJson(absolute), absolute);
}

/** The parsed JSON of a config file (any shape); ConfigError when missing, unreadable or not JSON. */
export async function readConfigJson(file: string): Promise<unknown> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(absolute, '', 'file not found');
    if (code === 'EISDIR') throw new ConfigError(absolute, '', 'is a folder, expected a JSON file');
    throw new ConfigError(absolute, '', `cannot be read (${code ?? 'unknown error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(absolute, '', `is not valid JSON (${(error as Error).message})`);
  }
  return raw;
}

/** Validates and resolves already-parsed config JSON read from `absolute`. */
export async function configFromJson(
  raw: unknown,
  absolute: string,
): Promise<BridgeConfig & { dataDir: string }> {
  const config = resolveConfigPaths(parseConfig(raw, absolute), path.dirname(absolute));
  await requireNamedFiles(config, absolute);
  return config as BridgeConfig & { dataDir: string };
}

/** Every file the config names (certificates, CA files) by its key path, for the existence check. */
export function namedFiles(config: BridgeConfig): { keyPath: string; file: string }[] {
  const files: { keyPath: string; file: string | null | undefined }[] = [
    { keyPath: 'patriot.tls.certFile', file: config.patriot.tls.certFile },
    { keyPath: 'patriot.tls.keyFile', file: config.patriot.tls.keyFile },
    { keyPath: 'patriot.connect.caFile', file: config.patriot.connect?.caFile },
    ...config.profiles.map((profile, index) => ({
      keyPath: `profiles[${index}].caFile`,
      file: 'caFile' in profile ? (profile.caFile as string | null) : null,
    })),
  ];
  return files.filter((entry): entry is { keyPath: string; file: string } => Boolean(entry.file));
}

/** A named file that cannot be read is a config error before anything listens (not an endless retry). */
async function requireNamedFiles(config: BridgeConfig, configFile: string): Promise<void> {
  for (const { keyPath, file } of namedFiles(config)) {
    try {
      await access(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`;
      throw new ConfigError(configFile, keyPath, `the file ${file} ${why}; expected a readable PEM file`);
    }
  }
}
