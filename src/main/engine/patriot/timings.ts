import type { PatriotEndpointTimings } from './endpoint';

export const DEFAULT_TIMINGS: Required<PatriotEndpointTimings> = {
  authTimeoutMs: 30_000,
  upgradeTimeoutMs: 15_000,
  pingIntervalMs: 30_000,
  closeGraceMs: 1_000,
  reconnectBaseMs: 500,
  reconnectCapMs: 30_000,
  authRetryMs: 60_000,
};

export function resolveTimings(timings: PatriotEndpointTimings = {}): Required<PatriotEndpointTimings> {
  const resolved = { ...DEFAULT_TIMINGS };
  for (const [name, value] of Object.entries(timings) as [
    keyof PatriotEndpointTimings,
    number | undefined,
  ][]) {
    if (value !== undefined) resolved[name] = value;
  }
  return resolved;
}
