/** Small statistics helpers for the benchmarks: they print ratios against a baseline of the same run. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export interface Comparison {
  name: string;
  unit: string;
  subject: number;
  baseline: number;
  target: number | null;
}

export function ratioLine(c: Comparison): string {
  const ratio = c.subject / c.baseline;
  const verdict =
    c.target === null
      ? ''
      : ratio <= c.target
        ? `  (target ≤ ${c.target}×: met)`
        : `  (target ≤ ${c.target}×: NOT met)`;
  return `${c.name.padEnd(44)} ${ratio.toFixed(2)}×   [${fmt(c.subject)} vs ${fmt(c.baseline)} ${c.unit}]${verdict}`;
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3);
}
