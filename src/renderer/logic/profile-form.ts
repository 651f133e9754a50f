import type {
  FieldErrors,
  ProfileSettings,
  ProfileSettingsInput,
  ProfileTypeInfo,
} from '../../shared/ipc-contract';
import { valueAtPath } from './field-path';
import { jsonFieldText, parseJsonField } from './json-field';

export type FieldKind = ProfileTypeInfo['fields'][number]['kind'];

/** The profile form as the user edits it: every value as typed, secrets only when typed. */
export interface ProfileDraft {
  /** Empty for a new profile until it is saved (then derived from the name). */
  id: string;
  isNew: boolean;
  name: string;
  type: string;
  values: Record<string, string | boolean>;
  /** Typed secrets; an empty string means "keep the stored one". */
  secrets: Record<string, string>;
  /** Fields of the stored profile the form does not show; saved back unchanged. */
  baseFields: Record<string, unknown>;
}

export const NAME_FIELD = 'name';

function formValue(kind: FieldKind, value: unknown): string | boolean {
  if (kind === 'checkbox') return value === true;
  if (kind === 'json') return jsonFieldText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function emptyValues(typeInfo: ProfileTypeInfo | undefined): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const field of typeInfo?.fields ?? []) values[field.name] = formValue(field.kind, field.default);
  return values;
}

/** Main sends fields by key path ("dialRules.outsideLinePrefix"); nested objects are read too. */
function storedValue(fields: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(fields, name) ? fields[name] : valueAtPath(fields, name);
}

export function draftFromProfile(
  profile: ProfileSettings,
  typeInfo: ProfileTypeInfo | undefined,
): ProfileDraft {
  const values: Record<string, string | boolean> = {};
  for (const field of typeInfo?.fields ?? []) {
    values[field.name] = formValue(field.kind, storedValue(profile.fields, field.name) ?? field.default);
  }
  return {
    id: profile.id,
    isNew: false,
    name: profile.name,
    type: profile.type,
    values,
    secrets: {},
    baseFields: profile.fields,
  };
}

export function newDraft(typeInfo: ProfileTypeInfo | undefined): ProfileDraft {
  return {
    id: '',
    isNew: true,
    name: '',
    type: typeInfo?.type ?? '',
    values: emptyValues(typeInfo),
    secrets: {},
    baseFields: {},
  };
}

/** A new profile's type changed: start its fields afresh, keep the name. */
export function withType(draft: ProfileDraft, typeInfo: ProfileTypeInfo | undefined): ProfileDraft {
  return { ...draft, type: typeInfo?.type ?? draft.type, values: emptyValues(typeInfo), secrets: {} };
}

function isWebAddress(text: string): boolean {
  try {
    new URL(text);
    return /^[a-z][a-z0-9+.-]*:\/\/./i.test(text);
  } catch {
    return false;
  }
}

/** Client-side checks: required fields, numbers, addresses. Keys are field names, as the server's. */
export function checkDraft(draft: ProfileDraft, typeInfo: ProfileTypeInfo | undefined): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.name.trim()) errors[NAME_FIELD] = 'Name is required.';
  if (!typeInfo) errors.type = 'Choose a PBX type.';
  for (const field of typeInfo?.fields ?? []) {
    const value = draft.values[field.name];
    if (field.kind === 'checkbox' || typeof value !== 'string') continue;
    const text = value.trim();
    if (!text) {
      if (field.required) errors[field.name] = `${field.label} is required.`;
    } else if (field.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(text)) {
      errors[field.name] = `${field.label} must be a number.`;
    } else if (field.kind === 'json') {
      const parsed = parseJsonField(value); // untrimmed: lines and columns as IT sees them
      if (!parsed.ok) errors[field.name] = parsed.message;
    } else if (field.kind === 'url' && !isWebAddress(text)) {
      errors[field.name] = `${field.label} must be a full address, such as wss://pbx.example.com`;
    }
  }
  return errors;
}

/** "Office (VIPTel)" → "office-viptel"; made unique against `taken`, and valid as a profile id. */
export function profileIdFromName(name: string, taken: readonly string[]): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'profile';
  let id = slug;
  for (let n = 2; taken.includes(id); n += 1) id = `${slug}-${n}`;
  return id;
}

/**
 * What is sent to saveProfile, by key path: typed values converted, empty fields left out (or null when the
 * profile had a value, so main unsets it), a JSON field as its object, untyped secrets omitted.
 */
export function draftToInput(
  draft: ProfileDraft,
  typeInfo: ProfileTypeInfo | undefined,
  takenIds: readonly string[],
): ProfileSettingsInput {
  const fields: Record<string, unknown> = { ...draft.baseFields };
  for (const field of typeInfo?.fields ?? []) {
    const value = draft.values[field.name];
    const stored = storedValue(draft.baseFields, field.name);
    let converted: unknown;
    if (field.kind === 'checkbox') {
      // An absent flag stays absent while it shows its default: the default lives in main.
      const shownDefault = (field.default ?? false) === (value === true);
      converted = stored === undefined && shownDefault ? undefined : value === true;
    } else if (field.kind === 'json' && typeof value === 'string') {
      const parsed = parseJsonField(value);
      converted = parsed.ok ? (parsed.value ?? undefined) : value;
    } else if (typeof value === 'string' && value.trim()) {
      converted = field.kind === 'number' ? Number(value.trim()) : value.trim();
    }
    if (converted !== undefined) fields[field.name] = converted;
    else if (stored !== undefined && stored !== null) fields[field.name] = null;
    else delete fields[field.name];
  }
  const secrets: Record<string, string> = {};
  for (const secret of typeInfo?.secretFields ?? []) {
    const typed = draft.secrets[secret.name];
    if (typed) secrets[secret.name] = typed;
  }
  return {
    id: draft.isNew ? profileIdFromName(draft.name, takenIds) : draft.id,
    name: draft.name.trim(),
    type: draft.type,
    fields,
    secrets,
  };
}
