import { afterEach, describe, expect, it } from 'vitest';
import { DialRateLimit } from '../../src/main/engine/bridge/dial-rate-limit';
import { startBridge, nextStatus, type BridgeHarness } from '../support/bridge-harness';
import { waitFor } from '../support/wait';

describe('dial rate limit (token bucket)', () => {
  it('lets a burst of `dials` through, refuses the next, and refills over `perSeconds`', () => {
    let now = 0;
    const limit = new DialRateLimit({ dials: 5, perSeconds: 10 }, () => now);
    expect([1, 2, 3, 4, 5].map(() => limit.take())).toEqual([true, true, true, true, true]);
    expect(limit.take()).toBe(false);
    expect(limit.take()).toBe(false);
    expect(limit.refusedInARow).toBe(2);
    now = 2_000; // one dial's worth refilled (5 per 10 s)
    expect(limit.take()).toBe(true);
    expect(limit.take()).toBe(false);
    now = 60_000;
    expect([1, 2, 3, 4, 5, 6].map(() => limit.take())).toEqual([true, true, true, true, true, false]);
  });

  it('dials: 0 turns it off', () => {
    const limit = new DialRateLimit({ dials: 0, perSeconds: 10 }, () => 0);
    expect(Array.from({ length: 100 }, () => limit.take()).every(Boolean)).toBe(true);
  });
});

describe('a dial flood from Patriot', () => {
  let h: BridgeHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('reaches the PBX only up to the limit; the rest get callActive:false, a notice, and one log entry', async () => {
    h = await startBridge({
      activeProfile: 'demo',
      dialing: { rateLimit: { dials: 3, perSeconds: 600 } },
      // Every call is busy at once, so each dial ends before the next.
      profiles: [{ id: 'demo', name: 'Demo', type: 'simulator', ringAfterMs: 0, busyNumbers: ['*'] }],
    });
    const patriot = await h.readyPatriot();
    for (let i = 0; i < 10; i++) {
      patriot.send({ type: 'dial-request', payload: { phoneNo: `55500${i}` } });
      // Each dial is answered: the busy ones after their end, the refused ones at once.
      await waitFor(async () => (await nextStatus(patriot)).callActive === false, `status after dial ${i}`);
    }
    const log = await h.bridge.recentCalls(100);
    expect(log.filter((entry) => entry.outcome === 'busy')).toHaveLength(3);
    const refused = log.filter((entry) => entry.outcome === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail).toMatch(/Too many dials/);
    expect(h.notices.filter((n) => /Too many dials/.test(n.message))).toHaveLength(7);
  });
});
