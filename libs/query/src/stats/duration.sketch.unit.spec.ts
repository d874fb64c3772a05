import fc from 'fast-check';
import { bucketKey, bucketValue, relativeAccuracy, sketchPercentiles } from './duration.sketch';

/** What PostgreSQL's percentile_cont computes. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const fraction = position - below;
  return fraction === 0 ? sorted[below] : sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

const sketchOf = (values: number[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[bucketKey(value)] = (counts[bucketKey(value)] ?? 0) + 1;
  return counts;
};

// Durations from a millisecond to a year, spread over every order of magnitude.
const duration = fc.double({ min: -3, max: 7.5, noNaN: true }).map((exponent) => 10 ** exponent);

describe('the duration sketch', () => {
  it('reads every duration back within 1%', () => {
    fc.assert(
      fc.property(duration, (seconds) => {
        expect(Math.abs(bucketValue(bucketKey(seconds)) - seconds)).toBeLessThanOrEqual(relativeAccuracy * seconds * (1 + 1e-9));
      }),
    );
  });

  it('gives percentiles within 1% of percentile_cont, merged from any split of the durations', () => {
    fc.assert(
      fc.property(
        fc.array(duration, { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(300),
        (values, q, cut) => {
          // Two sketches (two days) merged by adding their counts, as the rollups are.
          const merged = new Map<string, number>();
          for (const part of [values.slice(0, cut), values.slice(cut)])
            for (const [key, count] of Object.entries(sketchOf(part))) merged.set(key, (merged.get(key) ?? 0) + count);
          const [estimate] = sketchPercentiles(merged, [q]);
          const exact = percentileCont(values, q);
          expect(Math.abs(estimate! - exact)).toBeLessThanOrEqual(relativeAccuracy * exact * (1 + 1e-9));
        },
      ),
    );
  });

  it('counts zero durations as zero, and an empty sketch has no percentile', () => {
    expect(sketchPercentiles(sketchOf([0, 0, 0, 3600]), [0.5, 0.9])).toEqual([0, expect.closeTo(2520, -2)]);
    expect(sketchPercentiles({}, [0.5])).toEqual([null]);
  });
});
