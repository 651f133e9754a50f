// IT's policy: the "policy" key of the machine-wide config.json (docs/desktop.md, "Machine policy").
// The rest of that file is the bridge config (profiles, default profile, Patriot), as the headless runner's.
import path from 'node:path';
import * as z from 'zod';
import { ConfigError, formatKeyPath, readConfigJson } from '../../engine/config/load';

/** Update feeds: https anywhere, plain http only on this PC (a local mirror, tests). */
const feedUrl = z.string().superRefine((value, context) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url) context.addIssue({ code: 'custom', message: 'expected an absolute URL' });
  else if (!(url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1')))
    context.addIssue({ code: 'custom', message: 'expected an https:// URL (http:// only for 127.0.0.1)' });
});

export const machinePolicySchema = z
  .object({
    /** false: the file's profiles are the settings and the form is read-only. true: the user's own. */
    userMayEditSettings: z.boolean().default(false),
    telLinks: z.boolean().default(true),
    dialHotkey: z.boolean().default(true),
    updates: z
      .union([
        z.literal('off'),
        z
          .object({
            url: feedUrl,
            channel: z
              .string()
              .regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a channel name like "latest" or "beta"')
              .default('latest'),
          })
          .strict(),
      ])
      .default('off'),
  })
  .strict();

export type MachinePolicy = z.output<typeof machinePolicySchema>;

/** No machine file: the user's settings, links and hotkey available, no updates. */
export const DEFAULT_POLICY: MachinePolicy = machinePolicySchema.parse({});

export interface MachineFile {
  policy: MachinePolicy;
  /** The file's bridge config (everything but "policy"), or null when the user's settings are used. */
  bridgeConfig: Record<string, unknown> | null;
}

/** Reads IT's file: ConfigError (file, key path, what was expected) when the policy is invalid. */
export async function readMachineFile(file: string): Promise<MachineFile> {
  const absolute = path.resolve(file);
  const raw = await readConfigJson(absolute);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(absolute, '', 'expected a JSON object');
  }
  const { policy: rawPolicy, ...rest } = raw as Record<string, unknown>;
  const parsed = machinePolicySchema.safeParse(rawPolicy ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keyPath = formatKeyPath(['policy', ...issue.path]);
    const expected =
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')} (check the spelling)`
        : issue.message.replace(/^Invalid input: /, '');
    throw new ConfigError(absolute, keyPath, expected);
  }
  const policy = parsed.data;
  const hasBridgeConfig = Object.keys(rest).length > 0;
  if (policy.userMayEditSettings && hasBridgeConfig) {
    throw new ConfigError(
      absolute,
      'policy.userMayEditSettings',
      `is true, so the user's own settings are used: remove ${Object.keys(rest)
        .map((key) => `"${key}"`)
        .join(', ')} or set it to false`,
    );
  }
  return { policy, bridgeConfig: policy.userMayEditSettings ? null : rest };
}
