/**
 * Randomness for the simulation, built only from 32-bit integer operations so that every
 * engine produces the same bits.
 *
 * Two kinds of draws:
 * - `hashUniform(key, a, b)`: a counter-based draw. The same (key, a, b) always gives the same
 *   number, so a listener's consent answer or a signal's reading stays stable across rounds and
 *   one listener's round can be recomputed on its own (the persona view).
 * - `SequentialRng`: an sfc32 generator whose four words live in the simulation state; used for
 *   the few draws that happen once per round (events).
 */

export const TWO_POW_32 = 4294967296;

/** Final mixing step of MurmurHash3 (fmix32): every input bit affects every output bit. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A 32-bit hash of three 32-bit counters: the counters are spread by odd multipliers, combined,
 * and avalanched by one fmix32 (one mixing step is enough for game randomness and keeps the
 * per-listener loops fast).
 */
export function hash3(key: number, a: number, b: number): number {
  return mix32((key ^ Math.imul(a, 0x9e3779b1)) + Math.imul(b ^ 0x7f4a7c15, 0x85ebca77));
}

/** A uniform number in [0, 1) from three counters. */
export function hashUniform(key: number, a: number, b: number): number {
  return hash3(key, a, b) / TWO_POW_32;
}

/**
 * Derives a 32-bit key for a named purpose (a "stream") from the game seed. Signed, so that V8
 * keeps it a small integer (above 2³¹ it would be a double, converted at every draw); draws read
 * only its 32 bits.
 */
export function streamKey(seed: number, stream: number, round = 0): number {
  return hash3(seed >>> 0, stream, round) | 0;
}

/** The serializable state of a sequential generator: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

export function seedRng(seed: number): RngState {
  const s: RngState = [mix32(seed ^ 0x243f6a88), mix32(seed ^ 0x85a308d3), mix32(seed ^ 0x13198a2e), 1];
  // Warm up so that nearby seeds diverge.
  for (let i = 0; i < 12; i++) nextUniform(s);
  return s;
}

/** sfc32: advances `s` in place and returns a uniform number in [0, 1). */
export function nextUniform(s: RngState): number {
  const a = s[0] >>> 0;
  const b = s[1] >>> 0;
  const c = s[2] >>> 0;
  const d = s[3] >>> 0;
  const t = (((a + b) >>> 0) + d) >>> 0;
  s[3] = (d + 1) >>> 0;
  s[0] = (b ^ (b >>> 9)) >>> 0;
  s[1] = (c + (c << 3)) >>> 0;
  s[2] = (((c << 21) | (c >>> 11)) + t) >>> 0;
  return t / TWO_POW_32;
}

/** Index drawn from a cumulative distribution (last entry must be 1). */
export function pickCumulative(cumulative: ArrayLike<number>, u: number): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (u < cumulative[i]!) return i;
  return last;
}

/**
 * A binomial(n, p) draw by inversion from one uniform. Uses only + − × ÷ so the result is
 * exact across engines; n is small here (impressions per listener are capped by ad slots).
 */
export function binomial(n: number, p: number, u: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  // Most draws are 0, and most of those fall below 1 − n(1 − q) ≤ qⁿ (Bernoulli's inequality): the
  // inversion's product is within n roundings (n × 2⁻⁵³ relative) of qⁿ, so a draw below the bound
  // less a margin far wider than those (for n below a million) is 0 whatever the product's last
  // bits, and is decided without working it out.
  if (u < 1 - n * (1 - q) - 1e-9) return 0;
  return inversion(n, p, q, u);
}

/** binomial's draw worked out in full, for n ≥ 1 and 0 < p < 1 (q = 1 − p). */
export function inversion(n: number, p: number, q: number, u: number): number {
  let pk = 1;
  for (let i = 0; i < n; i++) pk *= q; // P(X = 0)
  if (u < pk) return 0; // the usual case, decided before the division below
  let cdf = pk;
  let k = 0;
  const ratio = p / q;
  while (u >= cdf && k < n) {
    pk = (pk * (n - k) * ratio) / (k + 1);
    k++;
    cdf += pk;
  }
  return k;
}
