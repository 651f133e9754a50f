import * as z from 'zod';
import { numberPattern, profileBase } from '../../config/common';

export const simulatorProfileSchema = z
  .object({
    ...profileBase,
    type: z.literal('simulator'),
    /** Time from dial to the far end ringing. */
    ringAfterMs: z.number().int().min(0).max(600_000).default(800),
    /** Time from ringing to answer. */
    answerAfterMs: z.number().int().min(0).max(600_000).default(2_000),
    /** The far end hangs up this long after answering; null = never. */
    remoteHangupAfterMs: z.number().int().min(0).max(86_400_000).nullable().default(null),
    busyNumbers: z.array(numberPattern).default(['*86']),
    unreachableNumbers: z.array(numberPattern).default(['*99']),
    noAnswerNumbers: z.array(numberPattern).default(['*77']),
    /** Inbound calls the simulator produces by itself, e.g. for a demo. */
    inboundCalls: z
      .array(
        z
          .object({
            from: z.string().regex(/^\+?[0-9*#]{1,32}$/, 'expected a phone number'),
            afterMs: z.number().int().min(0),
            /** Far end hangs up after ringing this long unless answered; answered calls follow remoteHangupAfterMs. */
            ringForMs: z.number().int().min(0).default(10_000),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type SimulatorProfile = z.output<typeof simulatorProfileSchema>;
