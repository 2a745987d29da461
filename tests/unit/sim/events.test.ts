import { describe, expect, it } from 'vitest';
import { cloneState, createState, playPlan, playRound, type EventMetric, type RandomEvent, type Scenario, type SimState } from '../../../src/sim';
import { compileScenario } from '../../../src/sim/compiled';
import { resolveDecisions } from '../../../src/sim/decisions';
import { chanceOf, runEvents, type EventMetrics } from '../../../src/sim/events';
import { startCollection } from '../../../src/sim/observe';
import { nextUniform, seedRng } from '../../../src/sim/random';
import { ALLOWS_OS_PROMPT, CHURNED } from '../../../src/sim/state';
import { assign, defaultScenario, examplePlan, expectShare, indexOfId, quietScenario, scenarioWith, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();

const ZERO: EventMetrics = {
  invalidConsentSensitivity: 0,
  validConsentSensitivity: 0,
  heldSensitivity: 0,
  harmedShare: 0,
  creepyShare: 0,
  minorsAgeRestricted: 0,
  sensitiveUnderInvalidConsent: 0,
  signalsCollected: 0,
};
const metrics = (m: Partial<Record<EventMetric, number>>): EventMetrics => ({ ...ZERO, ...m });

/** The default scenario with only the given random events. */
function withEvents(random: RandomEvent[]): Scenario {
  return scenarioWith((s) => (s.events.random = random));
}

describe('chanceOf', () => {
  const formula = { base: 0.05, per: { invalidConsentSensitivity: 0.04, harmedShare: 2 }, max: 0.9 };

  it('is the base plus each coefficient × metric', () => {
    expect(chanceOf(formula, ZERO)).toBe(0.05);
    expect(chanceOf(formula, metrics({ invalidConsentSensitivity: 5, harmedShare: 0.1 }))).toBeCloseTo(0.05 + 0.2 + 0.2, 12);
    // Metrics without a coefficient do not count.
    expect(chanceOf(formula, metrics({ creepyShare: 1, signalsCollected: 12 }))).toBe(0.05);
  });

  it('stays within [0, max]', () => {
    expect(chanceOf(formula, metrics({ invalidConsentSensitivity: 30 }))).toBe(0.9);
    expect(chanceOf({ base: 0.1, per: { signalsCollected: -0.05 }, max: 0.9 }, metrics({ signalsCollected: 4 }))).toBe(0);
  });

  it('makes the default pack’s press exposé likelier with sensitive data under buried consent than under valid consent', () => {
    const press = sc.events.random.find((e) => e.type === 'pressExpose')!;
    const buried = chanceOf(press.chance, metrics({ invalidConsentSensitivity: 7 }));
    const clear = chanceOf(press.chance, metrics({ validConsentSensitivity: 7 }));
    expect(buried).toBeCloseTo(0.05 + 0.04 * 7, 12);
    expect(clear).toBeCloseTo(0.05 + 0.01 * 7, 12);
  });
});

describe('runEvents', { timeout: SIM_TIMEOUT }, () => {
  it('fires a random event at its chance, more often with higher metrics', () => {
    const scenario = withEvents([{ type: 'advertiserBoycott', chance: { base: 0.1, per: { harmedShare: 2 }, max: 0.9 } }]);
    const c = compileScenario(scenario);
    const state = createState(scenario, 1, 100);
    const frequency = (m: EventMetrics, trials = 2000) => {
      let fired = 0;
      for (let t = 0; t < trials; t++) {
        const s = cloneState(state);
        s.rng = seedRng(t);
        const out = runEvents(c, s, 0, m, 1000);
        if (out.length > 0) {
          fired++;
          expect(out[0]!.chance).toBeCloseTo(chanceOf(scenario.events.random[0]!.chance, m), 12);
          expect(out[0]!.scheduled).toBe(false);
        }
      }
      return fired;
    };
    const low = frequency(metrics({}));
    const mid = frequency(metrics({ harmedShare: 0.2 }));
    const capped = frequency(metrics({ harmedShare: 5 }));
    expectShare(low, 2000, 0.1, 'base');
    expectShare(mid, 2000, 0.5, 'harmed 20 %');
    expectShare(capped, 2000, 0.9, 'capped');
    expect(low).toBeLessThan(mid);
    expect(mid).toBeLessThan(capped);
  });

  it('consumes exactly one draw per random event, fired or not', () => {
    const c = compileScenario(sc);
    const state = createState(sc, 5, 200);
    const expected = [...state.rng] as typeof state.rng;
    for (let k = 0; k < sc.events.random.length; k++) nextUniform(expected);
    const s = cloneState(state);
    runEvents(c, s, 0, ZERO, 0);
    expect(s.rng).toEqual(expected);
    const s2 = cloneState(state);
    runEvents(c, s2, 0, metrics({ invalidConsentSensitivity: 20, harmedShare: 1, heldSensitivity: 20 }), 5000);
    expect(s2.rng).toEqual(expected);
  });

  it('always fires scheduled events, first, and never doubles one that is also drawn', () => {
    // The pack schedules an OS update of motion sensors on Android after round 3 ("scrutiny"); the same
    // update is also a random event of the defaults. Make it certain too.
    const scenario = scenarioWith((s) => {
      for (const e of s.events.random) if (e.type === 'osPrivacyUpdate') e.chance = { base: 1, per: {}, max: 1 };
    });
    const c = compileScenario(scenario);
    const round = indexOfId(scenario.rounds, 'scrutiny');
    const android = indexOfId(scenario.population.os, 'android');
    for (const seed of [1, 2, 3, 4, 5]) {
      const state = createState(scenario, seed, 300);
      state.pop.status[0] = CHURNED;
      let onAndroid = 0;
      for (let i = 1; i < 300; i++) if (state.pop.os[i] === android) onAndroid++;
      const out = runEvents(c, state, round, ZERO, 0);
      const updates = out.filter((e) => e.type === 'osPrivacyUpdate');
      expect(updates).toEqual([{ type: 'osPrivacyUpdate', chance: 1, scheduled: true, signal: 'motion_sensors', os: 'android', cost: 0, affected: onAndroid }]);
      expect(out[0]).toBe(updates[0]);
      expect(state.extraGates).toEqual([{ signal: 'motion_sensors', os: 'android' }]);
      runEvents(c, state, round, ZERO, 0);
      expect(state.extraGates).toHaveLength(1);
    }
  });

  it('fines max(floor per 1,000 listeners, share × annual ad revenue)', () => {
    const scenario = withEvents([{ type: 'regulatorFine', chance: { base: 1, per: {}, max: 1 } }]);
    const c = compileScenario(scenario);
    const e = scenario.events;
    expect([e.fineShareOfAnnualRevenue, e.minimumFinePerThousand, e.roundsPerYear]).toEqual([0.04, 100, 4]);
    const fine = (listeners: number, revenue: number) => {
      const out = runEvents(c, createState(scenario, 9, listeners), 0, ZERO, revenue);
      expect(out.map((x) => x.type)).toEqual(['regulatorFine']);
      return out[0]!.cost;
    };
    expect(fine(500, 100)).toBe(50); // 0.04 × 100 × 4 = 16 < floor 50
    expect(fine(500, 1000)).toBeCloseTo(160, 9); // 0.04 × 1000 × 4
    expect(fine(2000, 1000)).toBe(200); // floor 200 > 160
    expect(fine(2000, 0)).toBe(200);
  });

  it('hits trust per attitude with a press exposé (never below 0, never the churned)', () => {
    const scenario = withEvents([{ type: 'pressExpose', chance: { base: 1, per: {}, max: 1 } }]);
    const c = compileScenario(scenario);
    const state = createState(scenario, 3, 400);
    state.pop.trust[1] = 5;
    state.pop.attitude[1] = indexOfId(scenario.population.attitudes, 'fundamentalist');
    state.pop.status[2] = CHURNED;
    const before = state.pop.trust.slice();
    const out = runEvents(c, state, 0, ZERO, 0);
    expect(out[0]!.affected).toBe(399);
    const hits = scenario.population.attitudes.map((a) => a.pressTrustHit);
    expect(hits).toEqual([-15, -10, -10]);
    expect(state.pop.trust[1]).toBe(0);
    expect(state.pop.trust[2]).toBe(before[2]);
    for (let i = 3; i < 400; i++) expect(state.pop.trust[i]).toBe(Math.fround(Math.max(0, before[i]! + hits[state.pop.attitude[i]!]!)));
  });

  it('charges a data breach per held record by sensitivity ÷ 3, and hits the trust of those whose sensitive data leaked', () => {
    const scenario = withEvents([{ type: 'dataBreach', chance: { base: 1, per: {}, max: 1 } }]);
    const c = compileScenario(scenario);
    const state = createState(scenario, 4, 10);
    const bit = (id: string) => 1 << indexOfId(scenario.signals, id);
    state.pop.held[0] = bit('searches') | bit('account_profile'); // 2 + 1 → weight 1, sensitive
    state.pop.held[1] = bit('time_of_day') | bit('account_profile'); // 0 + 1 → weight ⅓, not sensitive
    state.pop.held[2] = bit('voice'); // 3 → weight 1, sensitive but churned
    state.pop.status[2] = CHURNED;
    // The coverage pass sums what is held (nothing is collected here).
    const none = resolveDecisions(scenario, 0, { signals: [], segments: [], assignments: [] }, state.lastDecisions, state.listeners);
    expect(startCollection(c, cloneState(state), none, []).finish().classes.heldSensitivity).toBe(7);
    const before = state.pop.trust.slice();
    const [breach] = runEvents(c, state, 0, ZERO, 0);
    expect(breach!.cost).toBeCloseTo((1 + 1 / 3 + 1) * scenario.events.breachCostPerRecord, 12);
    expect(breach!.affected).toBe(1);
    expect(state.pop.trust[0]).toBe(Math.fround(before[0]! + scenario.events.breachTrustHit));
    expect(Array.from(state.pop.trust.subarray(1))).toEqual(Array.from(before.subarray(1)));
  });

  it('sums the trust of everyone who has not churned after the events that hit it, in listener order', () => {
    const activeTrust = (state: SimState) => {
      let sum = 0;
      for (let i = 0; i < state.pop.count; i++) if ((state.pop.status[i]! & CHURNED) === 0) sum += state.pop.trust[i]!;
      return sum;
    };
    const state = createState(sc, 5, 500);
    for (let i = 0; i < 500; i += 7) state.pop.status[i] = CHURNED;
    for (let i = 0; i < 500; i += 3) state.pop.held[i] = 0xfff;
    const both = compileScenario(withEvents([{ type: 'pressExpose', chance: { base: 1, per: {}, max: 1 } }, { type: 'dataBreach', chance: { base: 1, per: {}, max: 1 } }]));
    const trust = { sum: null as number | null };
    expect(runEvents(both, state, 0, ZERO, 0, trust).map((e) => e.type)).toEqual(['pressExpose', 'dataBreach']);
    expect(trust.sum).toBe(activeTrust(state));
    // Events that leave trust alone leave the sum unset.
    const boycott = compileScenario(withEvents([{ type: 'advertiserBoycott', chance: { base: 1, per: {}, max: 1 } }]));
    const untouched = { sum: null as number | null };
    runEvents(boycott, state, 0, ZERO, 0, untouched);
    expect(untouched.sum).toBeNull();
  });

  it('makes advertisers pay boycottCpmFactor × CPM in the next round (impressions and fees unchanged)', () => {
    const scenario = quietScenario();
    const state = createState(scenario, 8, 2000);
    const decisions = { assignments: [assign('live_nights', 'everyone', 3000, 3), assign('metro_coffee', 'everyone', 3000, 2)] };
    const normal = playRound(scenario, state, decisions).result;
    const boycotted = cloneState(state);
    boycotted.boycottRoundsLeft = 1;
    const step = playRound(scenario, boycotted, decisions);
    expect(step.state.boycottRoundsLeft).toBe(0);
    const f = scenario.events.boycottCpmFactor;
    step.result.assignments.forEach((a, k) => {
      const n = normal.assignments[k]!;
      expect(a.impressions).toBe(n.impressions);
      expect(a.conversions).toBe(n.conversions);
      const fees = a.conversions * scenario.campaigns[indexOfId(scenario.campaigns, a.campaign)]!.feePerConversion;
      expect(a.revenue - fees).toBeCloseTo(f * (n.revenue - fees), 9);
    });
    expect(step.result.runOfNetworkRevenue).toBeCloseTo(f * normal.runOfNetworkRevenue, 9);
    // A boycott drawn after a round sets the counter for the next.
    const c = compileScenario(withEvents([{ type: 'advertiserBoycott', chance: { base: 1, per: {}, max: 1 } }]));
    const s = cloneState(state);
    runEvents(c, s, 0, ZERO, 0);
    expect(s.boycottRoundsLeft).toBe(scenario.events.boycottRounds);
  });
});

describe('events in a played game', { timeout: SIM_TIMEOUT }, () => {
  it('fire the scheduled OS update in round 3 for every seed, and gate motion sensors on Android from round 4', () => {
    const quiet = quietScenario();
    const plan = [{ signals: ['motion_sensors'], consent: 'buried' }];
    for (const seed of [11, 12, 13]) {
      const { results, state } = playPlan(quiet, seed, 2000, plan);
      expect(results.map((r) => r.events.map((e) => [e.type, e.scheduled]))).toEqual([[], [], [['osPrivacyUpdate', true]]].concat([[]]));
      expect(state.extraGates).toEqual([{ signal: 'motion_sensors', os: 'android' }]);
      const covered = results.map((r) => r.coverage[0]!.covered);
      // Before the update only iOS asks for permission; after it Android does too.
      const buried = 1 << indexOfId(quiet.consentDesigns, 'buried');
      const ios = indexOfId(quiet.population.os, 'ios');
      let before = 0;
      let after = 0;
      for (let i = 0; i < state.pop.count; i++) {
        if (state.pop.status[i] !== 0 || (state.pop.agrees[i]! & buried) === 0) continue;
        const allows = (state.pop.agrees[i]! & ALLOWS_OS_PROMPT) !== 0;
        if (allows || state.pop.os[i] !== ios) before++;
        if (allows) after++;
      }
      expect(results.map((r) => r.listeners.optedOut + r.listeners.churned)).toEqual([0, 0, 0, 0]);
      expect(covered).toEqual([before, before, before, after]);
      expect(after / before).toBeLessThan(0.85);
    }
  });

  it('draw a press exposé far more often after a buried, collect-everything round than after an untargeted one', () => {
    const press = sc.events.random.find((e) => e.type === 'pressExpose')!;
    const tally = (name: string) => {
      const first = examplePlan(name).rounds[0]!;
      let fired = 0;
      let boycotts = 0;
      let chance = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const { result } = playRound(sc, createState(sc, seed, 10_000), first);
        if (result.events.some((e) => e.type === 'pressExpose')) fired++;
        if (result.events.some((e) => e.type === 'advertiserBoycott')) boycotts++;
        chance += chanceOf(press.chance, result.metrics) / 12;
      }
      return { fired, boycotts, chance };
    };
    const untargeted = tally('untargeted');
    const buried = tally('collect-everything-buried');
    expect(untargeted.chance).toBeCloseTo(press.chance.base, 9); // nothing sensitive, no harm, no creepiness
    expect(buried.chance).toBeCloseTo(press.chance.max, 9);
    expect(buried.fired).toBeGreaterThanOrEqual(8);
    expect(untargeted.fired).toBeLessThanOrEqual(3);
    // A boycott's chance is 0 without harm or creepiness.
    expect(untargeted.boycotts).toBe(0);
    expect(buried.boycotts).toBeGreaterThan(0);
  });
});
