import { z } from 'zod';
import { nonEmpty, profileBase, tlsClientKeys, webSocketUrl } from '../../config/common';

export const innovaphoneProfileSchema = z
  .object({
    ...profileBase,
    ...tlsClientKeys,
    type: z.literal('innovaphone'),
    url: webSocketUrl,
    /** Name of the App object on the PBX (RCC enabled). */
    app: nonEmpty,
    /** The App object's password. */
    password: z.string().min(1, "expected the App object's password"),
    /** Long Name (cn) of the operator's PBX user to monitor and dial from. */
    user: nonEmpty,
  })
  .strict();

export type InnovaphoneProfile = z.output<typeof innovaphoneProfileSchema>;
