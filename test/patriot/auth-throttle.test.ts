import { describe, expect, it } from 'vitest';
import { FailedAnswerBudget, NoticeLimiter } from '../../src/main/engine/patriot/auth-throttle';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FailedAnswerBudget', () => {
  it('allows at most 20 wrong-key answers in any 8 s, then more as the window moves', () => {
    const time = clock();
    const budget = new FailedAnswerBudget(20, 8_000, time.now);
    const taken = Array.from({ length: 25 }, () => budget.take());
    expect(taken.filter(Boolean)).toHaveLength(20);
    expect(taken.slice(20)).toEqual([false, false, false, false, false]);
    time.advance(7_999);
    expect(budget.take()).toBe(false);
    time.advance(1);
    expect(budget.take()).toBe(true);
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
