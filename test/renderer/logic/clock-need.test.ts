import { describe, expect, it } from 'vitest';
import type { BridgeSnapshot, CallView } from '../../../src/shared/bridge-types';
import { needsClock } from '../../../src/renderer/logic/clock-need';
import { makeCall, makeSnapshot, PROFILES } from '../support/sample-data';

const NOW = 5_000_000;

describe('needsClock', () => {
  it('sleeps when nothing on screen depends on time', () => {
    expect(needsClock(null, null, NOW)).toBe(false);
    expect(needsClock(makeSnapshot(), null, NOW)).toBe(false);
    expect(needsClock(makeSnapshot({ calls: [makeCall({ phase: 'ringing' })] }), null, NOW)).toBe(false);
  });

  it('ticks for a talk timer', () => {
    const connected = makeCall({ phase: 'connected', connectedAt: NOW - 1_000 });
    expect(needsClock(makeSnapshot({ calls: [connected] }), null, NOW)).toBe(true);
  });

  it('ticks for a retry countdown', () => {
    const offline: BridgeSnapshot = makeSnapshot({
      pbx: {
        profile: PROFILES[0]!,
        link: { status: 'offline', reason: 'down', retryAt: NOW + 8_000 },
        warnings: [],
      },
    });
    expect(needsClock(offline, null, NOW)).toBe(true);
    expect(needsClock(offline, null, NOW + 60_000)).toBe(false);
  });

  it('ticks while an ended call is still on the card', () => {
    const ended: CallView = makeCall({ phase: 'ended', endedAt: NOW - 1_000 });
    expect(needsClock(makeSnapshot(), ended, NOW)).toBe(true);
    expect(needsClock(makeSnapshot(), ended, NOW + 3_600_000)).toBe(false);
  });
});
