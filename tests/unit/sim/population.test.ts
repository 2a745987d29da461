import { describe, expect, it } from 'vitest';
import { createState, stateToJSON } from '../../../src/sim';
import { compileScenario } from '../../../src/sim/compiled';
import { ALLOWS_OS_PROMPT } from '../../../src/sim/state';
import { defaultScenario, expectNear, expectShare, indexOfId, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;
const SEED = 20240922;
const state = createState(sc, SEED, N);
const pop = state.pop;

function count(pred: (i: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < pop.count; i++) if (pred(i)) n++;
  return n;
}

describe('population', { timeout: SIM_TIMEOUT }, () => {
  it('has the requested size and a fresh status (nobody opted out, churned or holding data)', () => {
    expect(pop.count).toBe(N);
    expect(state.listeners).toBe(N);
    expect(state.round).toBe(0);
    for (const arr of [pop.premium, pop.os, pop.attitude, pop.agrees, pop.trust, pop.status, pop.held, ...pop.traits, ...pop.noise]) expect(arr.length).toBe(N);
    expect(count((i) => pop.status[i] !== 0)).toBe(0);
    expect(count((i) => pop.held[i] !== 0)).toBe(0);
  });

  it('matches the premium share', () => {
    expectShare(count((i) => pop.premium[i] === 1), N, sc.population.premiumShare, 'premium');
  });

  it('matches the OS and attitude shares', () => {
    sc.population.os.forEach((os, o) => expectShare(count((i) => pop.os[i] === o), N, os.share, os.id));
    const total = sc.population.attitudes.reduce((a, x) => a + x.share, 0);
    expect(total).toBeCloseTo(1, 9);
    sc.population.attitudes.forEach((a, k) => expectShare(count((i) => pop.attitude[i] === k), N, a.share, a.id));
    // Westin's split of the design: about 25 / 57 / 18 %.
    expect(sc.population.attitudes.map((a) => a.share)).toEqual([0.25, 0.57, 0.18]);
  });

  it('matches every trait value share of the pack', () => {
    sc.population.traits.forEach((trait, t) => {
      const total = trait.values.reduce((a, v) => a + v.share, 0);
      trait.values.forEach((v, k) => expectShare(count((i) => pop.traits[t]![i] === k), N, v.share / total, `${trait.id}=${v.id}`));
    });
  });

  it('draws starting trust per attitude around its mean, within mean ± spread and 0–100', () => {
    sc.population.attitudes.forEach((a, k) => {
      let sum = 0;
      let n = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < N; i++) {
        if (pop.attitude[i] !== k) continue;
        const t = pop.trust[i]!;
        sum += t;
        n++;
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
      // The sum of four uniforms, centred: sd = spread · √(1/3) / 2 per listener.
      const sdMean = (a.trustSpread * Math.sqrt(1 / 3)) / 2 / Math.sqrt(n);
      expectNear(sum / n, a.trustMean, 4 * sdMean, `${a.id} mean trust`);
      expect(min).toBeGreaterThanOrEqual(Math.max(0, a.trustMean - a.trustSpread));
      expect(max).toBeLessThanOrEqual(Math.min(100, a.trustMean + a.trustSpread));
      expect(max - min).toBeGreaterThan(a.trustSpread); // a real spread, not a constant
    });
  });

  it('draws each listener’s consent answers by attitude as the design table says', () => {
    const c = compileScenario(sc);
    sc.consentDesigns.forEach((d, di) => {
      sc.population.attitudes.forEach((a, ai) => {
        const members = count((i) => pop.attitude[i] === ai);
        const agree = count((i) => pop.attitude[i] === ai && (pop.agrees[i]! & (1 << di)) !== 0);
        expectShare(agree, members, d.coverage[a.id]!, `${d.id}/${a.id}`);
        expect(c.consentCoverage[di * sc.population.attitudes.length + ai]).toBe(d.coverage[a.id]);
      });
    });
  });

  it('nests consent answers: whoever accepts a clear opt-in also accepts bundled and buried consent', () => {
    const clear = 1 << indexOfId(sc.consentDesigns, 'clear_opt_in');
    const bundled = 1 << indexOfId(sc.consentDesigns, 'bundled');
    const buried = 1 << indexOfId(sc.consentDesigns, 'buried');
    expect(count((i) => (pop.agrees[i]! & clear) !== 0 && (pop.agrees[i]! & bundled) === 0)).toBe(0);
    expect(count((i) => (pop.agrees[i]! & bundled) !== 0 && (pop.agrees[i]! & buried) === 0)).toBe(0);
    expect(count((i) => (pop.agrees[i]! & bundled) !== 0 && (pop.agrees[i]! & clear) === 0)).toBeGreaterThan(1000);
  });

  it('draws OS permission answers per OS at the pack’s prompt opt-in rate', () => {
    sc.population.os.forEach((os, o) => {
      const onOs = count((i) => pop.os[i] === o);
      expectShare(count((i) => pop.os[i] === o && (pop.agrees[i]! & ALLOWS_OS_PROMPT) !== 0), onOs, os.promptOptIn, os.id);
    });
  });

  it('is a function of (seed, listener index): same seed same population, a prefix of a larger one', () => {
    // The JSON form holds every typed array as base64: equal strings mean equal bytes.
    expect(stateToJSON(createState(sc, SEED, N))).toEqual(stateToJSON(state));
    const small = createState(sc, SEED, 2000);
    const prefix = (a: ArrayBufferView, n: number) => Buffer.from(a.buffer, a.byteOffset, n * (a.byteLength / pop.count)).toString('base64');
    const whole = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    for (const key of ['premium', 'os', 'attitude', 'agrees', 'trust'] as const) expect(whole(small.pop[key]), key).toBe(prefix(pop[key], 2000));
    pop.traits.forEach((t, k) => expect(whole(small.pop.traits[k]!)).toBe(prefix(t, 2000)));
    pop.noise.forEach((t, k) => expect(whole(small.pop.noise[k]!)).toBe(prefix(t, 2000)));
    const other = createState(sc, SEED + 1, 2000);
    const same = other.pop.traits[0]!.reduce((acc, v, i) => acc + (v === small.pop.traits[0]![i] ? 1 : 0), 0);
    expect(same).toBeLessThan(1000); // age bands agree by chance only (Σ share² ≈ 0.19)
    expect(other.rng).not.toEqual(small.rng);
  });

  it('marks minors through the trait values of the pack', () => {
    const c = compileScenario(sc);
    const age = indexOfId(sc.population.traits, 'age');
    expect(Array.from(c.minorValue[age]!)).toEqual([1, 0, 0, 0, 0, 0]);
    expectShare(count((i) => c.minorValue[age]![pop.traits[age]![i]!] === 1), N, 0.08, 'minors');
  });
});
