import { describe, expect, it } from 'vitest';
import { cloneState, createState, type PlainDecisions, type Scenario, type SimState } from '../../../src/sim';
import { compileScenario, MISSING } from '../../../src/sim/compiled';
import { resolveDecisions } from '../../../src/sim/decisions';
import { canTarget, observerOf, signalsCovering, startCollection } from '../../../src/sim/observe';
import { ALLOWS_OS_PROMPT, CHURNED, OPTED_OUT } from '../../../src/sim/state';
import { defaultScenario, expectShare, indexOfId, seg, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;
const base = createState(sc, 777, N);
const T = (id: string) => indexOfId(sc.population.traits, id);
const S = (id: string) => indexOfId(sc.signals, id);
const D = (id: string) => indexOfId(sc.consentDesigns, id);

/** Runs the collection step of a round on a copy of `from`, reading every trait. */
function collectWith(given: Partial<PlainDecisions>, from: SimState = base, scenario: Scenario = sc) {
  const state = cloneState(from);
  const c = compileScenario(scenario);
  const d = resolveDecisions(scenario, state.round, given, state.lastDecisions, state.listeners);
  const col = startCollection(c, state, d, scenario.population.traits.map((_, t) => t)).finish();
  // The workspace is reused by the next round: copy what the test reads.
  return {
    state,
    d,
    covered: col.covered,
    members: col.members,
    coverage: Uint32Array.from(col.ws.readKey, (key) => signalsCovering(col.classes.table, key)),
    observed: col.ws.observed.map((o) => o.slice()),
    observer: col.ws.observed.map((o, t) => Uint8Array.from(o, (_, i) => observerOf(col.readers[t]!, col.ws.readKey, o, i))),
    membership: col.ws.membership.slice(),
    targetable: Uint8Array.from(col.ws.readKey, (key) => (canTarget(key) ? 1 : 0)),
    targetableCount: col.targetableCount,
  };
}

const has = (mask: number, s: number) => (mask & (1 << s)) !== 0;

describe('collection: who each signal covers', { timeout: SIM_TIMEOUT }, () => {
  it('covers each attitude group at the consent design’s rate (clear 15/50/85, bundled 40/80/97, buried 95/98/100 %)', () => {
    const table: Record<string, number[]> = { clear_opt_in: [0.15, 0.5, 0.85], bundled: [0.4, 0.8, 0.97], buried: [0.95, 0.98, 1] };
    for (const [design, expected] of Object.entries(table)) {
      const r = collectWith({ signals: ['listening_history'], consent: design });
      sc.population.attitudes.forEach((a, k) => {
        let n = 0;
        let covered = 0;
        for (let i = 0; i < N; i++) {
          if (base.pop.attitude[i] !== k) continue;
          n++;
          if (has(r.coverage[i]!, S('listening_history'))) covered++;
        }
        expectShare(covered, n, expected[k]!, `${design}/${a.id}`);
      });
      const total = r.coverage.reduce((acc, m) => acc + (has(m, S('listening_history')) ? 1 : 0), 0);
      expect(r.covered[S('listening_history')]).toBe(total);
    }
  });

  it('covers everyone with contract and legitimate-interest signals; opted-out listeners keep only contract data; churned ones none', () => {
    const state = cloneState(base);
    for (let i = 0; i < N; i++) {
      if (i % 5 === 0) state.pop.status[i] = OPTED_OUT;
      if (i % 7 === 0) state.pop.status[i] = state.pop.status[i]! | CHURNED;
    }
    const r = collectWith({ signals: ['account_profile', 'time_of_day', 'listening_history'], consent: 'clear_opt_in' }, state);
    const [acc, time, hist] = [S('account_profile'), S('time_of_day'), S('listening_history')];
    let checked = 0;
    const wrong: number[] = [];
    for (let i = 0; i < N; i++) {
      const m = r.coverage[i]!;
      let ok: boolean;
      if (i % 7 === 0) ok = m === 0;
      else if (i % 5 === 0) ok = m === 1 << acc;
      else {
        ok = has(m, acc) && has(m, time) && has(m, hist) === ((base.pop.agrees[i]! & (1 << D('clear_opt_in'))) !== 0);
        checked++;
      }
      if (!ok) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(6000);
    // The data held grows by what was collected.
    expect(Buffer.compare(Buffer.from(r.state.pop.held.buffer), Buffer.from(r.coverage.buffer))).toBe(0);
  });

  it('covers OS-gated signals at about the OS’s prompt opt-in, whatever the consent design', () => {
    for (const design of ['buried', 'clear_opt_in']) {
      const r = collectWith({ signals: ['motion_sensors', 'precise_location'], consent: design });
      const agreeBit = 1 << D(design);
      sc.population.os.forEach((os, o) => {
        let consenting = 0;
        let motion = 0;
        let precise = 0;
        for (let i = 0; i < N; i++) {
          if (base.pop.os[i] !== o || (base.pop.agrees[i]! & agreeBit) === 0) continue;
          consenting++;
          if (has(r.coverage[i]!, S('motion_sensors'))) motion++;
          if (has(r.coverage[i]!, S('precise_location'))) precise++;
        }
        // Precise location is gated on both systems; motion sensors on iOS only.
        expectShare(precise, consenting, os.promptOptIn, `${design}/${os.id} precise_location`);
        if (os.id === 'ios') expectShare(motion, consenting, os.promptOptIn, `${design}/ios motion_sensors`);
        else expect(motion).toBe(consenting);
      });
      // Nobody is covered without consent.
      let withoutConsent = 0;
      for (let i = 0; i < N; i++) if ((base.pop.agrees[i]! & agreeBit) === 0 && r.coverage[i] !== 0) withoutConsent++;
      expect(withoutConsent).toBe(0);
    }
  });

  it('gates a signal on an OS after an OS privacy update (state.extraGates)', () => {
    const state = cloneState(base);
    state.extraGates.push({ signal: 'motion_sensors', os: 'android' });
    const r = collectWith({ signals: ['motion_sensors'], consent: 'buried' }, state);
    const android = indexOfId(sc.population.os, 'android');
    let consenting = 0;
    let covered = 0;
    for (let i = 0; i < N; i++) {
      if (base.pop.os[i] !== android || (base.pop.agrees[i]! & (1 << D('buried'))) === 0) continue;
      consenting++;
      if (has(r.coverage[i]!, S('motion_sensors'))) {
        covered++;
        if ((base.pop.agrees[i]! & ALLOWS_OS_PROMPT) === 0) throw new Error(`listener ${i} is covered without allowing the prompt`);
      }
    }
    expectShare(covered, consenting, 0.7, 'android motion after the update');
  });

  it('refuses a listener in a coverage class the population never had (consent answers changed after it was made)', () => {
    const state = createState(sc, 5, 2000);
    // Works out the classes this population's listeners can be in.
    collectWith({ signals: ['listening_history'] }, state);
    const { agrees, os } = state.pop;
    const seen = new Set(Array.from(agrees, (a, i) => a * 8 + os[i]!));
    agrees[0] = Array.from({ length: 256 }, (_, v) => v).find((v) => !seen.has(v * 8 + os[0]!))!;
    expect(() => collectWith({ signals: ['listening_history'] }, state)).toThrow(/coverage class the round did not expect/);
  });
});

describe('observation: what the company reads about each trait', { timeout: SIM_TIMEOUT }, () => {
  /**
   * Over the listeners read by `signal`: readings that are right, missing, and wrong; wrong ones
   * tallied by their offset from the truth (observed − true, mod V) and by (true, observed) value.
   */
  function readingShares(r: ReturnType<typeof collectWith>, trait: string, signal: string) {
    const t = T(trait);
    const V = sc.population.traits[t]!.values.length;
    let n = 0;
    let right = 0;
    let missing = 0;
    let wrong = 0;
    const byOffset = new Array<number>(V).fill(0);
    const byPair = Array.from({ length: V }, () => new Array<number>(V).fill(0));
    for (let i = 0; i < N; i++) {
      if (r.targetable[i] === 0 || !has(r.coverage[i]!, S(signal))) continue;
      n++;
      const read = r.observed[t]![i]!;
      const truth = base.pop.traits[t]![i]!;
      if (read === MISSING) missing++;
      else if (read === truth) right++;
      else {
        wrong++;
        byOffset[(read - truth + V) % V]!++;
        byPair[truth]![read]!++;
      }
    }
    return { n, right, missing, wrong, byOffset, byPair };
  }

  it.each([
    ['night_owl', 'time_of_day', 0.8],
    ['commuter', 'time_of_day', 0.8],
    ['age', 'account_profile', 0.9],
    ['region', 'coarse_location', 0.95],
    ['genre', 'listening_history', 0.9],
    // Mood is skewed (72 % "steady"): under the old model a weak reader's wrong guesses, drawn from
    // that distribution, often landed on the truth (right ≈ 52 %). Now a wrong reading is never the
    // truth, so mood is right at its accuracy, 35 %.
    ['mood', 'listening_history', 0.35],
  ])('reads %s through %s right at its accuracy %f, missing or another value (chosen evenly) otherwise', (trait, signal, accuracy) => {
    const r = collectWith({ signals: ['account_profile', 'time_of_day', 'coarse_location', 'listening_history'], consent: 'bundled' });
    const { n, right, missing, wrong, byOffset } = readingShares(r, trait, signal);
    // Signals that need no consent read every targetable listener; listening history only those who agreed.
    if (signal === 'listening_history') expect(n).toBeLessThan(0.9 * r.targetableCount);
    else expect(n).toBe(r.targetableCount);
    const m = sc.response.errorMissingShare;
    const V = sc.population.traits[T(trait)]!.values.length;
    // Right exactly at the accuracy; the errors split into missing (share m) and another value.
    expectShare(right, n, accuracy, `${trait} right`);
    expectShare(missing, n, (1 - accuracy) * m, `${trait} missing`);
    expectShare(wrong, n, (1 - accuracy) * (1 - m), `${trait} wrong`);
    // A wrong reading is never the truth (offset 0) and is each other value equally often:
    // every offset 1 … V−1 from the truth takes 1 / (V − 1) of the wrong readings.
    expect(byOffset[0]).toBe(0);
    for (let k = 1; k < V; k++) expectShare(byOffset[k]!, wrong, 1 / (V - 1), `${trait} wrong by +${k}`);
  });

  it('spreads wrong readings evenly over the other values, whatever the true value and the trait’s distribution', () => {
    // Mood through listening history (0.35): many wrong readings, and a skewed trait (72 % steady).
    // Drawn from the trait's distribution, a wrong reading of a steady listener would say
    // celebration 9/28 of the time; chosen evenly it says each of the other four values 1/4 of the time.
    const r = collectWith({ signals: ['listening_history'], consent: 'buried' });
    const mood = T('mood');
    const { byPair } = readingShares(r, 'mood', 'listening_history');
    const values = sc.population.traits[mood]!.values;
    let checked = 0;
    values.forEach((v, truth) => {
      const wrongOfTruth = byPair[truth]!.reduce((a, x) => a + x, 0);
      if (wrongOfTruth < 100) return;
      checked++;
      expect(byPair[truth]![truth]).toBe(0);
      values.forEach((w, read) => {
        if (read !== truth) expectShare(byPair[truth]![read]!, wrongOfTruth, 1 / (values.length - 1), `${v.id} read as ${w.id}`);
      });
    });
    // At least steady (about 1,000 wrong readings) and one rarer value are checked.
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('decides each reading by the listener’s fixed noise: right below the accuracy, then missing, then another value', () => {
    // noise / 65536 is the listener's u for the trait: right when u < accuracy, missing when
    // u < accuracy + (1 − accuracy) · errorMissingShare, else another value. Readings look the noise
    // up at 1/1024 resolution, so listeners within 1/1024 of a boundary are skipped.
    const r = collectWith({ signals: ['account_profile', 'time_of_day', 'listening_history'], consent: 'buried' });
    const m = sc.response.errorMissingShare;
    const mismatched: string[] = [];
    const seen = { right: 0, missing: 0, wrong: 0 };
    for (const [trait, signal, accuracy] of [
      ['age', 'account_profile', 0.9],
      ['commuter', 'time_of_day', 0.8],
      ['mood', 'listening_history', 0.35],
      ['genre', 'listening_history', 0.9],
    ] as const) {
      const t = T(trait);
      const missAt = accuracy + (1 - accuracy) * m;
      const near = (u: number, edge: number) => Math.abs(u - edge) < 1 / 1024;
      for (let i = 0; i < N; i++) {
        // `signal` is the only collected signal that reads `trait`.
        if (r.targetable[i] === 0 || !has(r.coverage[i]!, S(signal))) continue;
        const u = base.pop.noise[t]![i]! / 65536;
        if (near(u, accuracy) || near(u, missAt)) continue;
        const read = r.observed[t]![i]!;
        const truth = base.pop.traits[t]![i]!;
        const expected = u < accuracy ? 'right' : u < missAt ? 'missing' : 'wrong';
        const got = read === MISSING ? 'missing' : read === truth ? 'right' : 'wrong';
        seen[got]++;
        if (got !== expected) mismatched.push(`${trait} #${i}: u ${u.toFixed(4)} read ${got}, expected ${expected}`);
      }
    }
    expect(mismatched.length, mismatched.slice(0, 5).join('\n')).toBe(0);
    expect(Math.min(seen.right, seen.missing, seen.wrong)).toBeGreaterThan(500);
  });

  it('reads each trait with the most accurate covering signal', () => {
    const r = collectWith({ signals: ['listening_history', 'searches', 'account_profile', 'coarse_location'], consent: 'bundled' });
    const mood = T('mood');
    const region = T('region');
    let bySearches = 0;
    let byHistory = 0;
    const wrong: number[] = [];
    for (let i = 0; i < N; i++) {
      if (r.targetable[i] === 0) continue;
      const m = r.coverage[i]!;
      const by = r.observer[mood]![i]!;
      if (r.observed[mood]![i] === MISSING) {
        if (by !== MISSING) wrong.push(i);
      } else if (has(m, S('searches'))) {
        if (by !== S('searches')) wrong.push(i);
        bySearches++;
      } else if (has(m, S('listening_history'))) {
        if (by !== S('listening_history')) wrong.push(i);
        byHistory++;
      } else wrong.push(i);
      // Region: coarse location (0.95) beats the account profile (0.8).
      if (r.observed[region]![i] !== MISSING && r.observer[region]![i] !== S('coarse_location')) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    // Both signals share the same consent answer, so searches read every covered listener.
    expect(bySearches).toBeGreaterThan(3000);
    expect(byHistory).toBe(0);
  });

  it('reads nothing about listeners that cannot be targeted (premium, opted out, churned)', () => {
    const state = cloneState(base);
    for (let i = 0; i < N; i += 3) state.pop.status[i] = OPTED_OUT;
    for (let i = 1; i < N; i += 11) state.pop.status[i] = CHURNED;
    const r = collectWith({ signals: sc.signals.map((s) => s.id), consent: 'buried' }, state);
    const targetable = r.targetable;
    let readable = 0;
    const wrong: number[] = [];
    for (let i = 0; i < N; i++) {
      const shouldRead = state.pop.premium[i] === 0 && state.pop.status[i] === 0;
      if (targetable[i] !== (shouldRead ? 1 : 0)) wrong.push(i);
      if (!shouldRead) {
        if (r.observed.some((o) => o[i] !== MISSING)) wrong.push(i);
      } else if (r.observed[T('age')]![i] !== MISSING) readable++;
    }
    expect(wrong).toEqual([]);
    expect(readable).toBeGreaterThan(3000);
  });

  it('gives a listener the same reading of a fixed trait in every round, while moods drift', () => {
    const given = { signals: ['listening_history', 'account_profile'], consent: 'buried' };
    const first = collectWith(given);
    const later = cloneState(base);
    later.round = 1;
    const second = collectWith(given, later);
    const genre = T('genre');
    const age = T('age');
    expect(Buffer.compare(second.observed[genre]!, first.observed[genre]!)).toBe(0);
    expect(Buffer.compare(second.observed[age]!, first.observed[age]!)).toBe(0);
    expect(first.observed[genre]!.filter((v) => v !== MISSING).length).toBeGreaterThan(3000);
    // Drift: a mood is redrawn with p = 0.5, and a redraw changes it with p = 1 − Σ share².
    const later2 = cloneState(base);
    later2.round = 1;
    const drifted = collectWith(given, later2).state;
    for (const [trait, change] of [
      ['mood', 0.5],
      ['financial_stress', 0.1],
      ['age', 0],
    ] as const) {
      const t = T(trait);
      const values = sc.population.traits[t]!.values;
      const stay = values.reduce((a, v) => a + v.share * v.share, 0);
      let changed = 0;
      for (let i = 0; i < N; i++) if (drifted.pop.traits[t]![i] !== base.pop.traits[t]![i]) changed++;
      expect(sc.population.traits[t]!.changeEachRound).toBe(change);
      expectShare(changed, N, change * (1 - stay), `${trait} drift`);
    }
  });
});

type Rule = { any: { all: { trait: string; in: string[] }[] }[] };

/** Collects with the given segments and checks every listener's membership and the member counts against the rules, read naively. */
function expectMembershipByTheRules(segments: { id: string; rule: Rule }[], state: SimState, scenario: Scenario = sc) {
  const r = collectWith({ signals: ['listening_history', 'time_of_day', 'coarse_location', 'account_profile', 'searches'], consent: 'bundled', segments }, state, scenario);
  const valueIndex = (trait: string, v: string) => indexOfId(sc.population.traits[T(trait)]!.values, v);
  const matches = (rule: Rule, i: number) =>
    rule.any.some((clause) => clause.all.every((cond) => cond.in.map((v) => valueIndex(cond.trait, v)).includes(r.observed[T(cond.trait)]![i]!)));
  const members = segments.map(() => 0);
  const wrong: number[] = [];
  for (let i = 0; i < N; i++) {
    const targetable = state.pop.premium[i] === 0 && state.pop.status[i] === 0;
    let expected = 0;
    segments.forEach((s, k) => {
      if (targetable && matches(s.rule, i)) {
        expected = (expected | (1 << k)) >>> 0;
        members[k]!++;
      }
    });
    if (r.membership[i] !== expected) wrong.push(i);
  }
  expect(wrong).toEqual([]);
  expect(Array.from(r.members)).toEqual(members);
  return { r, members };
}

describe('segments: membership over observed attributes', { timeout: SIM_TIMEOUT }, () => {
  const optedOut = cloneState(base);
  for (let i = 0; i < N; i += 4) optedOut.pop.status[i] = OPTED_OUT;

  it('puts exactly the targetable listeners whose observed attributes match the rule in a segment', () => {
    const rule = {
      any: [
        { all: [{ trait: 'genre', in: ['pop', 'latin'] }, { trait: 'night_owl', in: ['yes'] }] },
        { all: [{ trait: 'region', in: ['harbour'] }] },
      ],
    };
    const { r, members } = expectMembershipByTheRules([{ id: 'night_fans_or_harbour', rule }, seg('commuters', 'commuter', ['yes'])], optedOut);
    expect(members[0]).toBeGreaterThan(500);
    expect(members[0]).toBeLessThan(r.targetableCount);
    // Observed membership differs from the truth (readings are noisy).
    const yes = indexOfId(sc.population.traits[T('commuter')]!.values, 'yes');
    let trulyCommuters = 0;
    for (let i = 0; i < N; i++) if ((r.membership[i]! & 2) !== 0 && base.pop.traits[T('commuter')]![i] === yes) trulyCommuters++;
    expect(trulyCommuters).toBeLessThan(members[1]!);
  });

  it('joins rules with many distinct conditions (more than one table holds), and rules that share conditions', () => {
    const values = (trait: string) => sc.population.traits[T(trait)]!.values.map((v) => v.id);
    // A condition per genre and per age, and two more: 15 distinct conditions in two segments.
    const night = { trait: 'night_owl', in: ['yes'] };
    const many = [
      { id: 'night_genre', rule: { any: values('genre').map((g) => ({ all: [{ trait: 'genre', in: [g] }, night] })) } },
      { id: 'any_age_or_commuter', rule: { any: [...values('age').map((a) => ({ all: [{ trait: 'age', in: [a] }] })), { all: [{ trait: 'commuter', in: ['yes'] }] }] } },
      { id: 'night', rule: { any: [{ all: [night] }] } },
    ];
    expectMembershipByTheRules(many, optedOut);
    expectMembershipByTheRules(many.slice(1), optedOut);
    // 32 segments on one condition: the table gives the last one bit 31.
    const same = Array.from({ length: 32 }, (_, k) => seg(`s${k}`, 'commuter', ['yes']));
    const { members } = expectMembershipByTheRules(same, optedOut, { ...sc, maxSegments: 32 });
    expect(new Set(members).size).toBe(1);
    expect(members[0]).toBeGreaterThan(0);
  });
});
