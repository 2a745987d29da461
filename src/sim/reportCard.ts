/**
 * The segment report card on the textbook's four criteria: substantial, homogeneous within,
 * heterogeneous between, operational. Judged against the hidden truth after a round, or estimated
 * from observed attributes while the player is still building segments.
 *
 * Substantial uses exact member counts. The three spread criteria are statistics of the
 * targetable listeners; above `segmentCriteria.sampleListeners` they are computed on the first
 * that many (listeners are drawn independently, so the first ones are a random sample).
 */
import { MISSING, patternsOf, relevanceTable, type CompiledScenario } from './compiled';
import type { CompiledSegment, ResolvedDecisions } from './decisions';
import type { MarketMemo } from './marketMemo';
import { observerOf, type Collection } from './observe';
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

/** Fills patterns[j] with campaign `camp`'s term pattern of sampled listener j. */
type PatternsOfSample = (camp: number, patterns: Uint16Array) => void;

/** The relevance sums of relevanceStats. */
interface RelevanceStats {
  /** By campaign: relevance summed over the whole sample. */
  total: Float64Array;
  /** By judged segment (index into `judged`): its sampled members, their relevance summed and squared. */
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * The relevance of campaigns[x] (term patterns[x * S + j] of sampled listener j, S the sample size,
 * looked up in relevance[x]) summed over the sample into total[x], and, for each segment judged[q]
 * it judges (q = judgedStart[x] … judgedStart[x + 1] − 1, judgedMask[x] their bits), over its
 * members into count[q], sum[q] and sumSq[q]. All campaigns in one pass, side by side, each sum in
 * listener order.
 */
function accumulateRelevance(
  sample: Int32Array,
  membership: Uint32Array,
  patterns: Uint16Array,
  relevance: Float64Array[],
  judgedStart: Int32Array,
  judged: Int32Array,
  judgedMask: Int32Array,
  stats: RelevanceStats,
): void {
  const { total, count, sum, sumSq } = stats;
  const size = sample.length;
  const campaigns = relevance.length;
  for (let j = 0; j < size; j++) {
    const m = membership[sample[j]!]!;
    for (let x = 0; x < campaigns; x++) {
      const r = relevance[x]![patterns[x * size + j]!]!;
      total[x]! += r;
      if ((m & judgedMask[x]!) === 0) continue;
      for (let q = judgedStart[x]!, end = judgedStart[x + 1]!; q < end; q++) {
        if ((m & (1 << judged[q]!)) === 0) continue;
        count[q]! += 1;
        sum[q]! += r;
        sumSq[q]! += r * r;
      }
    }
  }
}

/**
 * Over the sample, for each campaign camps[x]: its relevance summed over everyone, and over the
 * members of each segment judged against it (judged[judgedStart[x]] …), with count, sum and sum of
 * squares per judged segment.
 */
function relevanceStats(
  sample: Int32Array,
  membership: Uint32Array,
  c: CompiledScenario,
  camps: Int32Array,
  judgedStart: Int32Array,
  judged: Int32Array,
  patternsOfSample: PatternsOfSample,
): RelevanceStats {
  const size = sample.length;
  const patterns = new Uint16Array(size * camps.length);
  camps.forEach((camp, x) => patternsOfSample(camp, patterns.subarray(x * size, (x + 1) * size)));
  const judgedMask = Int32Array.from(camps, (_, x) => {
    let mask = 0;
    for (let q = judgedStart[x]!; q < judgedStart[x + 1]!; q++) mask |= 1 << judged[q]!;
    return mask;
  });
  const stats = { total: new Float64Array(camps.length), count: new Float64Array(judged.length), sum: new Float64Array(judged.length), sumSq: new Float64Array(judged.length) };
  const relevance = Array.from(camps, (camp) => relevanceTable(c.campaigns, camp));
  accumulateRelevance(sample, membership, patterns, relevance, judgedStart, judged, judgedMask, stats);
  return stats;
}

/** Each campaign's relevance summed over the sampled members of segment k (for the best fit), in listener order. */
function fitOfSegment(c: CompiledScenario, sample: Int32Array, membership: Uint32Array, k: number, patternsOfSample: PatternsOfSample): Float64Array {
  const campaigns = c.scenario.campaigns.length;
  const every = Int32Array.from({ length: campaigns }, (_, x) => x);
  // Every campaign judges segment k, once each.
  return relevanceStats(sample, membership, c, every, Int32Array.from({ length: campaigns + 1 }, (_, x) => x), new Int32Array(campaigns).fill(k), patternsOfSample).sum;
}

/**
 * Sampled members of each segment whose true values meet its rule, counted into matching[k], in one
 * pass for every segment. Segment k's clauses are segmentStart[k] … segmentStart[k + 1] − 1, each a
 * flat list of condition masks and the values they read (conditions clauseStart[c] … as in
 * joinSegment). Typed arrays and bit arithmetic, as the membership pass: at 10,000 listeners the
 * whole market is the sample.
 */
function trulyMatching(sample: Int32Array, membership: Uint32Array, segmentStart: Int32Array, clauseStart: Int32Array, values: Uint8Array[], masks: Int32Array, matching: Float64Array): void {
  for (let j = 0; j < sample.length; j++) {
    const i = sample[j]!;
    for (let m = membership[i]!; m !== 0; m &= m - 1) {
      const k = 31 - Math.clz32(m & -m);
      let hit = 0;
      for (let c = segmentStart[k]!, last = segmentStart[k + 1]!; c < last; c++) {
        let all = 1;
        for (let q = clauseStart[c]!, end = clauseStart[c + 1]!; q < end; q++) all &= masks[q]! >>> values[q]![i]!;
        hit |= all;
      }
      matching[k]! += hit & 1;
    }
  }
}

/** Sampled members of each segment whose true values meet its rule. */
function trulyMatchingAll(state: SimState, segs: CompiledSegment[], membership: Uint32Array, sample: Int32Array): Float64Array {
  const clauses = segs.flatMap((seg) => seg.clauses);
  const conds = clauses.flat();
  const segmentStart = new Int32Array(segs.length + 1);
  segs.forEach((seg, k) => (segmentStart[k + 1] = segmentStart[k]! + seg.clauses.length));
  const clauseStart = new Int32Array(clauses.length + 1);
  clauses.forEach((clause, k) => (clauseStart[k + 1] = clauseStart[k]! + clause.length));
  const values = conds.map((cond) => state.pop.traits[cond.trait]!);
  const matching = new Float64Array(segs.length);
  trulyMatching(sample, membership, segmentStart, clauseStart, values, Int32Array.from(conds, (cond) => cond.mask), matching);
  return matching;
}

/** Estimated operational over the sampled members: the weakest reading's accuracy. */
function estimatedOperationalSum(c: CompiledScenario, seg: CompiledSegment, bit: number, col: Collection, sample: Int32Array): number {
  const { ws } = col;
  let total = 0;
  for (let j = 0; j < sample.length; j++) {
    const i = sample[j]!;
    if ((ws.membership[i]! & bit) === 0) continue;
    let conf = 1;
    for (const t of seg.traits) {
      const by = observerOf(col.readers[t]!, ws.readKey, ws.observed[t]!, i);
      if (by !== MISSING) conf = Math.min(conf, readAccuracy(c, t, by));
    }
    total += conf;
  }
  return total;
}

/** Copies the patterns of the sampled listeners out of the patterns of everyone. */
function gather(sample: Int32Array, all: Uint16Array, patterns: Uint16Array): void {
  for (let j = 0; j < sample.length; j++) patterns[j] = all[sample[j]!]!;
}

/**
 * Report cards of every segment. For 'estimate', the traits read by the campaigns' relevance
 * must have been read into the workspace (see estimateTraits). A market memo gives the patterns
 * on the truth.
 */
export function segmentReportCards(
  c: CompiledScenario,
  state: SimState,
  d: ResolvedDecisions,
  col: Collection,
  source: 'truth' | 'estimate',
  memo: MarketMemo | null = null,
): SegmentReportCard[] {
  const segs = d.segments;
  if (segs.length === 0) return [];
  const { ws } = col;
  const values = source === 'truth' ? state.pop.traits : ws.observed;
  const criteria = c.scenario.segmentCriteria;
  const sample = ws.targetList.subarray(0, Math.min(criteria.sampleListeners, col.targetableCount));
  const campaignCount = c.scenario.campaigns.length;
  const patternsOfSample: PatternsOfSample =
    memo && source === 'truth'
      ? (camp, patterns) => gather(sample, memo.truePatterns(c, camp, values), patterns)
      : (camp, patterns) => patternsOf(c.campaigns, camp, sample, values, patterns);

  // Which campaign each segment is judged against.
  const chosen = segs.map((_, k) => {
    const assigned = d.assignments.find((a) => a.segment === k);
    if (assigned) return assigned.campaign;
    const fit = fitOfSegment(c, sample, ws.membership, k, patternsOfSample);
    let best = 0;
    for (let x = 1; x < campaignCount; x++) if (fit[x]! > fit[best]!) best = x;
    return best;
  });

  const camps = [...new Set(chosen)];
  const judged = camps.map((camp) => chosen.flatMap((x, k) => (x === camp ? [k] : [])));
  const judgedStart = new Int32Array(camps.length + 1);
  judged.forEach((list, x) => (judgedStart[x + 1] = judgedStart[x]! + list.length));
  const matching = source === 'truth' ? trulyMatchingAll(state, segs, ws.membership, sample) : null;
  const judgedFlat = Int32Array.from(judged.flat());
  const { total, count, sum, sumSq } = relevanceStats(sample, ws.membership, c, Int32Array.from(camps), judgedStart, judgedFlat, patternsOfSample);
  // Each segment is judged once: where it is in the judged list.
  const at = new Int32Array(segs.length);
  judgedFlat.forEach((k, q) => (at[k] = q));
  const sampled = sample.length;

  return segs.map((seg, k) => {
    const q = at[k]!;
    const inSample = count[q]!;
    const mean = inSample > 0 ? sum[q]! / inSample : 0;
    const variance = inSample > 0 ? Math.max(0, sumSq[q]! / inSample - mean * mean) : 0;
    const others = sampled - inSample;
    const othersMean = others > 0 ? (total[camps.indexOf(chosen[k]!)]! - sum[q]!) / others : 0;
    const card = {
      substantial: atLeast(col.targetableCount > 0 ? col.members[k]! / col.targetableCount : 0, criteria.substantialShare),
      homogeneous: inSample > 0 ? atMost(Math.sqrt(variance), criteria.homogeneousSd) : { value: 0, grade: 'fail' as const },
      heterogeneous: atLeast(mean - othersMean, criteria.heterogeneousGap),
      operational: atLeast(inSample > 0 ? (matching ? matching[k]! : estimatedOperationalSum(c, seg, 1 << k, col, sample)) / inSample : 0, criteria.operationalPrecision),
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
