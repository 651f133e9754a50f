/**
 * Bounds the wrong-key answers the server gives, across all connections (contract: at most 20
 * `success:false` in any 8 s). It never blocks a key check: the right key is always accepted at once,
 * so nothing on the machine can lock the real Patriot out by guessing. Guessing a 256-bit generated
 * key is hopeless anyway; what this stops is a flood of answers and log lines.
 */
export class FailedAnswerBudget {
  private readonly answers: number[] = [];

  constructor(
    private readonly maxAnswers = 20,
    private readonly windowMs = 8_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when one more wrong-key answer may be sent now (and counts it). */
  take(): boolean {
    const now = this.now();
    while (this.answers.length > 0 && now - this.answers[0]! >= this.windowMs) this.answers.shift();
    if (this.answers.length >= this.maxAnswers) return false;
    this.answers.push(now);
    return true;
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
