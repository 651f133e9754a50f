export interface AuthThrottleOptions {
  /** Failed key checks within `windowMs` that start a lock-out. */
  maxFailures?: number;
  windowMs?: number;
  /** First lock-out; each further lock-out doubles it, up to `maxLockoutMs`. */
  lockoutMs?: number;
  maxLockoutMs?: number;
  /** A quiet period this long (no failure) forgets earlier lock-outs. */
  forgetAfterMs?: number;
  now?: () => number;
}

/**
 * Limits failed API-key checks across all connections, so that a web page (or anything else on the
 * machine) cannot guess the key: after `maxFailures` failures in `windowMs`, every attempt is refused
 * without checking the key for a growing lock-out window.
 */
export class AuthThrottle {
  private failures: number[] = [];
  private lockedUntil = 0;
  private lockouts = 0;
  private lastFailureAt = 0;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockoutMs: number;
  private readonly maxLockoutMs: number;
  private readonly forgetAfterMs: number;
  private readonly now: () => number;

  constructor(options: AuthThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.lockoutMs = options.lockoutMs ?? 30_000;
    this.maxLockoutMs = options.maxLockoutMs ?? 15 * 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 30 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until keys are checked again; 0 when not locked. */
  remainingLockoutMs(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  /** Records a failed key check; returns the lock-out that starts now (ms), or 0. */
  recordFailure(): number {
    const now = this.now();
    if (now - this.lastFailureAt >= this.forgetAfterMs) this.lockouts = 0;
    this.lastFailureAt = now;
    this.failures = this.failures.filter((at) => now - at < this.windowMs);
    this.failures.push(now);
    if (this.failures.length < this.maxFailures) return 0;
    const lockout = Math.min(this.maxLockoutMs, this.lockoutMs * 2 ** Math.min(this.lockouts, 20));
    this.lockouts += 1;
    this.failures = [];
    this.lockedUntil = now + lockout;
    return lockout;
  }
}

/**
 * Passes at most one event per `intervalMs`, and tells how many were held back since the last one
 * passed (so the operator hears about failures without being flooded).
 */
export class NoticeLimiter {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null: hold this one back; otherwise the number held back before it. */
  take(): number | null {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed += 1;
      return null;
    }
    this.lastAt = now;
    const held = this.suppressed;
    this.suppressed = 0;
    return held;
  }
}
