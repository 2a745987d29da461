import { describe, expect, it } from 'vitest';
import { createState, playRound, previewRound, type Criterion, type PlainDecisions, type Scenario, type SegmentReportCard } from '../../../src/sim';
import { compileScenario, listenersMeeting, patternsOf } from '../../../src/sim/compiled';
import { cardStats, type CardInputs, type KnownTruth } from '../../../src/sim/reportCard';
import { assign, countTargetable, expectNear, quietScenario, readInto, seg, SIM_TIMEOUT } from '../support';

const N = 10_000;
const SEED = 4242;

const decisions: Partial<PlainDecisions> = {
  signals: ['account_profile', 'time_of_day', 'coarse_location', 'motion_sensors'],
  consent: 'buried',
  segments: [
    seg('commuters', 'commuter', ['yes']),
    seg('harbour', 'region', ['harbour']),
    seg('runners', 'runner', ['yes']),
    {
      id: 'northgate_teen_owls',
      rule: { any: [{ all: [{ trait: 'age', in: ['13-17'] }, { trait: 'night_owl', in: ['yes'] }, { trait: 'region', in: ['northgate'] }] }] },
    },
    seg('heartbroken', 'mood', ['heartbreak']),
  ],
  assignments: [assign('metro_coffee', 'commuters', 15_000, 5), assign('live_nights', 'harbour', 5000, 3)],
};

function play(scenario: Scenario) {
  const state = createState(scenario, SEED, N);
  const { result } = playRound(scenario, state, decisions);
  const cards = Object.fromEntries(result.segments.map((c) => [c.segment, c])) as Record<string, SegmentReportCard>;
  return { state, result, cards };
}

const sc = quietScenario();
const { state, result, cards } = play(sc);
const m = sc.response.errorMissingShare;

/**
 * P(truly v | read as v) for a reader of accuracy a on a value of share s of a trait with V values:
 * right readings (a·s) against the other values' wrong readings that land on v ((1 − a)(1 − m)(1 − s) / (V − 1)).
 */
const precision = (a: number, V: number, s: number) => {
  const { truly, falsely } = readInto(a, m, V, 1, s);
  return truly / (truly + falsely);
};

function gradeAtLeast(value: number, [pass, partial]: [number, number]) {
  return value >= pass ? 'pass' : value >= partial ? 'partial' : 'fail';
}
function gradeAtMost(value: number, [pass, partial]: [number, number]) {
  return value <= pass ? 'pass' : value <= partial ? 'partial' : 'fail';
}
const points = (c: Criterion) => ({ pass: 1, partial: 0.5, fail: 0 })[c.grade];

describe('segment report card (judged against the truth)', { timeout: SIM_TIMEOUT }, () => {
  it('grades every criterion by the pack’s thresholds and scores the mean of the grades', () => {
    const k = sc.segmentCriteria;
    const seen = new Set<string>();
    for (const card of result.segments) {
      expect(card.substantial.grade, card.segment).toBe(gradeAtLeast(card.substantial.value, k.substantialShare));
      expect(card.heterogeneous.grade, card.segment).toBe(gradeAtLeast(card.heterogeneous.value, k.heterogeneousGap));
      expect(card.operational.grade, card.segment).toBe(gradeAtLeast(card.operational.value, k.operationalPrecision));
      if (card.members > 0) expect(card.homogeneous.grade, card.segment).toBe(gradeAtMost(card.homogeneous.value, k.homogeneousSd));
      expect(card.score).toBeCloseTo((points(card.substantial) + points(card.homogeneous) + points(card.heterogeneous) + points(card.operational)) / 4, 12);
      for (const c of [card.substantial, card.homogeneous, card.heterogeneous, card.operational]) seen.add(c.grade);
    }
    // The segments were chosen so that all three grades occur.
    expect([...seen].sort()).toEqual(['fail', 'partial', 'pass']);
  });

  it('measures substantial as members ÷ targetable listeners, and heterogeneity as the gap to everyone else', () => {
    const targetable = countTargetable(state);
    for (const card of result.segments) {
      expect(card.substantial.value).toBe(card.members / targetable);
      expect(card.heterogeneous.value).toBeCloseTo(card.meanRelevance - card.othersMeanRelevance, 12);
    }
    expect(cards.northgate_teen_owls!.substantial.grade).toBe('fail');
    expect(cards.northgate_teen_owls!.members).toBeGreaterThan(0);
  });

  it('judges an assigned segment against its campaign: commuters × metro coffee match the model’s expectations', () => {
    // Commuters are read by time of day (accuracy 0.8); 40 % commute. Metro coffee: 0.1 + 0.4·commuter + 0.2·food.
    const card = cards.commuters!;
    expect(card.campaign).toBe('metro_coffee');
    expect(card.assigned).toBe(true);
    // A wrong reading of a yes/no trait is the other value. Members: commuters read right
    // (0.8 × 0.4 = 0.32) plus non-commuters misread as commuters ((1 − 0.8)(1 − ½) × 0.6 = 0.06),
    // 38 % of targetable listeners, of whom 0.32 / 0.38 ≈ 84 % commute. The other 62 % hold the
    // commuters read as "no" or missing (0.4 − 0.32 = 0.08): 13 % commute. Food (20 %) is independent.
    const s = 0.4;
    const { truly, falsely } = readInto(0.8, m, 2, 1, s);
    expect(m).toBe(0.5);
    expect([truly, falsely].map((x) => x.toFixed(6))).toEqual(['0.320000', '0.060000']);
    const p = truly / (truly + falsely);
    const targetable = countTargetable(state);
    expectNear(card.members / targetable, truly + falsely, 0.02, 'members');
    expectNear(card.operational.value, p, 0.02, 'operational');
    expectNear(card.meanRelevance, 0.1 + 0.4 * p + 0.2 * 0.2, 0.015, 'mean relevance');
    const pOthers = (s - truly) / (1 - (truly + falsely));
    expectNear(card.othersMeanRelevance, 0.1 + 0.4 * pOthers + 0.2 * 0.2, 0.015, 'others');
    expectNear(card.homogeneous.value, Math.sqrt(0.16 * p * (1 - p) + 0.04 * 0.2 * 0.8), 0.01, 'sd');
    expect(card.operational.grade).toBe('pass');
    expect(card.heterogeneous.grade).toBe('pass');
    expect(card.homogeneous.grade).toBe('partial');
  });

  it('grades a segment whose defining trait barely moves the campaign as only partly heterogeneous (harbour × live nights)', () => {
    const card = cards.harbour!;
    expect(card.campaign).toBe('live_nights');
    // Region (5 values) is read by coarse location (0.95); harbour is 18 % of listeners and only worth
    // +0.2 relevance (as is old town, 22 %). Members: 0.95 × 0.18 = 0.171 read right, plus 0.005125
    // misread from the other four regions ((1 − 0.95)(1 − ½)/4 of each), so 97 % live in harbour.
    // Genre and age are independent of region, so the gap is 0.2 × (P(old town or harbour | member)
    // − P(old town or harbour | other)) = 0.2 × (0.979 − 0.276) ≈ 0.14.
    expectNear(card.operational.value, precision(0.95, 5, 0.18), 0.02, 'operational');
    const { truly, falsely } = readInto(0.95, m, 5, 1, 0.18);
    const fromOldTown = (falsely * 0.22) / 0.82;
    const memberShare = (truly + fromOldTown) / (truly + falsely);
    const othersShare = (0.22 + 0.18 - truly - fromOldTown) / (1 - truly - falsely);
    expect(0.2 * (memberShare - othersShare)).toBeCloseTo(0.1405, 4);
    expectNear(card.heterogeneous.value, 0.2 * (memberShare - othersShare), 0.03, 'gap');
    expect(card.heterogeneous.grade).toBe('partial');
  });

  it('judges an unassigned segment against the campaign that fits its members best', () => {
    const card = cards.runners!;
    expect(card.assigned).toBe(false);
    expect(card.campaign).toBe('stride_shoes');
    // Runners (15 %) are read by motion sensors (0.85) where covered (consent, and on iOS the prompt).
    // A wrong reading flips yes/no, so the 85 % who do not run add (1 − 0.85)(1 − ½) × 0.85 = 0.064
    // false members to the 0.85 × 0.15 = 0.1275 true ones: only 2 in 3 members really run (partial).
    const { truly, falsely } = readInto(0.85, m, 2, 1, 0.15);
    const p = truly / (truly + falsely);
    expect(p).toBeCloseTo(2 / 3, 9);
    expectNear(card.operational.value, p, 0.05, 'operational');
    expect(card.operational.grade).toBe('partial');
    // Others: the uncovered listeners (15 % run) and the covered runners read as "no" or missing.
    // Stride shoes: 0.05 + 0.65·runner + 0.25·fitness (independent), so the gap is
    // 0.65 × (2/3 − 0.077) ≈ 0.38 at ≈ 64 % coverage (buried consent, 97.6 % over the attitudes, ×
    // Android 55 % + iOS 45 % × 25 % who allow the prompt): a clear pass all the same.
    const f = result.coverage.find((x) => x.signal === 'motion_sensors')!.covered / N;
    expectNear(f, 0.976 * (0.55 + 0.45 * 0.25), 0.02, 'motion sensor coverage');
    const pOthers = (0.15 - f * truly) / (1 - f * (truly + falsely));
    expectNear(card.meanRelevance - card.othersMeanRelevance, 0.65 * (p - pOthers), 0.04, 'gap');
    expect(card.heterogeneous.grade).toBe('pass');
  });

  it('fails every criterion of an empty segment (no signal reads mood)', () => {
    const card = cards.heartbroken!;
    expect(card.members).toBe(0);
    expect([card.substantial, card.homogeneous, card.operational].map((c) => [c.value, c.grade])).toEqual([
      [0, 'fail'],
      [0, 'fail'],
      [0, 'fail'],
    ]);
  });

  it('takes its thresholds from the pack: stricter criteria give lower grades on the same values', () => {
    const strict = quietScenario((s) => {
      s.segmentCriteria.substantialShare = [0.5, 0.3];
      s.segmentCriteria.homogeneousSd = [0.05, 0.1];
      s.segmentCriteria.operationalPrecision = [0.99, 0.95];
    });
    const again = play(strict).cards.commuters!;
    const before = cards.commuters!;
    expect(again.substantial.value).toBe(before.substantial.value);
    expect(again.homogeneous.value).toBe(before.homogeneous.value);
    expect(again.operational.value).toBe(before.operational.value);
    expect([again.substantial.grade, again.homogeneous.grade, again.operational.grade]).toEqual(['partial', 'fail', 'fail']);
    expect(again.score).toBeLessThan(before.score);
  });

  it('computes the spread criteria on a sample when there are more targetable listeners than sampleListeners', () => {
    const sampled = play(quietScenario((s) => (s.segmentCriteria.sampleListeners = 1000))).cards.commuters!;
    const before = cards.commuters!;
    expect(sampled.substantial.value).toBe(before.substantial.value); // exact counts, never sampled
    expect(sampled.members).toBe(before.members);
    expect(sampled.meanRelevance).not.toBe(before.meanRelevance);
    expectNear(sampled.meanRelevance, before.meanRelevance, 0.05, 'sampled mean');
    expectNear(sampled.operational.value, before.operational.value, 0.05, 'sampled operational');
  });
});

describe('segment report card statistics', { timeout: SIM_TIMEOUT }, () => {
  it('are the same worked out from the values as from what a market memo knows, whatever the conditions (wide masks on different traits too)', () => {
    const c = compileScenario(sc);
    const n = 3000;
    const values = state.pop.traits.map((t) => t.slice(0, n));
    // Value 16 of trait 0 (past its values: only the condition's bit for it is read). The conditions
    // below then have masks 0x10001 (trait 0) and 1 (trait 1): each must be looked up as its own.
    for (let i = 0; i < n; i += 3) values[0]![i] = 16;
    const sample = Int32Array.from({ length: n }, (_, i) => i);
    const inputs: CardInputs = {
      sample,
      membership: Uint32Array.from(sample, (i) => i % 4),
      values,
      truth: true,
      tables: c.campaigns,
      campaigns: sc.campaigns.length,
      segments: [{ clauses: [[{ trait: 0, mask: 0x10001 }]] }, { clauses: [[{ trait: 1, mask: 1 }]] }],
      assigned: Int32Array.of(0, 1),
    };
    const known: KnownTruth = {
      patterns: (camp) => {
        const patterns = new Uint16Array(n);
        patternsOf(c.campaigns, camp, sample, values, patterns);
        return patterns;
      },
      meeting: (trait, mask) => listenersMeeting(values[trait]!, mask, n),
    };
    const alone = new Float64Array(64);
    const fromMemo = new Float64Array(64);
    cardStats(inputs, alone);
    cardStats(inputs, fromMemo, known);
    expect([...alone]).toEqual([...fromMemo]);
    expect(alone.some((x) => x > 0)).toBe(true);
  });
});

describe('segment report card (estimated before the round)', { timeout: SIM_TIMEOUT }, () => {
  it('estimates operational from the accuracy of the weakest reading behind each member', () => {
    const preview = previewRound(sc, createState(sc, SEED, N), decisions);
    const est = Object.fromEntries(preview.estimatedCards.map((c) => [c.segment, c]));
    // Every commuter member is read by time of day (0.8); every harbour member by coarse location (0.95).
    expect(est.commuters!.operational.value).toBeCloseTo(0.8, 9);
    expect(est.harbour!.operational.value).toBeCloseTo(0.95, 9);
    // The member counts are those of the round itself.
    expect(preview.segments).toEqual(result.segments.map((c) => ({ id: c.segment, members: c.members })));
  });
});
