/** Percentile of `values` (nearest rank; 0 for an empty list). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** p50/p95/p99/max of a latency sample (ms). */
export function latencySummary(values: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: values.length ? Math.max(...values) : 0 };
}

/** Rounds for display (1 decimal under 10, none above). */
export function round(value: number): number {
  return Math.abs(value) < 10 ? Math.round(value * 10) / 10 : Math.round(value);
}

/** value ÷ base for display: two decimals below 10, one above (0 when the base is 0). */
export function ratioOf(value: number, base: number): number {
  if (base === 0) return 0;
  const r = value / base;
  return r < 10 ? Math.round(r * 100) / 100 : Math.round(r * 10) / 10;
}
