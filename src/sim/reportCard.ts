/**
 * The segment report card on the textbook's four criteria: substantial, homogeneous within,
 * heterogeneous between, operational. Judged against the hidden truth after a round, or estimated
 * from observed attributes while the player is still building segments.
 */
import { MISSING, relevanceOf, type CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import { matchesRule, type Workspace } from './observe';
import type { SimState } from './state';

export type Grade = 'pass' | 'partial' | 'fail';

export interface Criterion {
  grade: Grade;
  value: number;
}

export interface SegmentReportCard {
  segment: string;
  /** The campaign the card judges against: the first one assigned to the segment, else the best fit. */
  campaign: string;
  assigned: boolean;
  members: number;
  meanRelevance: number;
  othersMeanRelevance: number;
  substantial: Criterion;
  homogeneous: Criterion;
  heterogeneous: Criterion;
  operational: Criterion;
  /** Mean of the four grades (pass 1, partial ½, fail 0). */
  score: number;
}

const GRADE_POINTS: Record<Grade, number> = { pass: 1, partial: 0.5, fail: 0 };

function atLeast(value: number, [pass, partial]: [number, number]): Criterion {
  return { value, grade: value >= pass ? 'pass' : value >= partial ? 'partial' : 'fail' };
}

function atMost(value: number, [pass, partial]: [number, number]): Criterion {
  return { value, grade: value <= pass ? 'pass' : value <= partial ? 'partial' : 'fail' };
}

/** Accuracy of a signal's reading of a trait, 0 when it does not reveal it. */
function readAccuracy(c: CompiledScenario, trait: number, signal: number): number {
  for (const r of c.revealsByTrait[trait]!) if (r.signal === signal) return r.accuracy;
  return 0;
}

export function segmentReportCards(
  c: CompiledScenario,
  state: SimState,
  d: ResolvedDecisions,
  ws: Workspace,
  source: 'truth' | 'estimate',
): SegmentReportCard[] {
  const segs = d.segments;
  if (segs.length === 0) return [];
  const pop = state.pop;
  const values = source === 'truth' ? pop.traits : ws.observed;
  const { premium, status } = pop;
  const n = pop.count;
  const campaignCount = c.campaigns.length;
  const reachable = (i: number) => premium[i] === 0 && status[i] === 0;

  // Which campaign each segment is judged against.
  const chosen = segs.map((_, k) => d.assignments.find((a) => a.segment === k)?.campaign ?? -1);
  if (chosen.includes(-1)) {
    const fit = new Float64Array(segs.length * campaignCount);
    for (let i = 0; i < n; i++) {
      const m = ws.membership[i]!;
      if (m === 0 || !reachable(i)) continue;
      for (let k = 0; k < segs.length; k++) {
        if (chosen[k] !== -1 || (m & (1 << k)) === 0) continue;
        for (let cc = 0; cc < campaignCount; cc++) fit[k * campaignCount + cc]! += relevanceOf(c.campaigns[cc]!, values, i);
      }
    }
    chosen.forEach((cc, k) => {
      if (cc !== -1) return;
      let best = 0;
      for (let x = 1; x < campaignCount; x++) if (fit[k * campaignCount + x]! > fit[k * campaignCount + best]!) best = x;
      chosen[k] = best;
    });
  }

  const distinct = [...new Set(chosen)];
  const slotOf = new Map(distinct.map((cc, x) => [cc, x]));
  const totalRel = new Float64Array(distinct.length);
  const count = new Float64Array(segs.length);
  const sum = new Float64Array(segs.length);
  const sumSq = new Float64Array(segs.length);
  const operational = new Float64Array(segs.length);
  const rel = new Float64Array(distinct.length);
  let reachableCount = 0;
  for (let i = 0; i < n; i++) {
    if (!reachable(i)) continue;
    reachableCount++;
    for (let x = 0; x < distinct.length; x++) {
      rel[x] = relevanceOf(c.campaigns[distinct[x]!]!, values, i);
      totalRel[x]! += rel[x]!;
    }
    const m = ws.membership[i]!;
    if (m === 0) continue;
    for (let k = 0; k < segs.length; k++) {
      if ((m & (1 << k)) === 0) continue;
      const r = rel[slotOf.get(chosen[k]!)!]!;
      count[k]! += 1;
      sum[k]! += r;
      sumSq[k]! += r * r;
      if (source === 'truth') {
        if (matchesRule(pop.traits, i, segs[k]!.clauses)) operational[k]! += 1;
      } else {
        // Estimated: the weakest reading the rule relies on.
        let conf = 1;
        for (const t of segs[k]!.traits) {
          const by = ws.observer[t]![i]!;
          if (by !== MISSING) conf = Math.min(conf, readAccuracy(c, t, by));
        }
        operational[k]! += conf;
      }
    }
  }

  const criteria = c.scenario.segmentCriteria;
  return segs.map((seg, k) => {
    const members = count[k]!;
    const mean = members > 0 ? sum[k]! / members : 0;
    const variance = members > 0 ? Math.max(0, sumSq[k]! / members - mean * mean) : 0;
    const others = reachableCount - members;
    const othersMean = others > 0 ? (totalRel[slotOf.get(chosen[k]!)!]! - sum[k]!) / others : 0;
    const card = {
      substantial: atLeast(reachableCount > 0 ? members / reachableCount : 0, criteria.substantialShare),
      homogeneous: members > 0 ? atMost(Math.sqrt(variance), criteria.homogeneousSd) : { value: 0, grade: 'fail' as const },
      heterogeneous: atLeast(mean - othersMean, criteria.heterogeneousGap),
      operational: atLeast(members > 0 ? operational[k]! / members : 0, criteria.operationalPrecision),
    };
    const score =
      (GRADE_POINTS[card.substantial.grade] +
        GRADE_POINTS[card.homogeneous.grade] +
        GRADE_POINTS[card.heterogeneous.grade] +
        GRADE_POINTS[card.operational.grade]) /
      4;
    return {
      segment: seg.id,
      campaign: c.scenario.campaigns[chosen[k]!]!.id,
      assigned: d.assignments.some((a) => a.segment === k),
      members,
      meanRelevance: mean,
      othersMeanRelevance: othersMean,
      ...card,
      score,
    };
  });
}
