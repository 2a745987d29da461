/**
 * The segment report card on the textbook's four criteria: substantial, homogeneous within,
 * heterogeneous between, operational. Judged against the hidden truth after a round, or estimated
 * from observed attributes while the player is still building segments.
 *
 * Substantial uses exact member counts. The three spread criteria are statistics of the
 * targetable listeners; above `segmentCriteria.sampleListeners` they are computed on the first
 * that many (listeners are drawn independently, so the first ones are a random sample).
 */
import { listenersMeeting, MISSING, patternsOf, relevanceTable, type CampaignTables, type CompiledScenario } from './compiled';
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

/**
 * What a market memo knows about the truth the cards are judged on (see MarketMemo), by listener:
 * each campaign's term patterns, and the listeners whose true value of a trait meets a condition.
 */
export interface KnownTruth {
  patterns(camp: number): Uint16Array;
  meeting(trait: number, mask: number): Uint32Array;
}

/** The relevance sums of relevanceStats. */
interface RelevanceStats {
  /** By campaign: relevance summed over the whole sample. */
  total: Float64Array;
  /** By judged segment (index into `judged`): its sampled members, their relevance summed and squared, and those whose true values meet its rule. */
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  matching: Float64Array;
}

/**
 * The relevance of campaigns[x] (term pattern patterns[x][at[j]] of sampled listener j, looked up
 * in relevance[x]) summed over the sample into total[x], and, for each segment judged[q] it judges
 * (q = judgedStart[x] … judgedStart[x + 1] − 1), over its members into count[q], sum[q] and
 * sumSq[q]; members whose bit is set in rules[q] (bit i & 31 of word i >> 5 for listener i) are
 * counted into matching[q]. Each sum in listener order.
 */
function accumulateRelevance(
  sample: Int32Array,
  at: Int32Array,
  membership: Uint32Array,
  patterns: Uint16Array[],
  relevance: Float64Array[],
  judgedStart: Int32Array,
  judged: Int32Array,
  rules: Uint32Array[],
  stats: RelevanceStats,
): void {
  const sums = new Float64Array(SAMPLE_SUMS);
  for (let x = 0; x < relevance.length; x++)
    for (let q = judgedStart[x]!; q < judgedStart[x + 1]!; q++) {
      sampleSums(sample, at, membership, judged[q]!, patterns[x]!, relevance[x]!, rules[q]!, sums);
      // Every judged segment's pass sums the campaign's total too: the same sum each time.
      stats.total[x] = sums[0]!;
      stats.count[q] = sums[1]!;
      stats.sum[q] = sums[2]!;
      stats.sumSq[q] = sums[3]!;
      stats.matching[q] = sums[4]!;
    }
}

const SAMPLE_SUMS = 5;

/**
 * One pass over the sample for one campaign and one segment (bit k of membership): the relevance
 * summed over everyone into out[0]; the members, their relevance summed and squared, and those in
 * `rule`, into out[1] … out[4]. Without branches (membership is random): a listener outside the
 * segment adds 0 to each member sum, which leaves it as it is.
 */
function sampleSums(sample: Int32Array, at: Int32Array, membership: Uint32Array, k: number, patterns: Uint16Array, relevance: Float64Array, rule: Uint32Array, out: Float64Array): void {
  let total = 0;
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  let matching = 0;
  for (let j = 0; j < sample.length; j++) {
    const i = sample[j]!;
    const r = relevance[patterns[at[j]!]!]!;
    const member = (membership[i]! >>> k) & 1;
    const mr = member * r;
    total += r;
    count += member;
    sum += mr;
    sumSq += mr * r;
    matching += member & (rule[i >>> 5]! >>> (i & 31));
  }
  out[0] = total;
  out[1] = count;
  out[2] = sum;
  out[3] = sumSq;
  out[4] = matching;
}

/**
 * Where the statistics find the sampled listeners' term patterns and rule bits: from a memo's
 * whole-market arrays (indexed by listener), or worked out for the sample alone (indexed by place
 * in the sample), each campaign's patterns and each condition's bits once.
 */
interface TruthSource {
  /** Campaign camp's patterns, read at at[j] for sampled listener j. */
  patterns(camp: number): Uint16Array;
  at: Int32Array;
  /** Listeners meeting a condition on the trait, as in KnownTruth (up to the last sampled one at least). */
  meeting(trait: number, mask: number): Uint32Array;
}

function truthSource(x: CardInputs, known: KnownTruth | undefined): TruthSource {
  if (known) return { patterns: (camp) => known.patterns(camp), at: x.sample, meeting: (trait, mask) => known.meeting(trait, mask) };
  const size = x.sample.length;
  const end = size > 0 ? x.sample[size - 1]! + 1 : 0;
  const patternsByCampaign = new Map<number, Uint16Array>();
  const bits = new Map<number, Uint32Array>();
  return {
    patterns: (camp) => {
      let patterns = patternsByCampaign.get(camp);
      if (!patterns) {
        patternsOf(x.tables, camp, x.sample, x.values, (patterns = new Uint16Array(size)));
        patternsByCampaign.set(camp, patterns);
      }
      return patterns;
    },
    at: Int32Array.from({ length: size }, (_, j) => j),
    meeting: (trait, mask) => {
      // A mask has a bit per value, at most 31 (below 2³¹).
      const key = trait * 0x80000000 + mask;
      let out = bits.get(key);
      if (!out) bits.set(key, (out = listenersMeeting(x.values[trait]!, mask, end)));
      return out;
    },
  };
}

/** The listeners whose true values meet a segment's rule (as listenersMeeting), up to the last sampled one. */
function ruleBits(seg: Pick<CompiledSegment, 'clauses'>, words: number, truth: TruthSource): Uint32Array {
  const rule = new Uint32Array(words);
  const all = new Uint32Array(words);
  for (const clause of seg.clauses) {
    all.fill(0xffffffff);
    for (const cond of clause) {
      const bits = truth.meeting(cond.trait, cond.mask);
      for (let w = 0; w < words; w++) all[w]! &= bits[w]!;
    }
    for (let w = 0; w < words; w++) rule[w]! |= all[w]!;
  }
  return rule;
}

/**
 * Over the sample, for each campaign camps[x]: its relevance summed over everyone, and over the
 * members of each segment judged against it (judged[judgedStart[x]] …), with count, sum and sum of
 * squares per judged segment, and the members meeting rules[q].
 */
function relevanceStats(
  sample: Int32Array,
  membership: Uint32Array,
  tables: CampaignTables,
  camps: Int32Array,
  judgedStart: Int32Array,
  judged: Int32Array,
  rules: Uint32Array[],
  truth: TruthSource,
): RelevanceStats {
  const patterns = Array.from(camps, (camp) => truth.patterns(camp));
  const perJudged = () => new Float64Array(judged.length);
  const stats = { total: new Float64Array(camps.length), count: perJudged(), sum: perJudged(), sumSq: perJudged(), matching: perJudged() };
  const relevance = Array.from(camps, (camp) => relevanceTable(tables, camp));
  accumulateRelevance(sample, truth.at, membership, patterns, relevance, judgedStart, judged, rules, stats);
  return stats;
}

/** Each campaign's relevance summed over the sampled members of segment k (for the best fit), in listener order. */
function fitOfSegment(x: CardInputs, k: number, truth: TruthSource, none: Uint32Array): Float64Array {
  const every = Int32Array.from({ length: x.campaigns }, (_, camp) => camp);
  // Every campaign judges segment k, once each (no rule is checked: `none` has no bit set).
  return relevanceStats(x.sample, x.membership, x.tables, every, Int32Array.from({ length: x.campaigns + 1 }, (_, q) => q), new Int32Array(x.campaigns).fill(k), Array.from(every, () => none), truth).sum;
}

/** Words of a bit set of the listeners up to the last sampled one. */
function words(sample: Int32Array): number {
  return sample.length > 0 ? (sample[sample.length - 1]! + 32) >>> 5 : 0;
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

/** Fills `stats` (CARD_STATS per segment). `known`: what a market memo knows of the truth `x.values` (else it is worked out from them). */
export function cardStats(x: CardInputs, stats: Float64Array, known?: KnownTruth): void {
  const segs = x.segments;
  const truth = truthSource(x, known);
  // Rules checked against nothing (for the best fit, and on observations): no bit is set.
  const none = new Uint32Array(words(x.sample));
  // Which campaign each segment is judged against.
  const chosen = segs.map((_, k) => {
    if (x.assigned[k]! >= 0) return x.assigned[k]!;
    const fit = fitOfSegment(x, k, truth, none);
    let best = 0;
    for (let camp = 1; camp < x.campaigns; camp++) if (fit[camp]! > fit[best]!) best = camp;
    return best;
  });
  const camps = [...new Set(chosen)];
  const judged = camps.map((camp) => chosen.flatMap((y, k) => (y === camp ? [k] : [])));
  const judgedStart = new Int32Array(camps.length + 1);
  judged.forEach((list, q) => (judgedStart[q + 1] = judgedStart[q]! + list.length));
  const judgedFlat = Int32Array.from(judged.flat());
  const rules = Array.from(judgedFlat, (k) => (x.truth ? ruleBits(segs[k]!, none.length, truth) : none));
  const { total, count, sum, sumSq, matching } = relevanceStats(x.sample, x.membership, x.tables, Int32Array.from(camps), judgedStart, judgedFlat, rules, truth);
  // Each segment is judged once: where it is in the judged list.
  judgedFlat.forEach((k, q) => {
    const at = k * CARD_STATS;
    stats[at + CHOSEN] = chosen[k]!;
    stats[at + IN_SAMPLE] = count[q]!;
    stats[at + SUM] = sum[q]!;
    stats[at + SUM_SQ] = sumSq[q]!;
    stats[at + TOTAL] = total[camps.indexOf(chosen[k]!)]!;
    stats[at + MATCHING] = matching[q]!;
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
    cardStats(x, stats, memo && source === 'truth' ? { patterns: (camp) => memo.truePatterns(c, camp, values), meeting: (trait, mask) => memo.listenersMeeting(values[trait]!, mask) } : undefined);
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
