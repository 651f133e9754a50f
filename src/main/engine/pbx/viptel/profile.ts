import * as z from 'zod';
import { nonEmpty, profileBase, tlsClientKeys, webSocketUrl } from '../../config/common';

export const viptelProfileSchema = z
  .object({
    ...profileBase,
    ...tlsClientKeys,
    type: z.literal('viptel'),
    url: webSocketUrl.default('wss://pbxmanager.viptel.sk:8088'),
    username: nonEmpty,
    password: z.string().min(1, 'expected the VIPTel API password'),
    /** The operator's extension: calls are placed from it and events are filtered to it. */
    extension: z
      .union([z.string(), z.number().int().nonnegative()], {
        error: 'expected the extension number (digits)',
      })
      .transform(String)
      .pipe(z.string().regex(/^[0-9]{1,15}$/, 'expected the extension number (digits)')),
    callerId: z.string().min(1).nullable().default(null),
  })
  .strict();

export type ViptelProfile = z.output<typeof viptelProfileSchema>;
