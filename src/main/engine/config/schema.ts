import * as z from 'zod';
import { profileId } from './common';
import { simulatorProfileSchema } from '../pbx/simulator/profile';
import { viptelProfileSchema } from '../pbx/viptel/profile';
import { innovaphoneProfileSchema } from '../pbx/innovaphone/profile';
import { basixProfileSchema } from '../pbx/basix/profile';
import { harmonyProfileSchema } from '../pbx/harmony/profile';

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9009, path: '/ws/dialler/v1' } as const;

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'expected an origin such as "https://ica.example.com" (scheme, host and port only, no path or trailing slash)');

const apiKey = z.string().min(8, 'expected an API key of at least 8 characters').max(256);

const patriotSchema = z
  .object({
    mode: z.enum(['server', 'client']).default('server'),
    listen: z
      .object({
        host: z.string().min(1).default(DEFAULT_LISTEN.host),
        // 0 picks a free port (tests).
        port: z.number().int().min(0).max(65_535).default(DEFAULT_LISTEN.port),
        path: z.string().startsWith('/', 'expected a path starting with "/"').default(DEFAULT_LISTEN.path),
      })
      .strict()
      .prefault({}),
    apiKeys: z.array(apiKey).default([]),
    allowedOrigins: z.array(origin).default([]),
    tls: z
      .object({
        certFile: z.string().min(1).nullable().default(null),
        keyFile: z.string().min(1).nullable().default(null),
      })
      .strict()
      .prefault({})
      .refine((tls) => (tls.certFile === null) === (tls.keyFile === null), {
        message: 'expected both certFile and keyFile, or neither (to use the generated certificate)',
      }),
    connect: z
      .object({
        url: z
          .string()
          .refine(
            (value) => /^wss?:\/\//.test(value) && URL.canParse(value),
            'expected a ws:// or wss:// URL',
          ),
        apiKey,
        caFile: z.string().min(1).nullable().default(null),
        fingerprint256: z
          .string()
          .regex(
            /^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
            'expected a SHA-256 fingerprint (64 hex digits, colons allowed)',
          )
          .nullable()
          .default(null),
      })
      .strict()
      .optional(),
    /** Largest accepted Patriot frame; larger frames close the connection (1009). */
    maxPayloadBytes: z.number().int().min(1_024).max(1_048_576).default(65_536),
  })
  .strict()
  .superRefine((patriot, ctx) => {
    if (patriot.mode === 'client' && !patriot.connect) {
      ctx.addIssue({
        code: 'custom',
        path: ['connect'],
        message: 'expected {url, apiKey} when mode is "client"',
      });
    }
  });

export const profileSchema = z.discriminatedUnion('type', [
  simulatorProfileSchema,
  viptelProfileSchema,
  innovaphoneProfileSchema,
  basixProfileSchema,
  harmonyProfileSchema,
]);

export const PROFILE_TYPES = profileSchema.options.map((option) => option.shape.type.value);

const dialingSchema = z
  .object({
    /** A dial-request while a call is live: "reject" keeps the live call, "replace" hangs it up first. */
    whileActive: z.enum(['reject', 'replace']).default('reject'),
    /** An identical dial-request within this window is the same call. */
    duplicateWindowMs: z.number().int().min(0).max(60_000).default(2_000),
    /** A dial the PBX has not accepted by then is reported as failed (contract: within 2 s). */
    acceptTimeoutMs: z.number().int().min(100).max(60_000).default(1_800),
    /** At most `dials` dial-requests per `perSeconds` reach the PBX (each is a real, maybe charged, call); 0 = off. */
    rateLimit: z
      .object({
        dials: z.number().int().min(0).max(1_000).default(20),
        perSeconds: z.number().int().min(1).max(3_600).default(10),
      })
      .strict()
      .default({ dials: 20, perSeconds: 10 }),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    dataDir: z.string().min(1).optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    patriot: patriotSchema.prefault({}),
    dialing: dialingSchema.prefault({}),
    callLog: z
      .object({ maxBytes: z.number().int().min(16_384).max(1_073_741_824).default(5_242_880) })
      .strict()
      .prefault({}),
    activeProfile: profileId,
    profiles: z.array(profileSchema).min(1, 'expected at least one profile'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.profiles.forEach((profile, index) => {
      const first = seen.get(profile.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['profiles', index, 'id'],
          message: `expected a unique id; "${profile.id}" is also used by profiles[${first}]`,
        });
      } else seen.set(profile.id, index);
    });
    if (!seen.has(config.activeProfile)) {
      ctx.addIssue({
        code: 'custom',
        path: ['activeProfile'],
        message: `expected the id of a profile (${[...seen.keys()].map((id) => `"${id}"`).join(', ')})`,
      });
    }
  });

export type BridgeConfig = z.output<typeof configSchema>;
export type BridgeConfigInput = z.input<typeof configSchema>;
export type PatriotConfig = BridgeConfig['patriot'];
export type DialingConfig = BridgeConfig['dialing'];
export type ProfileConfig = z.output<typeof profileSchema>;
export type ProfileType = ProfileConfig['type'];
