import { describe, expect, it } from 'vitest';
import type { BridgeNotice } from '../../../src/shared/bridge-types';
import { newerNotice, noticeTitle, sameNotice } from '../../../src/renderer/logic/notice-words';

const notice = (at: number, kind: BridgeNotice['kind'] = 'dial-failed'): BridgeNotice => ({
  at,
  level: 'error',
  kind,
  message: 'Could not dial 123: busy',
});

describe('noticeTitle', () => {
  it('names what went wrong in plain words', () => {
    expect(noticeTitle(notice(1))).toBe('Call not placed');
    expect(noticeTitle(notice(1, 'pbx-auth-failed'))).toBe('PBX login failed');
    expect(noticeTitle(notice(1, 'patriot-auth-failed'))).toBe('Patriot login failed');
  });
});

describe('newerNotice', () => {
  it('keeps the latest notice', () => {
    expect(newerNotice(null, null)).toBeNull();
    expect(newerNotice(notice(1), null)).toEqual(notice(1));
    expect(newerNotice(null, notice(2))).toEqual(notice(2));
    expect(newerNotice(notice(5), notice(2))).toEqual(notice(5));
    expect(newerNotice(notice(5), notice(5, 'config'))?.kind).toBe('config');
  });
});

describe('sameNotice', () => {
  it('recognises the notice the user dismissed', () => {
    expect(sameNotice(notice(1), notice(1))).toBe(true);
    expect(sameNotice(notice(1), notice(2))).toBe(false);
    expect(sameNotice(notice(1), null)).toBe(false);
  });
});
