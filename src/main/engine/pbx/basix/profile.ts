import * as z from 'zod';
import { nonEmpty, profileBase, tlsClientKeys } from '../../config/common';

/** https:// (ws_cti over wss) or http:// (ws, lab setups and tests); only scheme, host and port are used. */
const basixServerUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'expected an https:// URL of the Basix server, e.g. "https://bcs.brastel.com"');

export const basixProfileSchema = z
  .object({
    ...profileBase,
    ...tlsClientKeys,
    type: z.literal('basix'),
    url: basixServerUrl.default('https://bcs.brastel.com'),
    /** The Basix domain: the user part of HTTP Basic auth DOMAIN:TOKEN, e.g. "test1.basix.ne.jp". */
    domain: nonEmpty,
    /** The domain's API token: the password part of HTTP Basic auth. */
    token: z.string().min(1, 'expected the Basix API token'),
    /** ws_cti app_name: the PBX allows 2 connections per user and app_name. */
    appName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"')
      .default('dialler-bridge'),
    /** The operator's Basix user (user_name): calls are placed from it, its channels are followed. */
    userName: nonEmpty,
    /** Take over an older connection when the limit is reached (never by default: see README). */
    forced: z.boolean().default(false),
  })
  .strict();

export type BasixProfile = z.output<typeof basixProfileSchema>;
