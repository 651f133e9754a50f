// tel:/callto: links as browsers, CRMs, Outlook and web pages hand them to the protocol handler.
import { describe, expect, it } from 'vitest';
import { extractPhoneNumber, parseDialString, parsePhoneUri } from '../../src/main/engine/bridge/tel-uri';

describe('parsePhoneUri: real-world links', () => {
  it.each([
    ['tel:+44-20-7946-0018;ext=12', '+442079460018', '12'],
    ['tel:+44-20-7946-0018', '+442079460018', null],
    ['tel:+1-201-555-0123', '+12015550123', null],
    ['tel:+1.201.555.0123', '+12015550123', null],
    ['tel:+1(201)555-0123', '+12015550123', null],
    ['tel:+44%2020%207946%200018', '+442079460018', null],
    ['tel:%2B442079460018', '+442079460018', null],
    ['tel:+44 (0)20 7946 0018', '+442079460018', null],
    ['TEL:020 7946 0018', '02079460018', null],
    ['tel:7042;phone-context=example.com', '7042', null],
    ['tel:863-1234;phone-context=+1-914-555', '8631234', null],
    ['tel:*31#', '*31#', null],
    ['tel:+49-30-1234567;ext=1-2;foo=bar', '+49301234567', '12'],
    ['callto:+442079460018', '+442079460018', null],
    ['callto://+442079460018', '+442079460018', null],
    ['callto://+442079460018/', '+442079460018', null],
    ['callto:0123%20456%20789', '0123456789', null],
    ['  tel:0123456789  ', '0123456789', null],
  ])('%s dials %s', (uri, number, extension) => {
    expect(parsePhoneUri(uri)).toEqual({ ok: true, number, extension });
  });
});

describe('parsePhoneUri: refused, with the reason the operator sees', () => {
  it.each([
    ['mailto:ops@example.com', 'is not a tel: or callto: link'],
    ['https://example.com/tel:123', 'is not a tel: or callto: link'],
    ['tel:', 'there is no number in it'],
    ['tel:;ext=12', 'there is no number in it'],
    ['tel:+44%2', 'broken % escape'],
    ['tel:1-800-FLOWERS', 'contains letters'],
    ['callto://skype.user', 'contains letters'],
    ['tel:+44*123', 'a number starting with + has digits only'],
    ['tel:12+34', 'is not a phone number'],
    ['tel:0123,456', 'is not a phone number'],
    ['tel:+12', 'is too short'],
    [`tel:${'1'.repeat(33)}`, 'more than 32 digits'],
    ['tel:+44-20-7946-0018;ext=abc', 'the extension "abc" is not a number'],
    ['tel:+44-20-7946-0018;isub=1411', 'ISDN subaddresses'],
    ['tel:+44-20-7946-0018;postd=pp22', 'post-dial tones'],
    ['tel:0123%0A456', 'is not a phone number'],
  ])('%s: %s', (uri, reason) => {
    const result = parsePhoneUri(uri);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('parseDialString', () => {
  it('keeps feature codes local and global numbers E.164-shaped', () => {
    expect(parseDialString('#31#0123')).toEqual({ ok: true, number: '#31#0123', extension: null });
    expect(parseDialString('+33 1 23 45 67 89')).toEqual({
      ok: true,
      number: '+33123456789',
      extension: null,
    });
  });
});

describe('extractPhoneNumber: the clipboard', () => {
  it.each([
    ['+44 20 7946 0018', '+442079460018'],
    ['Please call back on 020 7946 0018, thanks', '02079460018'],
    ['Tel. +49 (30) 123-4567', '+49301234567'],
    ['tel:+44-20-7946-0018', '+442079460018'],
    ['0123456789\n', '0123456789'],
    ['Call 0123 456 789 or 0123 456 789', '0123456789'],
  ])('%j → %s', (text, number) => {
    const result = extractPhoneNumber(text);
    expect(result).toMatchObject({ ok: true, number });
  });

  it.each([
    ['', 'The clipboard holds no phone number'],
    ['Meeting notes, nothing to dial', 'The clipboard holds no phone number'],
    ['Room 12', 'The clipboard holds no phone number'],
    ['020 7946 0018 or 0161 496 0000', 'more than one number (02079460018, 01614960000)'],
    ['tel:1-800-FLOWERS', 'contains letters'],
  ])('%j: %s', (text, reason) => {
    const result = extractPhoneNumber(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
