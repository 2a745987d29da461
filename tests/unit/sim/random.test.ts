import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomial, hash3, inversion, hashUniform, mix32, nextUniform, pickCumulative, seedRng, streamKey, type RngState } from '../../../src/sim/random';

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

function pmf(n: number, p: number, k: number): number {
  return choose(n, k) * p ** k * (1 - p) ** (n - k);
}

describe('binomial (inversion from one uniform)', () => {
  it('gives the exact quantiles of small cases', () => {
    // n = 2, p = ½: P = ¼, ½, ¼; cumulative ¼, ¾, 1.
    expect([0, 0.2499, 0.25, 0.5, 0.7499, 0.75, 0.9999].map((u) => binomial(2, 0.5, u))).toEqual([0, 0, 1, 1, 1, 2, 2]);
    // n = 3, p = 0.2: P = 0.512, 0.384, 0.096, 0.008; cumulative 0.512, 0.896, 0.992, 1.
    expect([0, 0.5119, 0.5121, 0.8959, 0.8961, 0.9919, 0.9921, 0.99999].map((u) => binomial(3, 0.2, u))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    // n = 1 is a Bernoulli draw: 1 when u ≥ 1 − p.
    expect([0.69, 0.71].map((u) => binomial(1, 0.3, u))).toEqual([0, 1]);
  });

  it('handles the edges: no trials, impossible and certain events', () => {
    expect(binomial(0, 0.5, 0.9)).toBe(0);
    expect(binomial(-3, 0.5, 0.9)).toBe(0);
    expect(binomial(7, 0, 0.999)).toBe(0);
    expect(binomial(7, -0.1, 0.999)).toBe(0);
    expect(binomial(7, 1, 0)).toBe(7);
    expect(binomial(7, 1.2, 0)).toBe(7);
    // u just below 1 is the largest outcome, never more than n.
    expect(binomial(5, 0.3, 1 - 2 ** -32)).toBe(5);
  });

  it.each([
    [5, 0.3],
    [20, 0.02],
    [10, 0.9],
    [12, 0.5],
  ])('over an even grid of u, binomial(%i, %f) has the exact probabilities', (n, p) => {
    const M = 50_000;
    const counts = new Array<number>(n + 1).fill(0);
    for (let j = 0; j < M; j++) counts[binomial(n, p, (j + 0.5) / M)]! += 1;
    for (let k = 0; k <= n; k++) expect(Math.abs(counts[k]! / M - pmf(n, p, k)), `k = ${k}`).toBeLessThanOrEqual(2 / M);
    const mean = counts.reduce((acc, c, k) => acc + c * k, 0) / M;
    expect(mean).toBeCloseTo(n * p, 3);
  });

  it('decides early draws exactly as the whole inversion does, right at P(X = 0) too', () => {
    // The inversion worked out in full: binomial must give its result bit for bit.
    const full = (n: number, p: number, u: number) => inversion(n, p, 1 - p, u);
    const zeroAt = (n: number, p: number) => {
      let pk = 1;
      for (let i = 0; i < n; i++) pk *= 1 - p;
      return pk;
    };
    const n = fc.integer({ min: 1, max: 100 });
    const p = fc.oneof(fc.double({ min: 1e-12, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 1e-9, max: 0.05, noNaN: true }));
    fc.assert(
      fc.property(n, p, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, p, u) => binomial(n, p, u) === full(n, p, u)),
      { numRuns: 20_000 },
    );
    // Draws next to the bound and to P(X = 0) itself, a few roundings either side, and on the 16-bit grid serving draws from.
    fc.assert(
      fc.property(n, p, fc.integer({ min: -8, max: 8 }), fc.boolean(), (n, p, ulps, nearBound) => {
        const at = nearBound ? 1 - n * p : zeroAt(n, p);
        const u = Math.min(Math.max(at + ulps * Number.EPSILON * Math.max(at, 2 ** -52), 0), 1 - 2 ** -53);
        const grid = Math.floor(u * 65536) / 65536;
        return binomial(n, p, u) === full(n, p, u) && binomial(n, p, grid) === full(n, p, grid);
      }),
      { numRuns: 20_000 },
    );
  });

  it('is monotone in u and in p (the same draw never gives fewer successes at a higher p)', () => {
    for (let j = 0; j < 200; j++) {
      const u = (j + 0.5) / 200;
      expect(binomial(10, 0.3, u)).toBeGreaterThanOrEqual(binomial(10, 0.3, Math.max(0, u - 0.01)));
      expect(binomial(10, 0.4, u)).toBeGreaterThanOrEqual(binomial(10, 0.3, u));
    }
  });
});

describe('hashUniform and hash3', () => {
  it('are deterministic 32-bit counters mapped into [0, 1)', () => {
    expect(hashUniform(7, 11, 13)).toBe(hashUniform(7, 11, 13));
    expect(hashUniform(7, 11, 13)).not.toBe(hashUniform(7, 11, 14));
    expect(hashUniform(7, 11, 13)).not.toBe(hashUniform(7, 12, 13));
    expect(hashUniform(7, 11, 13)).not.toBe(hashUniform(8, 11, 13));
    const extremes = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, -1, 2 ** 31 + 5];
    for (const k of extremes)
      for (const a of extremes)
        for (const b of extremes) {
          const h = hash3(k, a, b);
          expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
          const u = hashUniform(k, a, b);
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThan(1);
        }
  });

  it('is uniform over 10 bins and uncorrelated between neighbouring counters', () => {
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sumXY = 0;
    let sumY = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = hashUniform(0x1234abcd, i, 0);
      const y = hashUniform(0x1234abcd, i, 1);
      bins[Math.floor(x * 10)]! += 1;
      sum += x;
      sumY += y;
      sumXY += x * y;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const sd = Math.sqrt(n * 0.1 * 0.9);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(4 * sd);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    // Covariance of two independent U(0,1) is 0 (sd of the estimate ≈ 1/(12·√n) ≈ 0.00026).
    expect(Math.abs(sumXY / n - (sum / n) * (sumY / n))).toBeLessThan(0.0015);
  });

  it('mix32 avalanches: 0 stays 0, one flipped input bit flips about half the output bits', () => {
    expect(mix32(0)).toBe(0);
    let flipped = 0;
    const trials = 2000;
    for (let i = 1; i <= trials; i++) {
      const x = mix32(i * 2654435761) >>> 0;
      const bit = 1 << (i % 32);
      let diff = (mix32(x) ^ mix32((x ^ bit) >>> 0)) >>> 0;
      while (diff) {
        flipped += diff & 1;
        diff >>>= 1;
      }
    }
    expect(flipped / trials).toBeGreaterThan(14);
    expect(flipped / trials).toBeLessThan(18);
  });

  it('streamKey separates seeds, streams and rounds', () => {
    const keys = new Set<number>();
    for (const seed of [0, 1, 2, 0xffffffff])
      for (const stream of [1, 2, 3, 15, 16, 17]) for (const round of [0, 1, 2, 3]) keys.add(streamKey(seed, stream, round));
    expect(keys.size).toBe(4 * 6 * 4);
    expect(streamKey(5, 3)).toBe(streamKey(5, 3, 0));
  });
});

describe('sfc32 sequential generator', () => {
  it('draws in [0, 1), advances its counter word by one per draw, and keeps 32-bit words', () => {
    const s = seedRng(99);
    const counter = s[3];
    let min = 1;
    let max = 0;
    const bins = new Array<number>(10).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = nextUniform(s);
      min = Math.min(min, u);
      max = Math.max(max, u);
      bins[Math.floor(u * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(4 * Math.sqrt(n * 0.09));
    expect(s[3]).toBe((counter + n) >>> 0);
    for (const w of s) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
  });

  it('continues bit for bit after a JSON round trip of its state', () => {
    const s = seedRng(2024);
    for (let i = 0; i < 17; i++) nextUniform(s);
    const restored = JSON.parse(JSON.stringify(s)) as RngState;
    expect(restored).toEqual(s);
    const a = Array.from({ length: 1000 }, () => nextUniform(s));
    const b = Array.from({ length: 1000 }, () => nextUniform(restored));
    expect(b).toEqual(a);
    expect(restored).toEqual(s);
  });

  it('gives the same sequence for the same seed and different ones for nearby seeds', () => {
    const first = (seed: number) => {
      const s = seedRng(seed);
      return Array.from({ length: 8 }, () => nextUniform(s));
    };
    expect(first(1)).toEqual(first(1));
    const firstDraws = new Set([0, 1, 2, 3, 4, 5].map((seed) => first(seed)[0]));
    expect(firstDraws.size).toBe(6);
  });
});

describe('pickCumulative', () => {
  it('returns the first index whose cumulative share exceeds u, and the last index at the top', () => {
    const cum = [0.2, 0.5, 1];
    expect([0, 0.1999, 0.2, 0.4999, 0.5, 0.99, 1, 1.5].map((u) => pickCumulative(cum, u))).toEqual([0, 0, 1, 1, 2, 2, 2, 2]);
    expect(pickCumulative([1], 0.7)).toBe(0);
  });
});
