// Issue 14: the small window (380 px wide, also at Windows' 150 % scaling) scrolls, and no state of the
// main view or the settings reaches past the right edge.
import { describe, expect, it } from 'vitest';
import type { BridgeSnapshot } from '../../src/shared/bridge-types';
import { makeCall, makeSnapshot, makeStubConfig, PROFILES, T0 } from './support/sample-data';
import { useWindows, waitForText } from './support/window-harness';

const openWith = useWindows();

const now = T0 + 60_000;
const STATES: [string, BridgeSnapshot, string][] = [
  ['idle', makeSnapshot(), 'No call'],
  ['ringing', makeSnapshot({ calls: [makeCall({ startedAt: now - 3_000 })] }), 'Ringing'],
  [
    'offline',
    makeSnapshot({
      patriot: { ...makeSnapshot().patriot, peers: [] },
      pbx: {
        profile: PROFILES[0]!,
        link: {
          status: 'offline',
          reason:
            'Can not connect to PBX at wss://pbxmanager.viptel.sk:8088 (ECONNREFUSED, connection refused)',
          retryAt: now + 8_000,
        },
        warnings: ['Certificate checks are turned off for this profile (rejectUnauthorized: false).'],
      },
    }),
    'PBX offline',
  ],
  [
    'login-failed',
    makeSnapshot({
      pbx: {
        profile: PROFILES[0]!,
        link: { status: 'auth-failed', reason: 'wrong username or password' },
        warnings: [],
      },
    }),
    'Login failed',
  ],
];

const DISPLAYS = [
  { name: '380', display: { width: 380, height: 560 } },
  { name: '380-150pct', display: { width: 380, height: 560, deviceScaleFactor: 1.5 } },
];

describe('small window', () => {
  for (const { name, display } of DISPLAYS) {
    it(`main view states at ${name}: readable, nothing past the right edge, the content scrolls to its end`, async () => {
      const current = await openWith(makeStubConfig(), display);
      const { page } = current;
      await waitForText(page.getByRole('region', { name: 'Current call' }), 'No call');
      await page.clock.pauseAt(now);
      for (const [state, snapshot, shows] of STATES) {
        await current.pushSnapshot(snapshot);
        await waitForText(page.locator('.content'), shows);
        await current.pushNotice({
          at: now - 2_000,
          level: 'error',
          kind: 'dial-failed',
          message: 'Could not dial +44 20 7946 0018: the PBX is offline (connection refused)',
        });
        expect(await current.horizontalOverflow(), state).toEqual([]);
        const scroll = await current.lastContentVisibleAfterScroll();
        expect(scroll.lastVisible, state).toBe(true);
        await current.screenshot(`small-${name}-${state}`);
      }
    });

    it(`settings at ${name}: scroll to the last section, nothing past the right edge`, async () => {
      const current = await openWith(makeStubConfig(), display);
      const { page } = current;
      await page.getByRole('button', { name: 'Settings' }).click();
      await waitForText(page.locator('.profile-list'), 'Office (VIPTel)');
      expect(await current.horizontalOverflow()).toEqual([]);
      expect(await current.lastContentVisibleAfterScroll()).toEqual({ scrolls: true, lastVisible: true });
      await current.screenshot(`small-${name}-settings-end`);
    });
  }
});
