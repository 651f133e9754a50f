/**
 * A token bucket for dials: each dial is a real phone call (charges, provider throttling), so a client
 * that floods dial-requests gets refusals instead of reaching the PBX. `dials: 0` turns it off.
 */
export class DialRateLimit {
  private tokens: number;
  private updatedAt: number;
  /** Refusals since the last dial that got through (the call log records only the first of a burst). */
  refusedInARow = 0;

  constructor(
    private readonly limit: { dials: number; perSeconds: number },
    private readonly now: () => number,
  ) {
    this.tokens = limit.dials;
    this.updatedAt = now();
  }

  /** Takes one dial; false when over the limit. */
  take(): boolean {
    if (this.limit.dials === 0) return true;
    const now = this.now();
    const perMs = this.limit.dials / (this.limit.perSeconds * 1_000);
    this.tokens = Math.min(this.limit.dials, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
    if (this.tokens < 1) {
      this.refusedInARow += 1;
      return false;
    }
    this.tokens -= 1;
    this.refusedInARow = 0;
    return true;
  }

  describe(): string {
    return `more than ${this.limit.dials} dials in ${this.limit.perSeconds} s`;
  }
}
