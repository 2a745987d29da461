/**
 * Serving ads and the listener's response: the hot loop of a round. Each listener's opt-out and
 * churn are drawn right after their ads, from their trust after the round (one pass, not two).
 *
 * Listeners are served in order (budgets are spent first come, first served; listener order is
 * random by construction), each by the assignments whose audience they are in, in assignment
 * order, until their ad slots run out. The loop reads every listener array front to back (so the
 * memory prefetcher keeps up), block by block as the collection makes them ready, finds a
 * listener's assignments by bit masks rather than testing each one, and takes everything that
 * depends only on a campaign's matching terms or a listener's coverage class from tables.
 *
 * Totals are summed chunk by chunk (SERVE_CHUNK listeners), each chunk's from zero, and the chunks'
 * sums added up in order. That lets a second thread serve chunks from the far end while this one
 * serves from the front (see serveFromEnd): a listener's ads depend on the listeners before them
 * only through which assignments still have budget, so the other thread guesses that, and each of
 * its chunks is kept only if the guess and the budgets turn out right; otherwise this thread serves
 * the chunk again. Either way every result is the same bits as on one thread.
 */
import type { CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import { allocShared, isShared, PATIENCE_MS } from './memory';
import { canTarget, OPTED_OUT_KEY, PREMIUM_KEY_BIT, type Gathering } from './observe';
import { binomial, hash3, hashUniform, streamKey } from './random';
import type { MarketMemo } from './marketMemo';
import type { HarmTag, Scenario } from './scenario';
import { CHURNED, OPTED_OUT, Stream, type Population, type SimState } from './state';

/** One served assignment of one listener, for the persona view. */
export interface ServedAd {
  assignment: number;
  impressions: number;
  relevance: number;
  creepy: number;
  clicks: number;
  conversions: number;
  harms: HarmTag[];
}

/** Listeners after a round's opt-outs and churn. */
export interface Aftermath {
  optedOutThisRound: number;
  churnedPremium: number;
  churnedFree: number;
  active: number;
  optedOut: number;
  premiumActive: number;
  churned: number;
  /** Sum of the active listeners' trust, in listener order. */
  trustSum: number;
}

/** Totals of a serve pass (per assignment, per harm rule, per signal), and the listeners after it. */
export interface ServeTotals {
  impressions: Float64Array;
  reach: Float64Array;
  clicks: Float64Array;
  conversions: Float64Array;
  creepy: Float64Array;
  relevanceSum: Float64Array;
  /** harmCounts[a][rule]: listeners harmed by assignment a under the campaign's rule. */
  harmCounts: Float64Array[];
  reachable: number;
  reached: number;
  runOfNetwork: number;
  creepComplaints: number;
  harmedListeners: number;
  after: Aftermath;
}

/**
 * The decisions flattened for the loop. Per-assignment lists are flattened too: assignment a's
 * entries are indices start[a] … start[a + 1] − 1 of each list.
 */
interface Plan {
  /** The listener arrays serving reads (and writes: trust, status), and the round's draw keys. */
  status: Uint8Array;
  attitude: Uint8Array;
  trust: Float32Array;
  readKey: Uint16Array;
  membership: Uint32Array;
  key: number;
  afterKey: number;
  market: Scenario['market'];
  response: Scenario['response'];
  cap: Int32Array;
  /**
   * Impressions bought, whole numbers below 2³¹ (checkDecisions allows no more): as 32-bit integers,
   * V8 keeps each listener's impressions an integer too, not a double converted at every use.
   */
  budgets: Int32Array;
  /**
   * Assignments in groups of 32 (bit a % 32 of group a >> 5). byMembership[(g * 4 + b) * 256 + v]:
   * the group's assignments to a segment whose bit is set in byte b of a listener's membership v.
   */
  byMembership: Int32Array;
  /** The group's untargeted assignments. */
  everyone: Int32Array;
  /**
   * The traits each assignment's campaign reads for relevance: x = relFrom[a] … relTo[a] − 1 of the
   * campaign tables (see CampaignTables), their true values relValues[x], their pattern bits
   * relBits[x * 256 + value].
   */
  relFrom: Int32Array;
  relTo: Int32Array;
  relValues: Uint8Array[];
  relBits: Int32Array;
  /** Per assignment, its campaign's patterns by listener when a market memo has them (then the traits above are not read); empty when not. */
  knownPatterns: Uint16Array[];
  /** The campaign tables by term pattern (assignment a's at offset patternStart[a]): relevance and what depends on it alone. */
  patternStart: Int32Array;
  relevance: Float64Array;
  clickOfRelevance: Float64Array;
  creepOfRelevance: Float64Array;
  conversionOf: Float64Array;
  /** 1 when relevant enough to build trust. */
  relevant: Uint8Array;
  /**
   * The segment's traits (none for untargeted), as q = creepStart[a] … creepStart[a + 1] − 1: their
   * readings, the reader slot by read key, the reader's signal by slot at q * 64 + slot (& 63, so
   * MISSING is 63), and sensitivity ÷ 3 by signal at q * 64 + signal (0 at 63: no reading).
   */
  creepStart: Int32Array;
  creepObserved: Uint8Array[];
  creepSlotOf: Uint8Array[];
  creepSignal: Uint8Array;
  creepSensitivity: Float64Array;
  /**
   * When every member of assignment a has all the segment's traits read (each clause names them
   * all), which reader read them depends on the coverage class alone, and so does the creepiness
   * before relevance: creepOfAttitude × sensitivity × covertness is creepBase[creepBaseStart[a] +
   * classOf[read key] × attitudes + attitude]. −1: look at each reading.
   */
  creepBaseStart: Int32Array;
  creepBase: Float64Array;
  classOf: Uint16Array;
  /** The campaign's harm rules that apply (targeted-only rules only apply to segments). */
  harmStart: Int32Array;
  harmValues: Uint8Array[];
  harmMask: Int32Array;
  harmTag: HarmTag[];
  /** Index of each applying rule among its campaign's rules. */
  harmRule: Int32Array;
  /** By signal (63: no reading), as creepSensitivity. */
  covertOf: Float64Array;
  creepOfAttitude: Float64Array;
  /**
   * Trust change of listeners from the data collected about them (see trustCostByKey): the cost
   * costs[costOfKey[read key without the premium bit]]. Small tables, so that they stay in cache.
   */
  costOfKey: Uint16Array;
  costs: Float64Array;
  /** Assignments with budget, per group, before anyone is served. */
  active: Int32Array;
}

/**
 * Where each total lives in a chunk's totals (and the round's), A assignments: assignment a's six
 * at a × PER_ASSIGNMENT + IMPRESSIONS … RELEVANCE (side by side, so that serving one touches one
 * cache line); then listeners hit by each applying harm rule x at PER_ASSIGNMENT × A + x; then the
 * listener counts below, from countsAt on.
 */
const PER_ASSIGNMENT = 6;
const IMPRESSIONS = 0;
const REACH = 1;
const CLICKS = 2;
const CONVERSIONS = 3;
const CREEPY = 4;
const RELEVANCE = 5;
const REACHABLE = 0;
const REACHED = 1;
const RUN_OF_NETWORK = 2;
const COMPLAINTS = 3;
const HARMED = 4;
const OPTED_OUT_NOW = 5;
const CHURNED_PREMIUM = 6;
const CHURNED_FREE = 7;
const ACTIVE = 8;
const OPTED_OUT_ALL = 9;
const PREMIUM_ACTIVE = 10;
const CHURNED_ALL = 11;
const TRUST_SUM = 12;
const SCALARS = 13;

function countsAt(p: Plan): number {
  return PER_ASSIGNMENT * p.cap.length + p.harmMask.length;
}

function totalsSize(p: Plan): number {
  return countsAt(p) + SCALARS;
}

const UNKNOWN = new Uint16Array(0);

/**
 * Trust lost per round by listeners of each coverage class: sensitive data collected under a design
 * that costs trust, subtracted signal by signal in signal order. Distinct costs are listed once.
 */
function trustCostByKey(c: CompiledScenario, d: ResolvedDecisions, g: Gathering): { costOfKey: Uint16Array; costs: Float64Array } {
  const sc = c.scenario;
  const costly = d.signals.filter((s) => c.needsConsent[s] === 1 && c.signalSensitivity[s]! >= sc.response.sensitiveFrom);
  const costOf = costly.map((s) => sc.consentDesigns[d.consentOf[s]!]!.trustCostPerSensitivity * c.signalSensitivity[s]!);
  const costOfKey = new Uint16Array(PREMIUM_KEY_BIT);
  const costs: number[] = [];
  // Classes no listener can be in are never looked up.
  for (const key of g.keys) {
    let delta = 0;
    for (let k = 0; k < costly.length; k++) if (costOf[k]! > 0 && (g.table[key]! & (1 << costly[k]!)) !== 0) delta -= costOf[k]!;
    let at = costs.indexOf(delta);
    if (at < 0) at = costs.push(delta) - 1;
    costOfKey[key] = at;
  }
  return { costOfKey, costs: Float64Array.from(costs) };
}

function makePlan(c: CompiledScenario, state: SimState, d: ResolvedDecisions, g: Gathering, memo: MarketMemo | null): Plan {
  const t = c.campaigns;
  const { traits } = state.pop;
  const { market, response, consentDesigns } = c.scenario;
  const asg = d.assignments;
  const A = asg.length;
  const cap = new Int32Array(A);
  const budgets = new Int32Array(A);
  const active = new Int32Array((A + 31) >> 5);
  const relFrom = new Int32Array(A);
  const relTo = new Int32Array(A);
  const patternStart = new Int32Array(A);
  const creepStart = new Int32Array(A + 1);
  const harmStart = new Int32Array(A + 1);
  const creepTraits: number[] = [];
  // The rules that apply (targeted-only rules only apply to segments), and each one's index among its campaign's.
  const harms: number[] = [];
  const harmRule: number[] = [];
  for (let k = 0; k < A; k++) {
    const a = asg[k]!;
    cap[k] = a.cap;
    budgets[k] = a.budget;
    if (a.budget > 0) active[k >> 5]! |= 1 << (k & 31);
    relFrom[k] = t.relTraitStart[a.campaign]!;
    relTo[k] = t.relTraitStart[a.campaign + 1]!;
    patternStart[k] = t.relStart[a.campaign]!;
    if (a.segment >= 0) creepTraits.push(...d.segments[a.segment]!.traits);
    creepStart[k + 1] = creepTraits.length;
    const first = t.harmStart[a.campaign]!;
    for (let x = first; x < t.harmStart[a.campaign + 1]!; x++)
      if (a.segment >= 0 || t.harmTargetedOnly[x] === 0) {
        harms.push(x);
        harmRule.push(x - first);
      }
    harmStart[k + 1] = harms.length;
  }
  const groups = active.length;
  const byMembership = new Int32Array(groups * 4 * 256);
  const everyone = new Int32Array(groups);
  // A pass of its own: with its 256-step loop inside the one above, makePlan counted 2.6% more
  // instructions in a verify (callgrind), likely because V8 then found it worth optimizing.
  asg.forEach((a, k) => {
    const bit = 1 << (k & 31);
    const g = k >> 5;
    if (a.segment < 0) everyone[g]! |= bit;
    else for (let v = 0; v < 256; v++) if (((v << ((a.segment >> 3) * 8)) & (1 << a.segment)) !== 0) byMembership[(g * 4 + (a.segment >> 3)) * 256 + v]! |= bit;
  });
  // max(trait sensitivity, signal sensitivity) ÷ 3 of a reading by each observer; 0 when missing.
  // (The largest quotient is the quotient of the largest: division is monotonic.)
  const creepSensitivity = new Float64Array(creepTraits.length * 64);
  const creepSignal = new Uint8Array(creepTraits.length * 64);
  creepTraits.forEach((trait, q) => {
    for (let s = 0; s < c.signalSensitivity.length; s++) creepSensitivity[q * 64 + s] = Math.max(c.traitSensitivity[trait]!, c.signalSensitivity[s]!) / 3;
    g.readers[trait]!.slotSignal.forEach((s, slot) => (creepSignal[q * 64 + slot] = s & 63));
  });
  const covertOf = new Float64Array(64);
  for (const s of d.signals) covertOf[s] = consentDesigns[d.consentOf[s]!]!.covertness;
  const creepSlotOf = creepTraits.map((trait) => g.readers[trait]!.slotOf);
  const creepOfAttitude = Float64Array.from(c.creepFactor, (f) => response.creepScale * f);
  // Only listeners who can be targeted are in segments.
  const segmentKeys = g.keys.filter(canTarget);
  const classOf = new Uint16Array(OPTED_OUT_KEY);
  segmentKeys.forEach((key, k) => (classOf[key] = k));
  const creepBaseStart = new Int32Array(asg.length).fill(-1);
  const creepBase: number[] = [];
  asg.forEach((a, k) => {
    const seg = a.segment >= 0 ? d.segments[a.segment]! : null;
    if (!seg || !seg.clauses.every((clause) => seg.traits.every((t) => clause.some((cond) => cond.trait === t)))) return;
    creepBaseStart[k] = creepBase.length;
    for (const key of segmentKeys) {
      // As the serving loop does it for each reading.
      let sens = 0;
      let covert = 0;
      for (let q = creepStart[k]!; q < creepStart[k + 1]!; q++) {
        const by = creepSignal[(q << 6) | creepSlotOf[q]![key]!]!;
        const e = creepSensitivity[(q << 6) | by]!;
        if (e > sens) sens = e;
        if (covertOf[by]! > covert) covert = covertOf[by]!;
      }
      for (const creepAttitude of creepOfAttitude) creepBase.push(creepAttitude * sens * covert);
    }
  });
  // The memo's patterns are made from the drifted traits: they wait for the whole collection.
  if (memo) g.ready(state.pop.count);
  const knownPatterns = asg.map((a) => (memo ? memo.truePatterns(c, a.campaign, traits) : UNKNOWN));
  return {
    status: state.pop.status,
    attitude: state.pop.attitude,
    trust: state.pop.trust,
    readKey: g.ws.readKey,
    membership: g.ws.membership,
    key: streamKey(state.seed, Stream.serve, state.round),
    afterKey: streamKey(state.seed, Stream.aftermath, state.round),
    market,
    response,
    cap,
    budgets,
    byMembership,
    everyone,
    relFrom,
    relTo,
    // Every campaign's traits: only the assigned ones' are read.
    relValues: Array.from(t.relTrait, (x) => traits[x]!),
    relBits: t.relBits,
    knownPatterns,
    patternStart,
    relevance: t.relevance,
    clickOfRelevance: t.clickOf,
    creepOfRelevance: t.creepOf,
    conversionOf: t.conversionOf,
    relevant: t.relevant,
    creepStart,
    creepObserved: creepTraits.map((trait) => g.ws.observed[trait]!),
    creepSlotOf,
    creepSignal,
    creepSensitivity,
    creepBaseStart,
    creepBase: Float64Array.from(creepBase),
    classOf,
    harmStart,
    harmValues: harms.map((x) => traits[t.harmTrait[x]!]!),
    harmMask: Int32Array.from(harms, (x) => t.harmMask[x]!),
    harmTag: harms.map((x) => t.harmTag[x]!),
    harmRule: Int32Array.from(harmRule),
    covertOf,
    creepOfAttitude,
    ...trustCostByKey(c, d, g),
    active,
  };
}

/** Listeners per chunk: totals are summed per chunk (see the top of this file). */
export const SERVE_CHUNK = 1 << 15;

/**
 * A round's serving shared with another thread (all in shared memory but the plan's small
 * tables): the other thread claims chunks from the last one down, this one from the first up, each
 * by compare-and-swap in `claims`; whoever claims a chunk serves it.
 */
export interface ServeJob {
  plan: Plan;
  /** Per chunk: 0 unclaimed, else CLAIMED_HERE or CLAIMED_THERE. */
  claims: Int32Array;
  /** Per chunk the other thread claimed: 0 while it serves it, then SERVED or FAILED. */
  done: Int32Array;
  /** Per chunk the other thread served: the assignments it took to have budget (groups of 32, as Plan.active). */
  assumed: Int32Array;
  /** Per chunk the other thread served: its totals (budgets taken as unlimited). */
  results: Float64Array;
  /** How far this thread has served: listeners served, then each assignment's budget left. */
  progress: Float64Array;
  /** The assignments with budget left, as of `progress`. */
  progressActive: Int32Array;
}

const CLAIMED_HERE = 1;
const CLAIMED_THERE = 2;
const SERVED = 1;
const FAILED = -1;

/** Adds a chunk's totals to the round's. */
function addChunk(sum: Float64Array, chunk: Float64Array): void {
  for (let j = 0; j < sum.length; j++) sum[j]! += chunk[j]!;
}

/**
 * Serves every listener, chunk by chunk and block by block as the collection makes them ready,
 * applies the trust changes, and returns the totals. The ads of the listeners in `traced` are
 * written to `trace`, keyed by listener. `before`: the listeners as the round found them (a chunk
 * the other thread served wrongly is served again from there).
 */
export function serveAds(
  c: CompiledScenario,
  state: SimState,
  before: Population,
  d: ResolvedDecisions,
  g: Gathering,
  traced: number[],
  trace: Map<number, ServedAd[]>,
  memo: MarketMemo | null,
): ServeTotals {
  const p = makePlan(c, state, d, g, memo);
  const n = state.pop.count;
  const tracedSorted = [...new Set(traced.filter((i) => i >= 0 && i < n))].sort((x, y) => x - y);
  for (const i of tracedSorted) trace.set(i, []);
  // Ends with -1, which no listener matches.
  const tracedList = Int32Array.from([...tracedSorted, -1]);
  const budgetLeft = p.budgets.slice();
  const active = p.active.slice();
  const sum = new Float64Array(totalsSize(p));
  const chunk = new Float64Array(sum.length);
  const chunks = Math.ceil(n / SERVE_CHUNK);
  const serveChunk = (ch: number) => {
    chunk.fill(0);
    const end = Math.min(n, (ch + 1) * SERVE_CHUNK);
    for (let from = ch * SERVE_CHUNK; from < end; from += g.block) {
      const to = Math.min(end, from + g.block);
      g.ready(to);
      serveRange(p, budgetLeft, active, chunk, tracedList, trace, from, to);
    }
    addChunk(sum, chunk);
  };
  const job = g.helper?.serve && tracedSorted.length === 0 && chunks > 1 ? shareable(p, chunks) : null;
  if (job) g.helper!.serve!(job);
  for (let ch = 0; ch < chunks; ch++) {
    if (job && Atomics.compareExchange(job.claims, ch, 0, CLAIMED_HERE) !== 0) {
      // The other thread has every chunk from here on.
      for (; ch < chunks; ch++) {
        if (takeChunk(job, ch, budgetLeft, active)) addChunk(sum, job.results.subarray(ch * sum.length, (ch + 1) * sum.length));
        else {
          const from = ch * SERVE_CHUNK;
          const to = Math.min(n, from + SERVE_CHUNK);
          p.trust.set(before.trust.subarray(from, to), from);
          p.status.set(before.status.subarray(from, to), from);
          serveChunk(ch);
        }
      }
      break;
    }
    serveChunk(ch);
    if (job) {
      job.progress[0] = Math.min(n, (ch + 1) * SERVE_CHUNK);
      job.progress.set(budgetLeft, 1);
      job.progressActive.set(active);
    }
  }
  return totalsOf(c, d, p, sum);
}

/** The job another thread can share, or null when the plan reads listener arrays it cannot see. */
function shareable(p: Plan, chunks: number): ServeJob | null {
  const arrays = [p.status, p.attitude, p.trust, p.readKey, p.membership, ...p.relValues, ...p.creepObserved, ...p.harmValues];
  if (!arrays.every(isShared) || p.knownPatterns.some((x) => x.length > 0)) return null;
  const groups = p.active.length;
  const job: ServeJob = {
    plan: p,
    claims: allocShared(Int32Array, chunks),
    done: allocShared(Int32Array, chunks),
    assumed: allocShared(Int32Array, chunks * groups),
    results: allocShared(Float64Array, chunks * totalsSize(p)),
    progress: allocShared(Float64Array, 1 + p.budgets.length),
    progressActive: allocShared(Int32Array, groups),
  };
  job.progress.set(p.budgets, 1);
  job.progressActive.set(p.active);
  return job;
}

/**
 * Waits for the other thread's chunk ch and keeps its totals if they are right: it guessed which
 * assignments have budget as they do when this thread reaches the chunk, and none of them runs
 * out of budget in it (so none was cut short). Then the budgets are spent as it spent them.
 */
function takeChunk(job: ServeJob, ch: number, budgetLeft: Int32Array, active: Int32Array): boolean {
  while (Atomics.load(job.done, ch) === 0)
    if (Atomics.wait(job.done, ch, 0, PATIENCE_MS) === 'timed-out') throw new Error('The thread serving part of this round stopped answering.');
  if (job.done[ch] !== SERVED) return false;
  const groups = active.length;
  for (let g = 0; g < groups; g++) if (job.assumed[ch * groups + g] !== active[g]) return false;
  // An assignment's impressions are what it spent.
  const at = ch * totalsSize(job.plan);
  const spent = (a: number) => job.results[at + a * PER_ASSIGNMENT + IMPRESSIONS]!;
  for (let a = 0; a < budgetLeft.length; a++) if (spent(a) > budgetLeft[a]!) return false;
  for (let a = 0; a < budgetLeft.length; a++) {
    if (spent(a) === 0) continue;
    budgetLeft[a]! -= spent(a);
    if (budgetLeft[a]! <= 0) active[a >> 5] = active[a >> 5]! & ~(1 << (a & 31));
  }
  return true;
}

/**
 * Which assignments will still have budget at chunk ch, guessed from this thread's progress: each
 * keeps spending at the rate it has spent so far.
 */
export function guessActive(job: ServeJob, ch: number): Int32Array {
  const active = job.progressActive.slice();
  const served = job.progress[0]!;
  const start = ch * SERVE_CHUNK;
  for (let a = 0; a < job.plan.budgets.length && served > 0; a++) {
    const left = job.progress[1 + a]!;
    const spent = job.plan.budgets[a]! - left;
    if (spent > 0 && start >= served + (left * served) / spent) active[a >> 5] = active[a >> 5]! & ~(1 << (a & 31));
  }
  return active;
}

/**
 * The other thread's part of a shared round: claims chunks from the last one down, while this
 * thread has not claimed them, and serves each with the budgets it guesses (see takeChunk).
 */
export function serveFromEnd(job: ServeJob): void {
  const size = totalsSize(job.plan);
  // More than any chunk can spend.
  const unlimited = new Int32Array(job.plan.budgets.length).fill(0x7fffffff);
  const none = Int32Array.of(-1);
  const count = job.plan.status.length;
  for (let ch = job.claims.length - 1; ch >= 0; ch--) {
    if (Atomics.compareExchange(job.claims, ch, 0, CLAIMED_THERE) !== 0) return;
    try {
      const active = guessActive(job, ch);
      job.assumed.set(active, ch * active.length);
      serveRange(job.plan, unlimited, active, job.results.subarray(ch * size, (ch + 1) * size), none, new Map(), ch * SERVE_CHUNK, Math.min(count, (ch + 1) * SERVE_CHUNK));
      Atomics.store(job.done, ch, SERVED);
    } catch (e) {
      Atomics.store(job.done, ch, FAILED);
      throw e;
    } finally {
      Atomics.notify(job.done, ch);
    }
  }
}

/** The round's totals from their flat sums. */
function totalsOf(c: CompiledScenario, d: ResolvedDecisions, p: Plan, sum: Float64Array): ServeTotals {
  const A = d.assignments.length;
  const at = countsAt(p);
  const field = (f: number) => Float64Array.from({ length: A }, (_, a) => sum[a * PER_ASSIGNMENT + f]!);
  const harmCounts = d.assignments.map((a) => new Float64Array(c.scenario.campaigns[a.campaign]!.harms.length));
  for (let a = 0; a < A; a++) for (let x = p.harmStart[a]!; x < p.harmStart[a + 1]!; x++) harmCounts[a]![p.harmRule[x]!] = sum[PER_ASSIGNMENT * A + x]!;
  return {
    impressions: field(IMPRESSIONS),
    reach: field(REACH),
    clicks: field(CLICKS),
    conversions: field(CONVERSIONS),
    creepy: field(CREEPY),
    relevanceSum: field(RELEVANCE),
    harmCounts,
    reachable: sum[at + REACHABLE]!,
    reached: sum[at + REACHED]!,
    runOfNetwork: sum[at + RUN_OF_NETWORK]!,
    creepComplaints: sum[at + COMPLAINTS]!,
    harmedListeners: sum[at + HARMED]!,
    after: {
      optedOutThisRound: sum[at + OPTED_OUT_NOW]!,
      churnedPremium: sum[at + CHURNED_PREMIUM]!,
      churnedFree: sum[at + CHURNED_FREE]!,
      active: sum[at + ACTIVE]!,
      optedOut: sum[at + OPTED_OUT_ALL]!,
      premiumActive: sum[at + PREMIUM_ACTIVE]!,
      churned: sum[at + CHURNED_ALL]!,
      trustSum: sum[at + TRUST_SUM]!,
    },
  };
}

/** Listeners per call of serveAll (see serveRange). */
const SERVE_STEP = 2048;

/**
 * serveAll in steps of SERVE_STEP listeners. V8 compiles a long first call while its loop runs
 * (on-stack replacement), before the code after the loop has ever run: that code has no type
 * feedback then, and the optimized code was thrown away on reaching it, to be compiled again
 * (in each thread, some 70 ms of compiling each time). Short calls have run to their end by then.
 */
function serveRange(p: Plan, budgetLeft: Int32Array, active: Int32Array, out: Float64Array, traced: Int32Array, trace: Map<number, ServedAd[]>, from: number, to: number): void {
  for (let at = from; at < to; at += SERVE_STEP) serveAll(p, budgetLeft, active, out, traced, trace, at, Math.min(to, at + SERVE_STEP));
}

/**
 * Serves listeners from … to − 1, then draws their opt-outs of personalization and churn from their
 * trust after the round, adding to the totals `out` (laid out as described at PER_ASSIGNMENT). Spends
 * `budgetLeft`, and takes assignments out of `active` when they run out.
 */
function serveAll(
  p: Plan,
  budgetLeft: Int32Array,
  active: Int32Array,
  out: Float64Array,
  traced: Int32Array,
  trace: Map<number, ServedAd[]>,
  from: number,
  to: number,
): void {
  const { market, response, status, attitude, trust, readKey, membership, key, afterKey } = p;
  const groups = p.everyone.length;
  const { cap, byMembership, everyone, relFrom, relTo, relValues, relBits, knownPatterns, patternStart, relevance, clickOfRelevance, creepOfRelevance, conversionOf, relevant } = p;
  const { creepStart, creepObserved, creepSlotOf, creepSignal, creepSensitivity, harmStart, harmValues, harmMask, harmTag, covertOf, creepOfAttitude, costOfKey, costs, creepBaseStart, creepBase, classOf } = p;
  const attitudes = creepOfAttitude.length;
  const A = cap.length;
  const at = countsAt(p);
  const harmHits = out.subarray(PER_ASSIGNMENT * A, at);
  const slotsPerListener = market.adSlotsPerListener;
  const clickOffset = market.clickTrustOffset;
  const clickCreepy = market.clickCreepyFactor;
  const perCreepy = response.trustPerCreepy;
  const perRelevant = response.trustPerRelevant;
  const gainCap = response.trustGainCapPerRound;
  const { optOutBelow, optOutScale, churnBelow, churnScale } = response;
  // Counts start from 0 here and are added to the totals at the end (whole numbers: the same sums).
  let optedOutThisRound = 0;
  let churnedPremium = 0;
  let churnedFree = 0;
  let activeListeners = 0;
  let optedOut = 0;
  let premiumActive = 0;
  let trustSum = out[at + TRUST_SUM]!;
  let reachable = 0;
  let reached = 0;
  let ron = 0;
  let complaints = 0;
  let harmedListeners = 0;
  // The trust change of a listener who heard no ad, as computed below for one who did.
  const idleGain = perCreepy * 0 + (perRelevant * 0 > gainCap ? gainCap : perRelevant * 0);
  // Impressions are the budget spent: added up from the budgets at the end.
  const leftBefore = budgetLeft.slice();
  let tracedAt = 0;
  while (tracedAt < traced.length - 1 && traced[tracedAt]! < from) tracedAt++;
  for (let i = from; i < to; i++) {
    const ads = traced[tracedAt] === i ? trace.get(traced[tracedAt++]!)! : null;
    let st = status[i]!;
    if ((st & CHURNED) !== 0) continue;
    const listenerKey = readKey[i]!;
    let trustDelta: number;
    // Premium listeners hear no ads: only the data collected about them changes their trust.
    if (listenerKey >= PREMIUM_KEY_BIT) trustDelta = costs[costOfKey[listenerKey - PREMIUM_KEY_BIT]!]! + idleGain;
    else {
      const member = membership[i]!;
      const clickTrust = clickOffset + trust[i]! / 100;
      const creepAttitude = creepOfAttitude[attitude[i]!]!;
      let slots = slotsPerListener;
      let creepyTotal = 0;
      let relevantCalm = 0;
      let harmed = 0;
      for (let g = 0; g < groups; g++) {
        const m = member >>> 0;
        let mine = (everyone[g]! | byMembership[g * 1024 + (m & 255)]! | byMembership[g * 1024 + 256 + ((m >>> 8) & 255)]! | byMembership[g * 1024 + 512 + ((m >>> 16) & 255)]! | byMembership[g * 1024 + 768 + (m >>> 24)]!) & active[g]!;
        while (mine !== 0 && slots > 0) {
          const bit = mine & -mine;
          mine ^= bit;
          const a = g * 32 + 31 - Math.clz32(bit);
          const left = budgetLeft[a]!;
          let k = cap[a]!;
          if (k > slots) k = slots;
          if (k > left) k = left;
          const known = knownPatterns[a]!;
          let pattern = 0;
          if (known.length > 0) pattern = known[i]!;
          else for (let x = relFrom[a]!, end = relTo[a]!; x < end; x++) pattern |= relBits[(x << 8) | relValues[x]![i]!]!;
          pattern += patternStart[a]!;
          const r = relevance[pattern]!;
          // Creepiness comes from targeting on inferences: the most sensitive reading behind the segment.
          let pCreep = 0;
          const q0 = creepStart[a]!;
          const q1 = creepStart[a + 1]!;
          if (q1 > q0) {
            const base = creepBaseStart[a]!;
            if (base >= 0) pCreep = creepBase[base + classOf[listenerKey]! * attitudes + attitude[i]!]! * creepOfRelevance[pattern]!;
            else {
              let sens = 0;
              let covert = 0;
              for (let q = q0; q < q1; q++) {
                // A missing reading (MISSING + 1 carries into bit 8) has no signal: 63.
                const by = creepSignal[(q << 6) | creepSlotOf[q]![listenerKey]!]! | (((creepObserved[q]![i]! + 1) >>> 8) * 63);
                const e = creepSensitivity[(q << 6) | by]!;
                if (e > sens) sens = e;
                if (covertOf[by]! > covert) covert = covertOf[by]!;
              }
              pCreep = creepAttitude * sens * covert * creepOfRelevance[pattern]!;
            }
            if (pCreep > 1) pCreep = 1;
          }
          // Each hash gives two draws (16 bits each is ample for these probabilities); the second
          // is only needed once something happened.
          const h1 = hash3(key, i, a * 2);
          const creepy = pCreep > 0 ? binomial(k, pCreep, (h1 >>> 16) / 65536) : 0;
          const pClick = clickOfRelevance[pattern]! * clickTrust;
          let clicks = binomial(k - creepy, pClick, (h1 & 0xffff) / 65536);
          let conversions = 0;
          const o = a * PER_ASSIGNMENT;
          if (creepy + clicks > 0) {
            const h2 = hash3(key, i, a * 2 + 1);
            if (creepy > 0) clicks += binomial(creepy, pClick * clickCreepy, (h2 >>> 16) / 65536);
            if (clicks > 0) conversions = binomial(clicks, conversionOf[pattern]!, (h2 & 0xffff) / 65536);
            // Whole numbers, all 0 otherwise: added only here, every sum is still the same.
            out[o + CLICKS]! += clicks;
            out[o + CONVERSIONS]! += conversions;
            out[o + CREEPY]! += creepy;
            creepyTotal += creepy;
          }
          out[o + REACH]! += 1;
          out[o + RELEVANCE]! += k * r;
          budgetLeft[a] = left - k;
          if (left - k <= 0) active[g] = active[g]! & ~bit;
          slots -= k;
          relevantCalm += (k - creepy) * relevant[pattern]!;
          let tags: HarmTag[] | null = null;
          for (let x = harmStart[a]!, end = harmStart[a + 1]!; x < end; x++) {
            const hit = (harmMask[x]! >>> harmValues[x]![i]!) & 1;
            harmHits[x]! += hit;
            harmed |= hit;
            if (ads !== null && hit !== 0) (tags ??= []).push(harmTag[x]!);
          }
          if (ads !== null) ads.push({ assignment: a, impressions: k, relevance: r, creepy, clicks, conversions, harms: tags ?? [] });
        }
      }
      reachable++;
      ron += slots;
      if (slots < slotsPerListener) reached++;
      if (creepyTotal > 0) complaints++;
      harmedListeners += harmed;
      let gain = perRelevant * relevantCalm;
      if (gain > gainCap) gain = gainCap;
      trustDelta = costs[costOfKey[listenerKey]!]! + (perCreepy * creepyTotal + gain);
    }
    if (trustDelta !== 0) {
      const t = trust[i]! + trustDelta;
      trust[i] = t < 0 ? 0 : t > 100 ? 100 : t;
    }
    const t = trust[i]!;
    if ((st & OPTED_OUT) === 0 && t < optOutBelow && hashUniform(afterKey, i, 0) < (optOutBelow - t) / optOutScale) {
      st |= OPTED_OUT;
      optedOutThisRound++;
    }
    const premium = listenerKey >= PREMIUM_KEY_BIT ? 1 : 0;
    if (t < churnBelow && hashUniform(afterKey, i, 1) < (churnBelow - t) / churnScale) {
      status[i] = st | CHURNED;
      churnedPremium += premium;
      churnedFree += 1 - premium;
      continue;
    }
    status[i] = st;
    activeListeners++;
    if ((st & OPTED_OUT) !== 0) optedOut++;
    premiumActive += premium;
    trustSum += t;
  }
  for (let a = 0; a < A; a++) out[a * PER_ASSIGNMENT + IMPRESSIONS]! += leftBefore[a]! - budgetLeft[a]!;
  out[at + OPTED_OUT_NOW]! += optedOutThisRound;
  out[at + CHURNED_PREMIUM]! += churnedPremium;
  out[at + CHURNED_FREE]! += churnedFree;
  out[at + ACTIVE]! += activeListeners;
  out[at + OPTED_OUT_ALL]! += optedOut;
  out[at + PREMIUM_ACTIVE]! += premiumActive;
  // Every listener but the active ones has churned, this round or before.
  out[at + CHURNED_ALL]! += to - from - activeListeners;
  out[at + TRUST_SUM] = trustSum;
  out[at + REACHABLE]! += reachable;
  out[at + REACHED]! += reached;
  out[at + RUN_OF_NETWORK]! += ron;
  out[at + COMPLAINTS]! += complaints;
  out[at + HARMED]! += harmedListeners;
}
