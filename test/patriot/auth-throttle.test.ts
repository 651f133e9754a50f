import { describe, expect, it } from 'vitest';
import { AuthThrottle, NoticeLimiter } from '../../src/main/engine/patriot/auth-throttle';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AuthThrottle', () => {
  it('locks out after 5 failures within a minute, for a window that grows on repeats', () => {
    const time = clock();
    const throttle = new AuthThrottle({ now: time.now, lockoutMs: 30_000 });
    for (let i = 0; i < 4; i++) expect(throttle.recordFailure()).toBe(0);
    expect(throttle.remainingLockoutMs()).toBe(0);
    expect(throttle.recordFailure()).toBe(30_000);
    expect(throttle.remainingLockoutMs()).toBe(30_000);
    time.advance(29_000);
    expect(throttle.remainingLockoutMs()).toBe(1_000);
    time.advance(1_000);
    expect(throttle.remainingLockoutMs()).toBe(0);
    for (let i = 0; i < 4; i++) throttle.recordFailure();
    expect(throttle.recordFailure()).toBe(60_000);
  });

  it('does not lock out failures spread over more than the window', () => {
    const time = clock();
    const throttle = new AuthThrottle({ now: time.now });
    for (let i = 0; i < 20; i++) {
      expect(throttle.recordFailure()).toBe(0);
      time.advance(15_000);
    }
  });

  it('caps the lock-out and forgets earlier lock-outs after a quiet period', () => {
    const time = clock();
    const throttle = new AuthThrottle({
      now: time.now,
      lockoutMs: 1_000,
      maxLockoutMs: 3_000,
      forgetAfterMs: 100_000,
    });
    const burst = () => {
      let lockout = 0;
      for (let i = 0; i < 5; i++) lockout = throttle.recordFailure();
      return lockout;
    };
    expect(burst()).toBe(1_000);
    expect(burst()).toBe(2_000);
    expect(burst()).toBe(3_000);
    expect(burst()).toBe(3_000);
    time.advance(100_000);
    expect(burst()).toBe(1_000);
  });
});

describe('NoticeLimiter', () => {
  it('passes one event per interval and counts the ones held back', () => {
    const time = clock();
    const limiter = new NoticeLimiter(10_000, time.now);
    expect(limiter.take()).toBe(0);
    expect(limiter.take()).toBeNull();
    expect(limiter.take()).toBeNull();
    time.advance(10_000);
    expect(limiter.take()).toBe(2);
    expect(limiter.take()).toBeNull();
  });
});
