// Argument schemas for every invoke channel: whatever the renderer sends is checked before main acts on it.
import * as z from 'zod';
import type { DiallerApi, InvokeChannel } from '../../../shared/ipc-contract';

const text = (max: number) => z.string().max(max);
const profileId = z.string().min(1).max(64);
/** Key paths such as "extension" or "dialRules.outsideLinePrefix" (no "__proto__" tricks). */
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}(\.[A-Za-z][A-Za-z0-9_]{0,63}){0,3}$/);
const scalar = z.union([text(4096), z.number(), z.boolean(), z.null()]);
/** A JSON field's object (Harmony's `protocol`): plain JSON, at most 8 deep and 64 KB, no prototype keys. */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => isJsonTree(value, 0) && isPlainObject(value) && JSON.stringify(value).length <= 65_536,
  'expected a JSON object',
);
const fieldValue = z.union([
  scalar,
  z.array(z.union([scalar, z.record(fieldName, scalar)])).max(200),
  jsonObject,
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isJsonTree(value: unknown, depth: number): boolean {
  if (value === null || ['string', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth >= 8) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonTree(item, depth + 1));
  if (!isPlainObject(value)) return false;
  return Object.entries(value).every(
    ([key, item]) => !['__proto__', 'prototype', 'constructor'].includes(key) && isJsonTree(item, depth + 1),
  );
}

const profileInput = z.object({
  id: text(64),
  name: text(200),
  type: text(64),
  fields: z.record(fieldName, fieldValue),
  secrets: z.record(fieldName, text(4096).optional()),
});

const patriotInput = z.object({
  mode: z.enum(['server', 'client']),
  port: z.number().int(),
  allowedOrigins: z.array(text(512)).max(100),
  connectUrl: text(2048).nullable(),
  connectFingerprint256: text(200).nullable().optional(),
  connectApiKey: text(256).optional(),
});

type Args<K extends InvokeChannel> = Parameters<DiallerApi[K]>;

/** Exactly the arguments each DiallerApi method takes; extra arguments are refused. */
export const INVOKE_ARGS: { [K in InvokeChannel]: z.ZodType<Args<K>> } = {
  getSnapshot: z.tuple([]),
  dial: z.tuple([z.string().trim().min(1).max(64)]),
  hangup: z.tuple([]),
  switchProfile: z.tuple([profileId]),
  retryPbx: z.tuple([]),
  getRecentCalls: z.tuple([z.number().int().min(1).max(1000)]),
  getSettings: z.tuple([]),
  saveProfile: z.tuple([profileInput]),
  deleteProfile: z.tuple([profileId]),
  savePatriotSettings: z.tuple([patriotInput]),
  copyApiKey: z.tuple([]),
  regenerateApiKey: z.tuple([]),
  getCertificateInfo: z.tuple([]),
  trustCertificate: z.tuple([]),
  setStartAtLogin: z.tuple([z.boolean()]),
  openLogsFolder: z.tuple([]),
  saveDiagnosticTrace: z.tuple([]),
  // Same bounds as a dial from the window.
  runSiteCheck: z.tuple([z.object({ dialNumber: z.string().trim().min(1).max(64).nullable() }).strict()]),
  copySiteCheckReport: z.tuple([]),
  saveSiteCheckReport: z.tuple([]),
};
