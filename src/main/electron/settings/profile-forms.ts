// Describes each PBX profile type for the settings form, derived from the engine's zod schema so a new
// profile type shows up without changes here. Field names are key paths ("dialRules.outsideLinePrefix").
import * as z from 'zod';
import type { ProfileTypeInfo } from '../../../shared/ipc-contract';
import { profileSchema } from '../../engine/config/schema';
import { isSecretKey } from '../../engine/log/redact';

type FormField = ProfileTypeInfo['fields'][number];

/** Keys every profile has, edited by the form's own inputs. */
const FIXED_KEYS = new Set(['id', 'name', 'type']);

const TYPE_LABELS: Record<string, string> = {
  simulator: 'Simulator (demo, no PBX)',
  viptel: 'VIPTel',
  innovaphone: 'innovaphone',
  basix: 'Brastel Basix',
  harmony: 'OpenMethods Harmony',
};

/** Objects edited whole, as JSON text, by IT (not flattened into one input per key). */
const JSON_FIELDS = new Set(['protocol']);

/** Field text that differs by PBX type (checked before FIELD_TEXT). */
const TYPE_FIELD_TEXT: Record<string, Record<string, { label: string; help?: string }>> = {
  basix: {
    url: {
      label: 'Basix server',
      help: 'https:// address of the Basix server, e.g. https://bcs.brastel.com',
    },
    domain: { label: 'Basix domain', help: 'Your Basix domain, e.g. example.basix.ne.jp' },
    token: { label: 'API token' },
    appName: { label: 'App name', help: 'Basix allows 2 CTI connections per user and app name' },
    userName: { label: 'Your Basix user', help: 'Calls are placed from this Basix user name' },
    forced: {
      label: 'Take over the CTI connection',
      help: 'Disconnects another program that uses the same user and app name: leave off unless told to',
    },
  },
  harmony: {
    url: {
      label: 'Harmony server',
      help: 'tcp:// or tls:// address of the Harmony Integration Server',
    },
    agentId: { label: 'Agent id', help: 'Your CTI agent id in Harmony' },
    password: { label: 'Agent password' },
    extension: {
      label: 'Your extension',
      help: 'The phone (Telephony channel endpoint) calls are placed from',
    },
    model: { label: 'Call model', help: 'Empty: the Interaction Processor’s default' },
    overrideExistingSession: {
      label: 'Take over a session signed in elsewhere',
      help: 'Signs this agent out of another desk or program: leave off unless told to',
    },
    protocol: {
      label: 'Wire profile (JSON, for IT)',
      help: 'Only the settings that differ from the default wire profile, e.g. {"commands": {"release": "conversation.hangup"}}. Empty: the defaults.',
    },
  },
};

const FIELD_TEXT: Record<string, { label: string; help?: string }> = {
  url: { label: 'PBX address', help: 'wss:// URL of the PBX WebSocket API' },
  username: { label: 'API user name' },
  password: { label: 'Password' },
  extension: { label: 'Your extension', help: 'Calls are placed from this extension' },
  callerId: { label: 'Caller ID', help: 'Optional number shown to the called party' },
  app: { label: 'App object name', help: 'Name of the App object on the PBX (RCC enabled)' },
  user: { label: 'PBX user', help: 'Long Name (cn) of your PBX user' },
  caFile: { label: 'CA certificate file', help: 'Optional: trust a private CA for the PBX certificate' },
  rejectUnauthorized: {
    label: 'Verify the PBX certificate',
    help: 'Turn off only for lab setups: anyone on the network could impersonate the PBX',
  },
  'dialRules.outsideLinePrefix': { label: 'Outside line prefix', help: 'e.g. 9' },
  'dialRules.internalMaxDigits': {
    label: 'Internal numbers up to (digits)',
    help: 'Numbers this short are extensions: no outside line prefix',
  },
  'dialRules.countryCode': { label: 'Country code of this site', help: 'e.g. 44' },
  'dialRules.nationalPrefix': { label: 'National prefix', help: 'Replaces +<country code>, e.g. 0' },
  'dialRules.internationalPrefix': { label: 'International prefix', help: 'Replaces a leading +, e.g. 00' },
  ringAfterMs: { label: 'Ring after (ms)' },
  answerAfterMs: { label: 'Answer after (ms)' },
  remoteHangupAfterMs: { label: 'Far end hangs up after (ms)', help: 'Empty: never' },
};

interface JsonSchema {
  type?: string;
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function kindOf(key: string, schema: JsonSchema): FormField['kind'] | null {
  const branches = (schema.anyOf ?? [schema]).filter((branch) => branch.type !== 'null');
  const types = new Set(branches.map((branch) => branch.type));
  if (types.size === 1 && types.has('boolean')) return 'checkbox';
  if ([...types].every((type) => type === 'integer' || type === 'number')) return 'number';
  if (!types.has('string')) return null; // arrays and objects are kept but not edited in the form
  return /url$/i.test(key) ? 'url' : 'text';
}

function collectFields(schema: JsonSchema, prefix: string, out: FormField[], type: string): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const name = prefix + key;
    if (FIXED_KEYS.has(name) || isSecretKey(key)) continue;
    const whole = JSON_FIELDS.has(name);
    if (property.type === 'object' && property.properties && !whole) {
      collectFields(property, `${name}.`, out, type);
      continue;
    }
    const kind = whole ? 'json' : kindOf(key, property);
    if (!kind) continue;
    const text = TYPE_FIELD_TEXT[type]?.[name] ?? FIELD_TEXT[name] ?? { label: humanise(key) };
    const required = (schema.required ?? []).includes(key) && property.default === undefined;
    const fallback = property.default;
    const hasDefault =
      !whole && (fallback === null || ['string', 'number', 'boolean'].includes(typeof fallback));
    out.push({
      name,
      label: text.label,
      kind,
      required,
      ...(text.help ? { help: text.help } : {}),
      ...(hasDefault ? { default: fallback as string | number | boolean | null } : {}),
    });
  }
}

/** PBX-specific fields first, then certificate options, then dial rules. */
function formOrder(name: string): number {
  if (name.includes('.')) return 2;
  return name === 'caFile' || name === 'rejectUnauthorized' ? 1 : 0;
}

function describeType(option: (typeof profileSchema.options)[number]): ProfileTypeInfo {
  const type = option.shape.type.value;
  const schema = z.toJSONSchema(option, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fields: FormField[] = [];
  collectFields(schema, '', fields, type);
  fields.sort((a, b) => formOrder(a.name) - formOrder(b.name));
  const secretFields = Object.keys(schema.properties ?? {})
    .filter((key) => isSecretKey(key))
    .map((name) => ({
      name,
      label: TYPE_FIELD_TEXT[type]?.[name]?.label ?? FIELD_TEXT[name]?.label ?? humanise(name),
    }));
  return { type, label: TYPE_LABELS[type] ?? humanise(type), fields, secretFields };
}

let cached: ProfileTypeInfo[] | null = null;

export function profileTypeInfos(): ProfileTypeInfo[] {
  cached ??= profileSchema.options.map(describeType);
  return cached;
}

export function profileTypeInfo(type: string): ProfileTypeInfo | null {
  return profileTypeInfos().find((info) => info.type === type) ?? null;
}

export function secretFieldNames(type: string): string[] {
  return profileTypeInfo(type)?.secretFields.map((field) => field.name) ?? [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Key paths of a type's fields edited whole as JSON (e.g. Harmony's "protocol"). */
export function jsonFieldNames(type: string): ReadonlySet<string> {
  const fields = profileTypeInfo(type)?.fields ?? [];
  return new Set(fields.filter((field) => field.kind === 'json').map((field) => field.name));
}

/**
 * `{dialRules: {outsideLinePrefix: '9'}}` → `{'dialRules.outsideLinePrefix': '9'}`; arrays and the key
 * paths in `whole` stay whole.
 */
export function flattenFields(
  fields: Record<string, unknown>,
  whole: ReadonlySet<string> = new Set(),
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (isPlainObject(value) && Object.keys(value).length > 0 && !whole.has(prefix + key)) {
      Object.assign(out, flattenFields(value, whole, `${prefix}${key}.`));
    } else out[prefix + key] = value;
  }
  return out;
}

const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function unflattenFields(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const keys = name.split('.');
    if (keys.some((key) => UNSAFE_KEYS.has(key))) continue;
    const last = keys.pop()!;
    let target = out;
    for (const key of keys) {
      const next = target[key];
      target = isPlainObject(next) ? next : (target[key] = {});
    }
    target[last] = value;
  }
  return out;
}

/**
 * Form values to config values: empty inputs mean "not set", number inputs may arrive as text, a JSON field
 * as an object (an empty one is "not set") or as its JSON text.
 */
export function normaliseFormValue(kind: FormField['kind'] | undefined, value: unknown): unknown {
  if (value === '' || value === null || value === undefined) return undefined;
  if (kind === 'json') return jsonFieldValue(value);
  if (kind === 'number' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    return Number(value.trim());
  }
  return value;
}

function jsonFieldValue(value: unknown): unknown {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return value; // the schema then says it expected an object
    }
  }
  return isPlainObject(parsed) && Object.keys(parsed).length === 0 ? undefined : parsed;
}
