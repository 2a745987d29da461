/**
 * The segment report card on the textbook's four criteria: substantial, homogeneous within,
 * heterogeneous between, operational. Judged against the hidden truth after a round, or estimated
 * from observed attributes while the player is still building segments.
 *
 * Substantial uses exact member counts. The three spread criteria are statistics of the
 * targetable listeners; above `segmentCriteria.sampleListeners` they are computed on the first
 * that many (listeners are drawn independently, so the first ones are a random sample).
 */
import { MISSING, relevanceOf, type CompiledScenario } from './compiled';
import type { CompiledSegment, ResolvedDecisions } from './decisions';
import { matchesRule, type Collection } from './observe';
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
export function readAccuracy(c: CompiledScenario, trait: number, signal: number): number {
  for (const r of c.revealsByTrait[trait]!) if (r.signal === signal) return r.accuracy;
  return 0;
}

/** Listeners up to this index hold the sample: the first `size` targetable ones. */
function sampleEnd(targetable: Uint8Array, size: number): number {
  let seen = 0;
  for (let i = 0; i < targetable.length; i++) {
    seen += targetable[i]!;
    if (seen >= size) return i + 1;
  }
  return targetable.length;
}

/** Sum of each campaign's relevance over the sampled members of segment `bit` (for the best fit). */
function fitOfSegment(end: number, targetable: Uint8Array, membership: Uint32Array, bit: number, c: CompiledScenario, values: Uint8Array[], fit: Float64Array): void {
  for (let i = 0; i < end; i++) {
    if (targetable[i] === 0 || (membership[i]! & bit) === 0) continue;
    for (let x = 0; x < fit.length; x++) fit[x]! += relevanceOf(c.campaigns, x, values, i);
  }
}

/** For one campaign over the sample: relevance summed over everyone, and per segment judged against it. */
function relevanceStats(
  end: number,
  targetable: Uint8Array,
  membership: Uint32Array,
  c: CompiledScenario,
  camp: number,
  values: Uint8Array[],
  segs: Int32Array,
  count: Float64Array,
  sum: Float64Array,
  sumSq: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < end; i++) {
    if (targetable[i] === 0) continue;
    const r = relevanceOf(c.campaigns, camp, values, i);
    total += r;
    const m = membership[i]!;
    if (m === 0) continue;
    for (let q = 0; q < segs.length; q++) {
      const k = segs[q]!;
      if ((m & (1 << k)) === 0) continue;
      count[k]! += 1;
      sum[k]! += r;
      sumSq[k]! += r * r;
    }
  }
  return total;
}

/** Operational over the sampled members: truly matching the rule, or (estimated) the weakest reading's accuracy. */
function operationalSum(c: CompiledScenario, state: SimState, seg: CompiledSegment, bit: number, col: Collection, end: number, source: 'truth' | 'estimate'): number {
  const { ws, targetable } = col;
  let total = 0;
  for (let i = 0; i < end; i++) {
    if (targetable[i] === 0 || (ws.membership[i]! & bit) === 0) continue;
    if (source === 'truth') {
      if (matchesRule(state.pop.traits, i, seg.clauses)) total += 1;
    } else {
      let conf = 1;
      for (const t of seg.traits) {
        const by = ws.observer[t]![i]!;
        if (by !== MISSING) conf = Math.min(conf, readAccuracy(c, t, by));
      }
      total += conf;
    }
  }
  return total;
}

/**
 * Report cards of every segment. For 'estimate', the traits read by the campaigns' relevance
 * must have been read into the workspace (see estimateTraits).
 */
export function segmentReportCards(c: CompiledScenario, state: SimState, d: ResolvedDecisions, col: Collection, source: 'truth' | 'estimate'): SegmentReportCard[] {
  const segs = d.segments;
  if (segs.length === 0) return [];
  const { ws, targetable } = col;
  const values = source === 'truth' ? state.pop.traits : ws.observed;
  const criteria = c.scenario.segmentCriteria;
  const end = sampleEnd(targetable, criteria.sampleListeners);
  const campaignCount = c.scenario.campaigns.length;

  // Which campaign each segment is judged against.
  const chosen = segs.map((_, k) => {
    const assigned = d.assignments.find((a) => a.segment === k);
    if (assigned) return assigned.campaign;
    const fit = new Float64Array(campaignCount);
    fitOfSegment(end, targetable, ws.membership, 1 << k, c, values, fit);
    let best = 0;
    for (let x = 1; x < campaignCount; x++) if (fit[x]! > fit[best]!) best = x;
    return best;
  });

  const count = new Float64Array(segs.length);
  const sum = new Float64Array(segs.length);
  const sumSq = new Float64Array(segs.length);
  const totalFor = new Map<number, number>();
  for (const camp of new Set(chosen)) {
    const judged = Int32Array.from(chosen.flatMap((x, k) => (x === camp ? [k] : [])));
    totalFor.set(camp, relevanceStats(end, targetable, ws.membership, c, camp, values, judged, count, sum, sumSq));
  }
  let sampled = 0;
  for (let i = 0; i < end; i++) sampled += targetable[i]!;

  return segs.map((seg, k) => {
    const inSample = count[k]!;
    const mean = inSample > 0 ? sum[k]! / inSample : 0;
    const variance = inSample > 0 ? Math.max(0, sumSq[k]! / inSample - mean * mean) : 0;
    const others = sampled - inSample;
    const othersMean = others > 0 ? (totalFor.get(chosen[k]!)! - sum[k]!) / others : 0;
    const card = {
      substantial: atLeast(col.targetableCount > 0 ? col.members[k]! / col.targetableCount : 0, criteria.substantialShare),
      homogeneous: inSample > 0 ? atMost(Math.sqrt(variance), criteria.homogeneousSd) : { value: 0, grade: 'fail' as const },
      heterogeneous: atLeast(mean - othersMean, criteria.heterogeneousGap),
      operational: atLeast(inSample > 0 ? operationalSum(c, state, seg, 1 << k, col, end, source) / inSample : 0, criteria.operationalPrecision),
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
      members: col.members[k]!,
      meanRelevance: mean,
      othersMeanRelevance: othersMean,
      ...card,
      score,
    };
  });
}
