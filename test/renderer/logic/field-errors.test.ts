import { describe, expect, it } from 'vitest';
import { keyPathInWords, placeFieldErrors } from '../../../src/renderer/logic/field-errors';

describe('placeFieldErrors', () => {
  const fields = ['name', 'url', 'extension', 'dialRules.outsideLinePrefix', 'password'];

  it('puts each error next to the field it names, however the key path is wrapped', () => {
    expect(
      placeFieldErrors(
        {
          extension: 'expected digits',
          'fields.url': 'expected a ws:// or wss:// URL',
          'secrets.password': 'required for a new profile',
          'profiles[1].name': 'expected a non-empty string',
        },
        fields,
      ),
    ).toEqual({
      byField: {
        extension: 'expected digits',
        url: 'expected a ws:// or wss:// URL',
        password: 'required for a new profile',
        name: 'expected a non-empty string',
      },
      unplaced: [],
    });
  });

  it('matches nested fields and deeper key paths to the closest field', () => {
    const placed = placeFieldErrors(
      { 'dialRules.outsideLinePrefix': 'expected up to 8 digits', 'extension[0]': 'bad' },
      fields,
    );
    expect(placed.byField).toEqual({
      'dialRules.outsideLinePrefix': 'expected up to 8 digits',
      extension: 'bad',
    });
  });

  it('keeps errors no field matches, in words, for the top of the form', () => {
    expect(
      placeFieldErrors({ 'dialRules.blockedPatterns[0]': 'expected digits', '': 'whole form' }, fields),
    ).toEqual({
      byField: {},
      unplaced: ['Dial rules, blocked patterns, item 1: expected digits', 'whole form'],
    });
  });

  it('joins two errors for one field', () => {
    expect(placeFieldErrors({ url: 'too long.', 'url.host': 'unknown host.' }, fields).byField).toEqual({
      url: 'too long. unknown host.',
    });
  });

  it('says where inside a JSON field an error is', () => {
    const placed = placeFieldErrors(
      { 'profiles[0].protocol.framing.magic': 'expected 4 ASCII characters', protocol: 'bad.' },
      ['name', 'protocol'],
      {},
      ['protocol'],
    );
    expect(placed.byField).toEqual({ protocol: 'framing.magic: expected 4 ASCII characters bad.' });
  });

  it('follows aliases for other spellings of a key', () => {
    expect(
      placeFieldErrors({ 'patriot.listen.port': 'in use' }, ['port'], { 'listen.port': 'port' }).byField,
    ).toEqual({ port: 'in use' });
  });
});

describe('keyPathInWords', () => {
  it('turns key paths into words', () => {
    expect(keyPathInWords('dialRules.outsideLinePrefix')).toBe('Dial rules, outside line prefix');
    expect(keyPathInWords('apiKeys[0]')).toBe('Api keys, item 1');
  });
});
