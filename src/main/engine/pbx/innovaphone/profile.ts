import * as z from 'zod';
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
    /**
     * Q.850 cause sent with UserClear when hanging up: 16 (normal clearing) leaves the phone in
     * "disconnected" with a busy tone until on-hook; 26 (non-selected user clearing) clears it silently.
     */
    clearCause: z.number().int().min(1).max(127).default(16),
  })
  .strict();

export type InnovaphoneProfile = z.output<typeof innovaphoneProfileSchema>;
