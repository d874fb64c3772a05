/**
 * The reading half of the DDSketch the resolution rollups keep (migration 0110 buckets durations
 * in SQL with stats_sketch_key; this reads merged bucket counts back). Pure, no I/O.
 *
 * Relative accuracy α = 0.01: bucket i holds the durations in (γ^(i−1), γ^i] with
 * γ = (1 + α) / (1 − α), and is read back as 2γ^i / (γ + 1), within α of every duration in it.
 * Bucket 'z' holds |x| < 1 ms (read as 0); 'n<i>' mirrors bucket i for negative durations.
 *
 * A percentile is interpolated between the two ranks percentile_cont would interpolate between,
 * each read from the bucket that holds it: both are within α of the exact order statistics, so
 * the interpolation, a convex combination of them, is within α of percentile_cont's answer
 * (for durations of one sign; 'z' adds at most 1 ms of absolute error).
 */
export const relativeAccuracy = 0.01;
const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);

/** Bucket key → count, as stored (jsonb) or merged. */
export type SketchCounts = Record<string, number>;

/** The duration a bucket key stands for. */
export function bucketValue(key: string): number {
  if (key === 'z') return 0;
  const negative = key.startsWith('n');
  const index = Number(negative ? key.slice(1) : key);
  if (!Number.isInteger(index)) throw new Error(`Not a sketch bucket key: '${key}'`);
  const value = (2 * gamma ** index) / (gamma + 1);
  return negative ? -value : value;
}

/** The bucket of a duration: what stats_sketch_key (migration 0110) computes in SQL. */
export function bucketKey(seconds: number): string {
  if (Math.abs(seconds) < 0.001) return 'z';
  const index = Math.ceil(Math.log(Math.abs(seconds)) / Math.log(gamma));
  return seconds > 0 ? String(index) : `n${index}`;
}

/** Adds `counts` into `into`. */
export function mergeCounts(into: Map<string, number>, counts: SketchCounts | Iterable<[string, number]>): void {
  const entries = Symbol.iterator in counts ? (counts as Iterable<[string, number]>) : Object.entries(counts);
  for (const [key, count] of entries) into.set(key, (into.get(key) ?? 0) + Number(count));
}

/**
 * percentile_cont(q) of the durations the counts hold, for each q in `qs` (0..1); null when the
 * sketch is empty.
 */
export function sketchPercentiles(counts: Map<string, number> | SketchCounts, qs: readonly number[]): (number | null)[] {
  const buckets = (counts instanceof Map ? [...counts] : Object.entries(counts))
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ value: bucketValue(key), count }))
    .sort((a, b) => a.value - b.value);
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return qs.map(() => null);
  // The value at 0-based rank `rank` of the sorted durations.
  const atRank = (rank: number): number => {
    let seen = 0;
    for (const bucket of buckets) {
      seen += bucket.count;
      if (rank < seen) return bucket.value;
    }
    return buckets[buckets.length - 1].value;
  };
  return qs.map((q) => {
    const position = q * (total - 1);
    const below = Math.floor(position);
    const low = atRank(below);
    const fraction = position - below;
    return fraction === 0 ? low : low + fraction * (atRank(below + 1) - low);
  });
}
