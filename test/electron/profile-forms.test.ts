import { describe, expect, it } from 'vitest';
import { PROFILE_TYPES } from '../../src/main/engine/config/schema';
import {
  flattenFields,
  jsonFieldNames,
  normaliseFormValue,
  profileTypeInfo,
  profileTypeInfos,
  unflattenFields,
} from '../../src/main/electron/settings/profile-forms';
import { isAllowedExternalUrl } from '../../src/main/electron/web-contents-hardening';

describe('profile forms', () => {
  it('describes every profile type the engine knows', () => {
    expect(profileTypeInfos().map((info) => info.type)).toEqual(PROFILE_TYPES);
  });

  it('lists a type’s fields with kinds and required flags, and its secrets separately', () => {
    const viptel = profileTypeInfo('viptel')!;
    const byName = new Map(viptel.fields.map((field) => [field.name, field]));
    expect(byName.get('username')).toMatchObject({ kind: 'text', required: true });
    expect(byName.get('extension')).toMatchObject({ label: 'Your extension', required: true });
    expect(byName.get('url')).toMatchObject({ kind: 'url', required: false }); // has a default
    expect(byName.get('rejectUnauthorized')).toMatchObject({ kind: 'checkbox', default: true });
    expect(byName.get('dialRules.internalMaxDigits')).toMatchObject({ kind: 'number' });
    expect(byName.has('password')).toBe(false);
    expect(viptel.secretFields).toEqual([{ name: 'password', label: 'Password' }]);
    expect(viptel.fields.at(-1)!.name).toMatch(/^dialRules\./);
  });

  it('gives the Basix form its own words, the token as a sealed secret, forced off by default', () => {
    const basix = profileTypeInfo('basix')!;
    const byName = new Map(basix.fields.map((field) => [field.name, field]));
    expect(basix.label).toBe('Brastel Basix');
    expect(byName.get('url')).toMatchObject({
      label: 'Basix server',
      kind: 'url',
      default: 'https://bcs.brastel.com',
    });
    expect(byName.get('domain')).toMatchObject({ label: 'Basix domain', required: true });
    expect(byName.get('userName')).toMatchObject({ label: 'Your Basix user', required: true });
    expect(byName.get('forced')).toMatchObject({ kind: 'checkbox', default: false });
    expect(byName.has('token')).toBe(false);
    expect(basix.secretFields).toEqual([{ name: 'token', label: 'API token' }]);
  });

  it('gives Harmony its words, the password as a sealed secret and protocol as one JSON field', () => {
    const harmony = profileTypeInfo('harmony')!;
    const byName = new Map(harmony.fields.map((field) => [field.name, field]));
    expect(harmony.label).toBe('OpenMethods Harmony');
    expect(byName.get('url')).toMatchObject({
      kind: 'url',
      required: true,
      help: 'tcp:// or tls:// address of the Harmony Integration Server',
    });
    expect(byName.get('agentId')).toMatchObject({ kind: 'text', required: true });
    expect(byName.get('extension')).toMatchObject({ label: 'Your extension', required: true });
    expect(byName.get('model')).toMatchObject({ kind: 'text', required: false });
    expect(byName.get('overrideExistingSession')).toMatchObject({ kind: 'checkbox', default: false });
    expect(byName.get('overrideExistingSession')!.help).toMatch(/signs this agent out/i);
    expect(byName.get('protocol')).toMatchObject({ kind: 'json', required: false });
    expect(byName.get('protocol')).not.toHaveProperty('default');
    expect([...byName.keys()].filter((name) => name.startsWith('protocol.'))).toEqual([]);
    expect(harmony.secretFields).toEqual([{ name: 'password', label: 'Agent password' }]);
    expect(jsonFieldNames('harmony')).toEqual(new Set(['protocol']));
    expect(jsonFieldNames('viptel')).toEqual(new Set());
  });

  it('has no secret fields for the simulator', () => {
    expect(profileTypeInfo('simulator')!.secretFields).toEqual([]);
  });

  it('flattens nested config keys to key paths and back', () => {
    const fields = { url: 'wss://x', dialRules: { outsideLinePrefix: '9', blockedPatterns: ['0900*'] } };
    const flat = flattenFields(fields);
    expect(flat).toEqual({
      url: 'wss://x',
      'dialRules.outsideLinePrefix': '9',
      'dialRules.blockedPatterns': ['0900*'],
    });
    expect(unflattenFields(flat)).toEqual(fields);
  });

  it('keeps a JSON field whole when flattening', () => {
    const fields = { protocol: { calls: { busyStates: ['BUSY'] } }, dialRules: { countryCode: '44' } };
    expect(flattenFields(fields, new Set(['protocol']))).toEqual({
      protocol: { calls: { busyStates: ['BUSY'] } },
      'dialRules.countryCode': '44',
    });
  });

  it('ignores prototype-polluting key paths', () => {
    const result = unflattenFields({ '__proto__.polluted': 'yes', 'a.constructor.x': 1 });
    expect(result).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads empty inputs as "not set" and numeric text in number fields as numbers', () => {
    expect(normaliseFormValue('text', '')).toBeUndefined();
    expect(normaliseFormValue('number', ' 800 ')).toBe(800);
    expect(normaliseFormValue('text', '0800')).toBe('0800');
    expect(normaliseFormValue('checkbox', false)).toBe(false);
  });

  it('reads a JSON field as its object or its text; an empty object is "not set"', () => {
    expect(normaliseFormValue('json', { a: 1 })).toEqual({ a: 1 });
    expect(normaliseFormValue('json', '{"a": [1]}')).toEqual({ a: [1] });
    expect(normaliseFormValue('json', {})).toBeUndefined();
    expect(normaliseFormValue('json', null)).toBeUndefined();
    expect(normaliseFormValue('json', '{oops')).toBe('{oops'); // the schema then refuses it
  });
});

describe('external links', () => {
  it('opens only allow-listed https pages', () => {
    expect(isAllowedExternalUrl('https://docs.patriotsystems.com/docs/6.13/')).toBe(true);
    for (const url of [
      'http://docs.patriotsystems.com/',
      'https://docs.patriotsystems.com.evil.example/',
      'https://user:pass@docs.patriotsystems.com/',
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});
