import { describe, expect, it } from 'vitest';
import { appLoginDigest } from '../../../src/main/engine/pbx/innovaphone/digest';

// The official test vectors of the AppWebsocket spec (reference §3.4).
describe('AppLogin digest', () => {
  it('hashes an App-object login without info as app:::::challenge:password', () => {
    expect(appLoginDigest({ app: 'pbxadminapi' }, '0123456789abcdef', 'pwd')).toBe(
      'a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1',
    );
  });

  it('adds an info segment when info is present, even when empty', () => {
    expect(appLoginDigest({ app: 'pbxadminapi', infoJson: '{}' }, '0123456789abcdef', 'pwd')).toBe(
      '57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34',
    );
    const info = JSON.stringify({ cn: 'Test User' });
    expect(appLoginDigest({ app: 'pbxadminapi', infoJson: info }, '0123456789abcdef', 'pwd')).toBe(
      '96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d',
    );
  });

  it('hashes every identity field in order (vector 4)', () => {
    const info = JSON.stringify({
      appobj: 'users',
      apps: [{ name: 'users' }, { name: 'profile' }],
      appurl: 'https://1.2.3.4/example.com/usersapp/innovaphone-users',
      unlicensed: true,
    });
    const digest = appLoginDigest(
      {
        app: 'innovaphone-users',
        domain: 'example.com',
        sip: 'administrator',
        guid: '0123456789abcdef0123456789abcdef',
        dn: 'Administrator User',
        infoJson: info,
      },
      '0123456789abcdef',
      'pwd',
    );
    expect(digest).toBe('ef1b811ffaa8f9255c39c653d8fb26b4687b2d8c4d9ac91b4821bff6bae3ff44');
  });

  it('matches the external-web-page tutorial vector, with the challenge as a string or a number', () => {
    const expected = '66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293';
    expect(appLoginDigest({ app: 'test', domain: 'test.com' }, '0', 'secret')).toBe(expected);
    expect(appLoginDigest({ app: 'test', domain: 'test.com' }, 0, 'secret')).toBe(expected);
  });
});
