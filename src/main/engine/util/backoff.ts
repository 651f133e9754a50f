export interface BackoffOptions {
  /** First retry window, ms. */
  baseMs?: number;
  /** Largest retry window, ms. */
  capMs?: number;
  /** A connection that stayed up this long resets the attempt counter. */
  minUptimeMs?: number;
  random?: () => number;
}

/**
 * Full-jitter exponential backoff: attempt n waits random(0, min(cap, base * 2^n)).
 * The counter resets only after a connection stayed up `minUptimeMs`, so a server that accepts and then
 * drops at once is not hammered.
 */
export class Backoff {
  private attempt = 0;
  private upSince: number | null = null;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly minUptimeMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 500;
    this.capMs = options.capMs ?? 30_000;
    this.minUptimeMs = options.minUptimeMs ?? 5_000;
    this.random = options.random ?? Math.random;
  }

  get attempts(): number {
    return this.attempt;
  }

  /** Delay before the next attempt; advances the counter. */
  nextDelay(): number {
    const window = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.floor(this.random() * window);
  }

  connected(now = Date.now()): void {
    this.upSince = now;
  }

  disconnected(now = Date.now()): void {
    if (this.upSince !== null && now - this.upSince >= this.minUptimeMs) this.attempt = 0;
    this.upSince = null;
  }

  reset(): void {
    this.attempt = 0;
    this.upSince = null;
  }
}
