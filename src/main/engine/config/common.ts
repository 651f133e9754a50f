import * as z from 'zod';

/** Profile ids appear in the tray menu, logs and the call log: short, stable, readable. */
export const profileId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'expected 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
  );

export const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');

/** ws:// or wss:// URL. */
export const webSocketUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}, 'expected a ws:// or wss:// URL');

/** Number pattern with * (any run of characters) and ? (one character), e.g. "0900*". */
export const numberPattern = z.string().regex(/^[0-9*#?+]{1,32}$/, 'expected digits with * and ? wildcards');

export const dialRulesSchema = z
  .object({
    /** Prefix put in front of external numbers to get an outside line, e.g. "9". */
    outsideLinePrefix: z
      .string()
      .regex(/^[0-9*#]{0,8}$/, 'expected up to 8 digits')
      .default(''),
    /** Numbers up to this many digits are internal extensions: no outside-line prefix. */
    internalMaxDigits: z.number().int().min(0).max(12).default(0),
    /** The site's own country code, e.g. "44": "+44 20…" becomes nationalPrefix + "20…". */
    countryCode: z
      .string()
      .regex(/^[0-9]{1,4}$/, 'expected 1-4 digits')
      .nullable()
      .default(null),
    nationalPrefix: z
      .string()
      .regex(/^[0-9]{0,4}$/, 'expected up to 4 digits')
      .default('0'),
    /** What a leading "+" of a foreign number becomes, e.g. "00"; null sends the "+" as it is. */
    internationalPrefix: z
      .string()
      .regex(/^[0-9]{0,4}$/, 'expected up to 4 digits')
      .nullable()
      .default(null),
    /** Numbers never to dial (checked before and after rewriting), e.g. premium "0900*". */
    blockedPatterns: z.array(numberPattern).default([]),
  })
  .strict();

export type DialRules = z.output<typeof dialRulesSchema>;

/** Keys every profile accepts. */
export const profileBase = {
  id: profileId,
  name: nonEmpty,
  dialRules: dialRulesSchema.prefault({}),
};

/** TLS trust keys of every profile that connects over TLS (contract). */
export const tlsClientKeys = {
  caFile: z.string().min(1).nullable().default(null),
  rejectUnauthorized: z.boolean().default(true),
};
