import { describe, expect, it } from 'vitest';
import type { ProfileSettings, ProfileTypeInfo } from '../../../src/shared/ipc-contract';
import {
  checkDraft,
  draftFromProfile,
  draftToInput,
  newDraft,
  profileIdFromName,
  withType,
} from '../../../src/renderer/logic/profile-form';

const VIPTEL: ProfileTypeInfo = {
  type: 'viptel',
  label: 'VIPTel',
  fields: [
    { name: 'url', label: 'PBX address', kind: 'url', required: true },
    { name: 'extension', label: 'Extension', kind: 'text', required: true },
    { name: 'callerId', label: 'Caller ID', kind: 'text', required: false },
    { name: 'timeoutSec', label: 'Timeout', kind: 'number', required: false },
    { name: 'dialRules.outsideLinePrefix', label: 'Outside line prefix', kind: 'text', required: false },
    { name: 'rejectUnauthorized', label: 'Check the certificate', kind: 'checkbox', required: false },
  ],
  secretFields: [{ name: 'password', label: 'Password' }],
};
const SIMULATOR: ProfileTypeInfo = { type: 'simulator', label: 'Simulator', fields: [], secretFields: [] };

const OFFICE: ProfileSettings = {
  id: 'office',
  name: 'Office',
  type: 'viptel',
  fields: {
    url: 'wss://pbx.example.com',
    extension: '12',
    callerId: null,
    timeoutSec: 30,
    // Main sends fields by key path.
    'dialRules.outsideLinePrefix': '9',
    'dialRules.nationalPrefix': '0',
    caFile: 'C:\\certs\\pbx.pem',
  },
  secrets: { password: { stored: true } },
};

describe('draftFromProfile', () => {
  it('shows stored values as typed text and never carries a secret', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    expect(draft.values).toEqual({
      url: 'wss://pbx.example.com',
      extension: '12',
      callerId: '',
      timeoutSec: '30',
      'dialRules.outsideLinePrefix': '9',
      rejectUnauthorized: false,
    });
    expect(draft.secrets).toEqual({});
    expect(draft.isNew).toBe(false);
  });
});

describe('checkDraft', () => {
  it('passes a complete profile', () => {
    expect(checkDraft(draftFromProfile(OFFICE, VIPTEL), VIPTEL)).toEqual({});
  });

  it('asks for the name and every required field', () => {
    const draft = newDraft(VIPTEL);
    expect(checkDraft(draft, VIPTEL)).toEqual({
      name: 'Name is required.',
      url: 'PBX address is required.',
      extension: 'Extension is required.',
    });
  });

  it('checks numbers and addresses', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    draft.values.timeoutSec = '30s';
    draft.values.url = 'pbx.example.com';
    expect(checkDraft(draft, VIPTEL)).toEqual({
      timeoutSec: 'Timeout must be a number.',
      url: 'PBX address must be a full address, such as wss://pbx.example.com',
    });
  });

  it('asks for a type when none is known', () => {
    expect(checkDraft({ ...newDraft(undefined), name: 'X' }, undefined)).toEqual({
      type: 'Choose a PBX type.',
    });
  });
});

describe('draftToInput', () => {
  it('keeps fields the form does not show, converts numbers and leaves out empty optional fields', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    draft.values.extension = ' 14 ';
    draft.values['dialRules.outsideLinePrefix'] = '0';
    const input = draftToInput(draft, VIPTEL, ['office']);
    expect(input).toEqual({
      id: 'office',
      name: 'Office',
      type: 'viptel',
      fields: {
        url: 'wss://pbx.example.com',
        extension: '14',
        timeoutSec: 30,
        'dialRules.outsideLinePrefix': '0',
        'dialRules.nationalPrefix': '0',
        caFile: 'C:\\certs\\pbx.pem',
      },
      secrets: {},
    });
  });

  it('sends null for a field the user emptied, so main unsets the stored value', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    draft.values.timeoutSec = ' ';
    draft.values['dialRules.outsideLinePrefix'] = '';
    const { fields } = draftToInput(draft, VIPTEL, []);
    expect(fields.timeoutSec).toBeNull();
    expect(fields['dialRules.outsideLinePrefix']).toBeNull();
    expect(fields).not.toHaveProperty('callerId'); // stored as null: nothing to unset
  });

  it('reads nested stored values as well as key paths', () => {
    const nested = { ...OFFICE, fields: { dialRules: { outsideLinePrefix: '7' } } };
    expect(draftFromProfile(nested, VIPTEL).values['dialRules.outsideLinePrefix']).toBe('7');
  });

  it('sends a secret only when one was typed', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    expect(draftToInput(draft, VIPTEL, []).secrets).toEqual({});
    draft.secrets.password = 'n3w';
    expect(draftToInput(draft, VIPTEL, []).secrets).toEqual({ password: 'n3w' });
    draft.secrets.password = '';
    expect(draftToInput(draft, VIPTEL, []).secrets).toEqual({});
  });

  it('leaves an absent flag absent unless ticked, and keeps a stored flag as set', () => {
    const draft = draftFromProfile(OFFICE, VIPTEL);
    expect(draftToInput(draft, VIPTEL, []).fields).not.toHaveProperty('rejectUnauthorized');
    draft.values.rejectUnauthorized = true;
    expect(draftToInput(draft, VIPTEL, []).fields.rejectUnauthorized).toBe(true);
    const stored = draftFromProfile(
      { ...OFFICE, fields: { ...OFFICE.fields, rejectUnauthorized: true } },
      VIPTEL,
    );
    stored.values.rejectUnauthorized = false;
    expect(draftToInput(stored, VIPTEL, []).fields.rejectUnauthorized).toBe(false);
  });

  it('shows an absent flag at the bridge default and sends it only when changed from it', () => {
    const withDefault: ProfileTypeInfo = {
      ...VIPTEL,
      fields: VIPTEL.fields.map((field) =>
        field.name === 'rejectUnauthorized' ? { ...field, default: true } : field,
      ),
    };
    const draft = draftFromProfile(OFFICE, withDefault);
    expect(draft.values.rejectUnauthorized).toBe(true);
    expect(draftToInput(draft, withDefault, []).fields).not.toHaveProperty('rejectUnauthorized');
    draft.values.rejectUnauthorized = false;
    expect(draftToInput(draft, withDefault, []).fields.rejectUnauthorized).toBe(false);
    expect(newDraft(withDefault).values.rejectUnauthorized).toBe(true);
  });

  it('gives a new profile an id made from its name', () => {
    const draft = { ...newDraft(SIMULATOR), name: ' Demo PBX ' };
    expect(draftToInput(draft, SIMULATOR, ['demo-pbx'])).toEqual({
      id: 'demo-pbx-2',
      name: 'Demo PBX',
      type: 'simulator',
      fields: {},
      secrets: {},
    });
  });
});

const HARMONY: ProfileTypeInfo = {
  type: 'harmony',
  label: 'OpenMethods Harmony',
  fields: [{ name: 'protocol', label: 'Wire profile', kind: 'json', required: false }],
  secretFields: [],
};

describe('a JSON field', () => {
  const withProtocol = (protocol: unknown): ProfileSettings => ({
    id: 'cc',
    name: 'Contact centre',
    type: 'harmony',
    fields: { protocol },
    secrets: {},
  });

  it('shows the stored object as indented JSON and sends it back as the object', () => {
    const protocol = { commands: { release: 'conversation.hangup' } };
    const draft = draftFromProfile(withProtocol(protocol), HARMONY);
    expect(draft.values.protocol).toBe(JSON.stringify(protocol, null, 2));
    expect(checkDraft({ ...draft }, HARMONY)).toEqual({});
    draft.values.protocol = '{"framing": {"lengthByteOrder": "little"}}';
    expect(draftToInput(draft, HARMONY, []).fields.protocol).toEqual({
      framing: { lengthByteOrder: 'little' },
    });
  });

  it('is empty for the defaults; emptied, it is sent as null', () => {
    expect(newDraft(HARMONY).values.protocol).toBe('');
    expect(draftToInput({ ...newDraft(HARMONY), name: 'x' }, HARMONY, []).fields).toEqual({});
    const draft = draftFromProfile(withProtocol({ calls: { busyStates: ['BUSY'] } }), HARMONY);
    draft.values.protocol = '  ';
    expect(draftToInput(draft, HARMONY, []).fields.protocol).toBeNull();
  });

  it('names the line and column of a syntax error, and wants an object', () => {
    const draft = { ...newDraft(HARMONY), name: 'x' };
    draft.values.protocol = '{\n  "commands": {\n    release: "x"\n  }\n}';
    expect(checkDraft(draft, HARMONY).protocol).toMatch(/^Not valid JSON at line 3, column 5: /);
    draft.values.protocol = '\n\n{ "a": tru }';
    expect(checkDraft(draft, HARMONY).protocol).toMatch(/^Not valid JSON at line 3, column 8: /);
    draft.values.protocol = '{"commands": {';
    expect(checkDraft(draft, HARMONY).protocol).toMatch(/^Not valid JSON at line 1, column 15: /);
    draft.values.protocol = '["commands"]';
    expect(checkDraft(draft, HARMONY).protocol).toBe('Expected a JSON object: { … }');
  });
});

describe('withType', () => {
  it('starts the fields of the new type afresh and keeps the name', () => {
    const draft = { ...newDraft(VIPTEL), name: 'Lab' };
    draft.values.url = 'wss://x';
    draft.secrets.password = 'typed';
    const changed = withType(draft, SIMULATOR);
    expect(changed).toMatchObject({ name: 'Lab', type: 'simulator', values: {}, secrets: {} });
  });
});

describe('profileIdFromName', () => {
  it.each([
    ['Office (VIPTel)', [], 'office-viptel'],
    ['Zákaznícke centrum', [], 'zakaznicke-centrum'],
    ['!!!', [], 'profile'],
    ['HQ', ['hq', 'hq-2'], 'hq-3'],
  ])('%j → %j', (name, taken, id) => {
    expect(profileIdFromName(name, taken)).toBe(id);
  });

  it('makes ids the config accepts', () => {
    const id = profileIdFromName('x'.repeat(200), []);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
  });
});
