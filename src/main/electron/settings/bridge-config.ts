// Stored settings → the engine's BridgeConfig, validated by the shared configSchema.
import { formatKeyPath } from '../../engine/config/load';
import {
  configSchema,
  profileSchema,
  type BridgeConfig,
  type BridgeConfigInput,
} from '../../engine/config/schema';
import { issueMessage } from './field-errors';
import { defaultSettings, type StoredPatriot, type StoredSettings } from './settings-file';

export type RunConfig = BridgeConfig & { dataDir: string };

/** One stored profile with its secrets opened, shaped as a config file profile. */
export type RawProfile = Record<string, unknown> & { id: string; name: string; type: string };

export function rawProfile(
  profile: StoredSettings['profiles'][number],
  secrets: Record<string, string>,
): RawProfile {
  return { ...profile.fields, ...secrets, id: profile.id, name: profile.name, type: profile.type };
}

/** `connectApiKey`: Patriot's own key for client mode; without one the bridge's key is presented. */
export function rawPatriot(
  patriot: StoredPatriot,
  apiKey: string,
  connectApiKey: string | null = null,
): Record<string, unknown> {
  return {
    mode: patriot.mode,
    listen: { port: patriot.port },
    apiKeys: [apiKey],
    allowedOrigins: patriot.allowedOrigins,
    ...(patriot.mode === 'client' && patriot.connectUrl !== null
      ? {
          connect: {
            url: patriot.connectUrl,
            apiKey: connectApiKey ?? apiKey,
            fingerprint256: patriot.connectFingerprint256,
          },
        }
      : {}),
  };
}

/** Where an issue of the patriot section belongs in the Patriot settings form (PatriotSettings keys). */
export function patriotFieldKey(path: readonly PropertyKey[]): string | null {
  const [head, next] = path;
  if (head === 'mode') return 'mode';
  if (head === 'listen') return next === 'port' ? 'port' : null;
  if (head === 'allowedOrigins') return formatKeyPath(path);
  if (head === 'connect') {
    if (next === 'fingerprint256') return 'connectFingerprint256';
    return next === 'apiKey' ? 'connectApiKey' : 'connectUrl';
  }
  return null;
}

const demoProfile = (): RawProfile => {
  const demo = defaultSettings().profiles[0]!;
  return rawProfile(demo, {});
};

/**
 * A config the bridge can start with, even when some stored profiles are incomplete (a password that no
 * longer decrypts, a type this version no longer knows): those profiles are left out and reported, so
 * the window still opens and the user can fix them.
 */
export function runnableConfig(raw: Omit<BridgeConfigInput, 'profiles'> & { profiles: RawProfile[] }): {
  config: BridgeConfig;
  problems: string[];
} {
  const first = configSchema.safeParse(raw);
  if (first.success) return { config: first.data, problems: [] };

  const problems: string[] = [];
  const profiles = raw.profiles.filter((profile) => {
    const result = profileSchema.safeParse(profile);
    if (result.success) return true;
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${formatKeyPath(issue.path)}: ` : '';
    problems.push(
      `Profile "${profile.name}" is incomplete and is not available until it is fixed (${where}${issue ? issueMessage(issue) : 'invalid'}).`,
    );
    return false;
  });
  if (profiles.length === 0) profiles.push(demoProfile());
  const activeProfile = profiles.some((profile) => profile.id === raw.activeProfile)
    ? raw.activeProfile
    : profiles[0]!.id;
  let patriot = raw.patriot;
  if (!configSchema.shape.patriot.safeParse(patriot).success) {
    problems.push('The Patriot settings are invalid; the defaults are used until they are fixed.');
    patriot = {};
  }
  return { config: configSchema.parse({ ...raw, profiles, activeProfile, patriot }), problems };
}
