/**
 * The segment report card on the textbook's four criteria: substantial, homogeneous within,
 * heterogeneous between, operational. Judged against the hidden truth after a round, or estimated
 * from observed attributes while the player is still building segments.
 *
 * Substantial uses exact member counts. The three spread criteria are statistics of the
 * targetable listeners; above `segmentCriteria.sampleListeners` they are computed on the first
 * that many (listeners are drawn independently, so the first ones are a random sample).
 */
import { MISSING, patternsOf, relevanceTable, type CampaignTables, type CompiledScenario } from './compiled';
import type { CompiledSegment, ResolvedDecisions } from './decisions';
import type { MarketMemo } from './marketMemo';
import { allocShared, isShared, PATIENCE_MS } from './memory';
import { observerOf, type CollectHelper, type Collection } from './observe';
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
  tables: CampaignTables,
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
  const relevance = Array.from(camps, (camp) => relevanceTable(tables, camp));
  accumulateRelevance(sample, membership, patterns, relevance, judgedStart, judged, judgedMask, stats);
  return stats;
}

/** Each campaign's relevance summed over the sampled members of segment k (for the best fit), in listener order. */
function fitOfSegment(x: CardInputs, k: number, patternsOfSample: PatternsOfSample): Float64Array {
  const every = Int32Array.from({ length: x.campaigns }, (_, camp) => camp);
  // Every campaign judges segment k, once each.
  return relevanceStats(x.sample, x.membership, x.tables, every, Int32Array.from({ length: x.campaigns + 1 }, (_, q) => q), new Int32Array(x.campaigns).fill(k), patternsOfSample).sum;
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
function trulyMatchingAll(traits: Uint8Array[], segs: Pick<CompiledSegment, 'clauses'>[], membership: Uint32Array, sample: Int32Array): Float64Array {
  const clauses = segs.flatMap((seg) => seg.clauses);
  const conds = clauses.flat();
  const segmentStart = new Int32Array(segs.length + 1);
  segs.forEach((seg, k) => (segmentStart[k + 1] = segmentStart[k]! + seg.clauses.length));
  const clauseStart = new Int32Array(clauses.length + 1);
  clauses.forEach((clause, k) => (clauseStart[k + 1] = clauseStart[k]! + clause.length));
  const values = conds.map((cond) => traits[cond.trait]!);
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
 * What a round's report cards are worked out from: typed arrays and plain data, so that another
 * thread can work out their statistics (see CardsJob).
 */
export interface CardInputs {
  /** The sampled listeners (see the top of this file). */
  sample: Int32Array;
  membership: Uint32Array;
  /** Trait values relevance is judged on: the truth, or what was observed. */
  values: Uint8Array[];
  /** Whether `values` is the truth (then each rule is also checked against it: operational). */
  truth: boolean;
  tables: CampaignTables;
  campaigns: number;
  segments: Pick<CompiledSegment, 'clauses'>[];
  /** Per segment, the campaign of its first assignment, or −1 (then it is judged against its best fit). */
  assigned: Int32Array;
}

/**
 * The report cards' statistics, per segment k at k * CARD_STATS + CHOSEN … MATCHING: the campaign
 * it is judged against, its sampled members, their relevance summed and summed squared, the
 * campaign's relevance summed over the whole sample, and (truth only) the members whose true values
 * meet the rule.
 */
const CARD_STATS = 6;
const CHOSEN = 0;
const IN_SAMPLE = 1;
const SUM = 2;
const SUM_SQ = 3;
const TOTAL = 4;
const MATCHING = 5;

/** Fills `stats` (CARD_STATS per segment). `patternsOfSample`: the campaigns' term patterns of the sampled listeners, worked out from `values` when not given. */
export function cardStats(x: CardInputs, stats: Float64Array, patternsOfSample: PatternsOfSample = (camp, patterns) => patternsOf(x.tables, camp, x.sample, x.values, patterns)): void {
  const segs = x.segments;
  // Which campaign each segment is judged against.
  const chosen = segs.map((_, k) => {
    if (x.assigned[k]! >= 0) return x.assigned[k]!;
    const fit = fitOfSegment(x, k, patternsOfSample);
    let best = 0;
    for (let camp = 1; camp < x.campaigns; camp++) if (fit[camp]! > fit[best]!) best = camp;
    return best;
  });
  const camps = [...new Set(chosen)];
  const judged = camps.map((camp) => chosen.flatMap((y, k) => (y === camp ? [k] : [])));
  const judgedStart = new Int32Array(camps.length + 1);
  judged.forEach((list, q) => (judgedStart[q + 1] = judgedStart[q]! + list.length));
  const matching = x.truth ? trulyMatchingAll(x.values, segs, x.membership, x.sample) : null;
  const judgedFlat = Int32Array.from(judged.flat());
  const { total, count, sum, sumSq } = relevanceStats(x.sample, x.membership, x.tables, Int32Array.from(camps), judgedStart, judgedFlat, patternsOfSample);
  // Each segment is judged once: where it is in the judged list.
  judgedFlat.forEach((k, q) => {
    const at = k * CARD_STATS;
    stats[at + CHOSEN] = chosen[k]!;
    stats[at + IN_SAMPLE] = count[q]!;
    stats[at + SUM] = sum[q]!;
    stats[at + SUM_SQ] = sumSq[q]!;
    stats[at + TOTAL] = total[camps.indexOf(chosen[k]!)]!;
    stats[at + MATCHING] = matching ? matching[k]! : 0;
  });
}

/**
 * A round's report-card statistics worked out on another thread (the inputs are in shared memory):
 * it fills `stats`, then sets done[0] to 1, or to −1 if it failed.
 */
export interface CardsJob {
  inputs: CardInputs;
  stats: Float64Array;
  done: Int32Array;
}

/** The other thread's part: works the statistics out and says so. */
export function workOutCards(job: CardsJob): void {
  try {
    cardStats(job.inputs, job.stats);
    Atomics.store(job.done, 0, 1);
  } catch (e) {
    Atomics.store(job.done, 0, -1);
    throw e;
  } finally {
    Atomics.notify(job.done, 0);
  }
}

/** Hands the statistics of `inputs` to the round's other thread, if it has one that can read them; null if not. */
export function lendCards(helper: CollectHelper | null, inputs: CardInputs): CardsJob | null {
  if (!helper?.cards || inputs.segments.length === 0) return null;
  if (![inputs.sample, inputs.membership, ...inputs.values].every(isShared)) return null;
  const job: CardsJob = { inputs, stats: allocShared(Float64Array, inputs.segments.length * CARD_STATS), done: allocShared(Int32Array, 1) };
  return helper.cards(job) ? job : null;
}

/** Waits for a lent job's statistics; null if the other thread failed (then this one works them out). */
function cardsFrom(job: CardsJob): Float64Array | null {
  while (Atomics.load(job.done, 0) === 0)
    if (Atomics.wait(job.done, 0, 0, PATIENCE_MS) === 'timed-out') throw new Error('The thread working out the report cards stopped answering.');
  return job.done[0] === 1 ? job.stats : null;
}

/** The inputs of the round's report cards (see segmentReportCards). */
export function cardInputs(c: CompiledScenario, state: SimState, d: ResolvedDecisions, col: Collection, source: 'truth' | 'estimate'): CardInputs {
  const sampled = Math.min(c.scenario.segmentCriteria.sampleListeners, col.targetableCount);
  return {
    sample: col.ws.targetList.subarray(0, sampled),
    membership: col.ws.membership,
    values: source === 'truth' ? state.pop.traits : col.ws.observed,
    truth: source === 'truth',
    tables: c.campaigns,
    campaigns: c.scenario.campaigns.length,
    segments: d.segments,
    assigned: Int32Array.from(d.segments, (_, k) => d.assignments.find((a) => a.segment === k)?.campaign ?? -1),
  };
}

/**
 * Report cards of every segment. For 'estimate', the traits read by the campaigns' relevance
 * must have been read into the workspace (see estimateTraits). A market memo gives the patterns
 * on the truth. `lent`: the statistics were handed to another thread (see lendCards).
 */
export function segmentReportCards(
  c: CompiledScenario,
  state: SimState,
  d: ResolvedDecisions,
  col: Collection,
  source: 'truth' | 'estimate',
  memo: MarketMemo | null = null,
  lent: CardsJob | null = null,
): SegmentReportCard[] {
  const segs = d.segments;
  if (segs.length === 0) return [];
  const x = lent?.inputs ?? cardInputs(c, state, d, col, source);
  const criteria = c.scenario.segmentCriteria;
  let stats = lent && cardsFrom(lent);
  if (!stats) {
    stats = new Float64Array(segs.length * CARD_STATS);
    const values = x.values;
    cardStats(x, stats, memo && source === 'truth' ? (camp, patterns) => gather(x.sample, memo.truePatterns(c, camp, values), patterns) : undefined);
  }
  const sampled = x.sample.length;

  return segs.map((seg, k) => {
    const at = k * CARD_STATS;
    const chosen = stats[at + CHOSEN]!;
    const inSample = stats[at + IN_SAMPLE]!;
    const sum = stats[at + SUM]!;
    const mean = inSample > 0 ? sum / inSample : 0;
    const variance = inSample > 0 ? Math.max(0, stats[at + SUM_SQ]! / inSample - mean * mean) : 0;
    const others = sampled - inSample;
    const othersMean = others > 0 ? (stats[at + TOTAL]! - sum) / others : 0;
    const card = {
      substantial: atLeast(col.targetableCount > 0 ? col.members[k]! / col.targetableCount : 0, criteria.substantialShare),
      homogeneous: inSample > 0 ? atMost(Math.sqrt(variance), criteria.homogeneousSd) : { value: 0, grade: 'fail' as const },
      heterogeneous: atLeast(mean - othersMean, criteria.heterogeneousGap),
      operational: atLeast(inSample > 0 ? (x.truth ? stats[at + MATCHING]! : estimatedOperationalSum(c, seg, 1 << k, col, x.sample)) / inSample : 0, criteria.operationalPrecision),
    };
    const score =
      (GRADE_POINTS[card.substantial.grade] +
        GRADE_POINTS[card.homogeneous.grade] +
        GRADE_POINTS[card.heterogeneous.grade] +
        GRADE_POINTS[card.operational.grade]) /
      4;
    return {
      segment: seg.id,
      campaign: c.scenario.campaigns[chosen]!.id,
      assigned: x.assigned[k]! >= 0,
      members: col.members[k]!,
      meanRelevance: mean,
      othersMeanRelevance: othersMean,
      ...card,
      score,
    };
  });
}
