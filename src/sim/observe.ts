/**
 * Collection: which listeners each collected signal covers (consent design × attitude, OS
 * permission prompts, opt-outs), what the company then observes about each trait (right, wrong or
 * missing), and segment membership over those observations.
 *
 * Speed matters here (a round must handle a million listeners), hence:
 * - a listener's coverage depends only on (consent answers, OS, opted out), so it is one lookup;
 * - a reading is one lookup of the listener's fixed noise in the reader's table;
 * - every hot loop is its own small function over typed arrays: V8 optimizes functions as a
 *   whole, and a function holding several long loops keeps deoptimizing as later loops meet
 *   types the first ones never saw;
 * - the pass runs block by block over listeners (see collectBlock), so that a program with a
 *   second thread can collect a large round there while this thread serves the blocks already
 *   collected (see useCollectHelper).
 */
import { MISSING, type CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import type { MarketMemo } from './marketMemo';
import type { CardsJob } from './reportCard';
import type { ServeJob } from './serve';
import { alloc, isShared, PATIENCE_MS, sharingMemory } from './memory';
import { hash3, hashUniform, pickCumulative, streamKey, TWO_POW_32 } from './random';
import { ALLOWS_OS_PROMPT, CHURNED, OPTED_OUT, Stream, type Population, type SimState } from './state';

/** Scratch arrays reused between rounds of the same size (fully rewritten by every pass). */
export interface Workspace {
  count: number;
  /**
   * The listener's coverage class (see coverageKey), with PREMIUM_KEY_BIT set for premium listeners:
   * the signals covering them are the coverage table's entry for the class, and they can be
   * targeted (free tier, not churned, not opted out) when it is below OPTED_OUT_KEY.
   */
  readKey: Uint16Array;
  /** The targetable listeners' indices, in order (the first targetableCount entries). */
  targetList: Int32Array;
  /** Readings (MISSING for listeners who cannot be targeted; observerOf names the signal behind one). */
  observed: Uint8Array[];
  membership: Uint32Array;
}

let pooled: Workspace | null = null;

export function workspaceFor(count: number, traitCount: number): Workspace {
  if (pooled && pooled.count === count && pooled.observed.length === traitCount && isShared(pooled.readKey) === sharingMemory()) return pooled;
  pooled = {
    count,
    readKey: alloc(Uint16Array, count),
    targetList: alloc(Int32Array, count + 1),
    observed: Array.from({ length: traitCount }, () => alloc(Uint8Array, count)),
    membership: alloc(Uint32Array, count),
  };
  return pooled;
}

/** gate[s * osCount + o] = 1 when the OS prompts for the signal now (base gates plus OS updates). */
export function currentGates(c: CompiledScenario, state: SimState): Uint8Array {
  const gates = c.gatedBase.slice();
  const osCount = c.scenario.population.os.length;
  for (const g of state.extraGates) gates[c.signalIndex.get(g.signal)! * osCount + c.osIndex.get(g.os)!] = 1;
  return gates;
}

/** A trait that changes between rounds (moods, life events): redrawn from `before` into `after`. */
interface Drift {
  trait: number;
  before: Uint8Array;
  after: Uint8Array;
  /** The chance of a redraw times 2^32 (compared with a hash, without a division per listener). */
  threshold: number;
  cumulative: Float64Array;
}

/**
 * The round's drifting traits, each given a new array in the state (the old ones may be shared, see
 * cloneState). A drift another game on the market drew already is taken from the memo instead.
 */
function driftsOf(c: CompiledScenario, state: SimState, key: number, memo: MarketMemo | null): Drift[] {
  if (state.round === 0) return [];
  const traits = state.pop.traits;
  return traits.flatMap((before, t) => {
    if (c.traitChange[t]! <= 0) return [];
    const known = memo?.driftedFrom(before, key);
    if (known) {
      traits[t] = known;
      return [];
    }
    const after = (traits[t] = alloc(Uint8Array, state.pop.count));
    return [{ trait: t, before, after, threshold: c.traitChange[t]! * TWO_POW_32, cumulative: c.traitCumulative[t]! }];
  });
}

function driftTrait(from: number, to: number, key: number, t: number, threshold: number, cum: Float64Array, before: Uint8Array, values: Uint8Array): void {
  values.set(before.subarray(from, to), from);
  for (let i = from; i < to; i++) if (hash3(key, i, t * 2) < threshold) values[i] = pickCumulative(cum, hashUniform(key, i, t * 2 + 1));
}

/* ---- coverage ---- */

/**
 * A listener's coverage class: consent answers (8 bits), OS (3 bits), opted out (1 bit). Coverage
 * depends on nothing else, so it is one table lookup. Churned listeners get CHURNED_KEY (no
 * coverage); PREMIUM_KEY_BIT marks premium listeners in ws.readKey.
 */
const coverageKey = (agrees: number, os: number, optedOut: number) => agrees | (os << 8) | (optedOut << 11);
/** The opted-out bit of a coverage class: classes below it are of listeners who have neither opted out nor churned. */
export const OPTED_OUT_KEY = coverageKey(0, 0, 1);
const CHURNED_KEY = 1 << 12;
export const PREMIUM_KEY_BIT = 1 << 13;
const READ_KEYS = 1 << 14;

/** The signals covering a listener, from their read key (see Workspace.readKey) and the round's coverage table. */
export function signalsCovering(table: Uint32Array, readKey: number): number {
  return table[readKey & ~PREMIUM_KEY_BIT]!;
}

/** Whether an ad can target a listener (free tier, not churned, not opted out), from their read key. */
export function canTarget(readKey: number): boolean {
  return readKey < OPTED_OUT_KEY;
}

/** The collected signals covering each coverage class in `keys` (churned listeners are covered by none). */
function coverageTable(c: CompiledScenario, state: SimState, d: ResolvedDecisions, keys: Int32Array): Uint32Array {
  const osCount = c.scenario.population.os.length;
  const gates = currentGates(c, state);
  const table = new Uint32Array(CHURNED_KEY + 1);
  for (const key of keys) {
    if (key === CHURNED_KEY) continue;
    const agrees = key & 0xff;
    const os = (key >>> 8) & 7;
    const optedOut = key >= OPTED_OUT_KEY;
    let mask = 0;
    for (const s of d.signals) {
      if (optedOut && c.respectsOptOut[s] === 1) continue;
      if (c.needsConsent[s] === 1 && (agrees & (1 << d.consentOf[s]!)) === 0) continue;
      if (gates[s * osCount + os] === 1 && (agrees & ALLOWS_OS_PROMPT) === 0) continue;
      mask |= 1 << s;
    }
    table[key] = mask >>> 0;
  }
  return table;
}

/**
 * Every coverage class the population's listeners can fall in: their (consent answers, OS) pairs,
 * opted out or not, and churned. Per-class tables are made for these before the round tallies the
 * classes in use. Both arrays are fixed for a population, so this is worked out once.
 */
const possible = new WeakMap<Uint8Array, Int32Array>();

function possibleKeys(pop: Population): Int32Array {
  const known = possible.get(pop.agrees);
  if (known) return known;
  const seen = new Uint8Array(OPTED_OUT_KEY);
  const { agrees, os, count } = pop;
  for (let i = 0; i < count; i++) seen[coverageKey(agrees[i]!, os[i]!, 0)] = 1;
  const keys: number[] = [];
  for (let optedOut = 0; optedOut < 2; optedOut++) for (let code = 0; code < seen.length; code++) if (seen[code] === 1) keys.push(coverageKey(code, 0, optedOut));
  keys.push(CHURNED_KEY);
  const out = Int32Array.from(keys);
  possible.set(pop.agrees, out);
  return out;
}

/**
 * Fills the coverage classes (read keys) of listeners from … to − 1, adds their coverage to the
 * data held, tallies the classes and lists the targetable listeners after the sums[3]
 * listed before them; returns how many it listed. The same pass adds, in listener order, the trust
 * of listeners who have not churned (sums[0], their count in sums[1]) and the sensitivity of the
 * data held about everyone (sums[2]), so that no other pass reads those arrays before the ads are
 * served.
 */
function coverAll(
  from: number,
  to: number,
  statusBefore: Uint8Array,
  trustBefore: Float32Array,
  heldBefore: Uint32Array,
  status: Uint8Array,
  premium: Uint8Array,
  agrees: Uint8Array,
  os: Uint8Array,
  trust: Float32Array,
  table: Uint32Array,
  readKey: Uint16Array,
  targetList: Int32Array,
  held: Uint32Array,
  tally: Float64Array,
  heldByte: Float64Array[],
  sums: Float64Array,
): number {
  const [h0, h1, h2, h3] = heldByte as [Float64Array, Float64Array, Float64Array, Float64Array];
  const listed = sums[3]!;
  let targetableCount = 0;
  let trustSum = sums[0]!;
  let notChurned = sums[1]!;
  let heldSum = sums[2]!;
  for (let i = from; i < to; i++) {
    const st = statusBefore[i]!;
    status[i] = st;
    const tr = trustBefore[i]!;
    trust[i] = tr;
    const churned = st & CHURNED;
    const key = churned !== 0 ? CHURNED_KEY : coverageKey(agrees[i]!, os[i]!, st & OPTED_OUT);
    tally[key]! += 1;
    readKey[i] = key | (premium[i]! * PREMIUM_KEY_BIT);
    const h = (heldBefore[i]! | table[key]!) >>> 0;
    held[i] = h;
    if (h !== 0) heldSum += h0[h & 0xff]! + h1[(h >>> 8) & 0xff]! + h2[(h >>> 16) & 0xff]! + h3[h >>> 24]!;
    if (churned === 0) {
      trustSum += tr;
      notChurned++;
    }
    const t = (premium[i]! | st) === 0 ? 1 : 0;
    targetList[listed + targetableCount] = i;
    targetableCount += t;
  }
  sums[0] = trustSum;
  sums[1] = notChurned;
  sums[2] = heldSum;
  sums[3] = listed + targetableCount;
  return targetableCount;
}

/** The table of coverage classes in force and how many listeners fell in each, with sums taken in the same pass. */
export interface CoverageClasses {
  table: Uint32Array;
  tally: Float64Array;
  /** The classes that have listeners, in increasing order (at 10,000 listeners a few hundred of the 4,097). */
  used: Int32Array;
  targetableCount: number;
  /** Mean trust of the listeners who have not churned (0 when all have). */
  meanTrust: number;
  /** Σ over listeners of the sensitivity of the signals held about them, this round's collection included. */
  heldSensitivity: number;
}

/** Listeners covered by each signal. */
export function coveredPerSignal(c: CompiledScenario, d: ResolvedDecisions, classes: CoverageClasses): Float64Array {
  const covered = new Float64Array(c.scenario.signals.length);
  for (const key of classes.used) for (const s of d.signals) if ((classes.table[key]! & (1 << s)) !== 0) covered[s]! += classes.tally[key]!;
  return covered;
}

/* ---- readings ---- */
/*
 * Listeners' data is random, so the reading loops are written without data-dependent branches
 * (a mispredicted branch costs more than the rest of an iteration): choices are table lookups
 * and bit arithmetic.
 */

const NOISE_BITS = 10;
const NOISE_RANGE = 1 << NOISE_BITS;

/**
 * The reading offsets of a signal for a trait, indexed by the listener's noise u: below the
 * accuracy the reading is right (offset 0); then MISSING for a share of the errors; else a wrong
 * value, as an offset 1 … V−1 from the true value (mod V), spread evenly over the other values.
 * So a reading is right exactly `accuracy` of the time.
 */
function readingOffsets(c: CompiledScenario, trait: number, accuracy: number): Uint8Array {
  const offsets = new Uint8Array(NOISE_RANGE);
  const missAt = accuracy + (1 - accuracy) * c.scenario.response.errorMissingShare;
  const others = c.traitCumulative[trait]!.length - 1;
  for (let k = 0; k < NOISE_RANGE; k++) {
    const u = (k + 0.5) / NOISE_RANGE;
    offsets[k] = u < accuracy ? 0 : u < missAt ? MISSING : 1 + Math.min(others - 1, Math.floor(((u - missAt) / (1 - missAt)) * others));
  }
  return offsets;
}

/**
 * Everything a trait can be read as, for one lookup per listener: the reading by reveal `slot`
 * (the trait's revealing signals, most accurate first, then "no reader") of a listener with noise
 * bucket k and true value v is table[(((slot << NOISE_BITS) | k) << valueBits) | v].
 */
interface ReadTable {
  table: Uint8Array;
  /** Bits of the true value (its values rounded up to a power of two). */
  valueBits: number;
  /** Signal index per slot; MISSING for the "no reader" slot. */
  slotSignal: Uint8Array;
}

const readTables = new WeakMap<CompiledScenario, ReadTable[]>();

/** The trait's read table, built once per compiled scenario. */
function readTableOf(c: CompiledScenario, trait: number): ReadTable {
  let tables = readTables.get(c);
  if (!tables) readTables.set(c, (tables = []));
  const hit = tables[trait];
  if (hit) return hit;
  const reveals = c.revealsByTrait[trait]!;
  const values = c.traitCumulative[trait]!.length;
  let valueBits = 0;
  while (1 << valueBits < values) valueBits++;
  // The "no reader" slot (and padding past the last value) reads MISSING.
  const table = new Uint8Array((reveals.length + 1) << (NOISE_BITS + valueBits)).fill(MISSING);
  reveals.forEach((r, slot) => {
    const offsets = readingOffsets(c, trait, r.accuracy);
    for (let k = 0; k < NOISE_RANGE; k++) {
      const offset = offsets[k]!;
      if (offset === MISSING) continue;
      for (let v = 0; v < values; v++) table[(((slot << NOISE_BITS) | k) << valueBits) | v] = (v + offset) % values;
    }
  });
  return (tables[trait] = { table, valueBits, slotSignal: Uint8Array.from([...reveals.map((r) => r.signal), MISSING]) });
}

/** How one trait is read this round, in lookup form. */
export interface Readers extends ReadTable {
  /** Per read key (coverage class + premium bit): the slot of the most accurate covering reader. */
  slotOf: Uint8Array;
}

/** Readers of a trait for the coverage classes `keys`; premium listeners are read only when `everyone` (the persona view). */
export function readersOf(c: CompiledScenario, trait: number, coverageOf: Uint32Array, keys: Int32Array, everyone: boolean): Readers {
  const reveals = c.revealsByTrait[trait]!;
  const none = reveals.length;
  const slotOf = new Uint8Array(READ_KEYS).fill(none);
  // A class's coverage holds only collected signals, so the first revealing signal in it is the reader.
  for (const key of keys) {
    // Opted-out and churned listeners are not read for targeting.
    if (!everyone && key >= OPTED_OUT_KEY) continue;
    let slot = 0;
    while (slot < none && (coverageOf[key]! & (1 << reveals[slot]!.signal)) === 0) slot++;
    slotOf[key] = slot;
    if (everyone) slotOf[key | PREMIUM_KEY_BIT] = slot;
  }
  return { ...readTableOf(c, trait), slotOf };
}

/** Reads one trait for the `count` listeners of `list` from `start` on, from the most accurate covering signal: one read-table lookup each. */
export function readTrait(list: Int32Array, start: number, count: number, readKey: Uint16Array, truth: Uint8Array, noise: Uint16Array, readers: Readers, observed: Uint8Array): void {
  const { slotOf, table, valueBits } = readers;
  for (let j = start, end = start + count; j < end; j++) {
    const i = list[j]!;
    observed[i] = table[(((slotOf[readKey[i]!]! << NOISE_BITS) | (noise[i]! >>> (16 - NOISE_BITS))) << valueBits) | truth[i]!]!;
  }
}

/** The signal behind listener i's reading of a trait (MISSING when it was not read). */
export function observerOf(readers: Readers, readKey: Uint16Array, observed: Uint8Array, i: number): number {
  return observed[i] === MISSING ? MISSING : readers.slotSignal[readers.slotOf[readKey[i]!]!]!;
}

/** Every trait reading of one listener (targetable or not), for the persona view. */
export function readListener(c: CompiledScenario, state: SimState, g: Gathering, i: number): { value: number; signal: number }[] {
  const pop = state.pop;
  const value = new Uint8Array(1);
  const readKey = g.ws.readKey.subarray(i, i + 1);
  return pop.traits.map((truth, t) => {
    const readers = readersOf(c, t, g.table, g.keys, true);
    readTrait(Int32Array.of(0), 0, 1, readKey, truth.subarray(i, i + 1), pop.noise[t]!.subarray(i, i + 1), readers, value);
    return { value: value[0]!, signal: observerOf(readers, readKey, value, 0) };
  });
}

/* ---- segments ---- */

/**
 * Adds segment k to the `count` listeners of `list` from `start` on that meet it: any of its clauses (clause
 * c's conditions are clauseStart[c] … clauseStart[c + 1] − 1) with all its conditions met. A
 * condition is met when bit `reading` of its mask is set; MISSING never meets one (mask >>> 255 is
 * bit 31, never used). Returns how many joined.
 */
function joinSegment(list: Int32Array, start: number, count: number, k: number, clauseStart: Int32Array, readings: Uint8Array[], masks: Int32Array, membership: Uint32Array): number {
  const clauses = clauseStart.length - 1;
  let joined = 0;
  for (let j = start, end = start + count; j < end; j++) {
    const i = list[j]!;
    let hit = 0;
    for (let c = 0; c < clauses; c++) {
      let all = 1;
      for (let q = clauseStart[c]!, end = clauseStart[c + 1]!; q < end; q++) all &= masks[q]! >>> readings[q]![i]!;
      hit |= all;
    }
    hit &= 1;
    joined += hit;
    membership[i] = (membership[i]! | (hit << k)) >>> 0;
  }
  return joined;
}

/**
 * Sets the membership of the `count` listeners of `list` from `start` on in every segment, in one
 * pass: each trait's reading gives the conditions it meets (conditionsOf[x * 256 + reading], one
 * bit per distinct condition), and the conditions met give the segments (membershipOf). Listeners
 * are tallied by the conditions they meet, and the tally is added to each segment's members.
 */
function joinByTable(list: Int32Array, start: number, count: number, t: JoinTable, membership: Uint32Array, joined: Float64Array): void {
  const { readings, conditionsOf, membershipOf, tally } = t;
  const traits = readings.length;
  tally.fill(0);
  for (let j = start, end = start + count; j < end; j++) {
    const i = list[j]!;
    let met = 0;
    for (let x = 0; x < traits; x++) met |= conditionsOf[(x << 8) | readings[x]![i]!]!;
    membership[i] = membershipOf[met]!;
    tally[met]! += 1;
  }
  for (let met = 0; met < tally.length; met++) {
    const n = tally[met]!;
    if (n === 0) continue;
    for (let m = membershipOf[met]!; m !== 0; m &= m - 1) joined[31 - Math.clz32(m & -m)]! += n;
  }
}

/** Segment rules with at most this many distinct conditions in all are joined by table (2^n entries). */
const TABLE_CONDITIONS = 12;

interface JoinTable {
  /** The readings of the traits the conditions test. */
  readings: Uint8Array[];
  conditionsOf: Uint32Array;
  membershipOf: Uint32Array;
  /** Listeners of a block by the conditions they meet. */
  tally: Int32Array;
}

/** The rules as a join table, if they have few enough distinct conditions. */
function joinTable(d: ResolvedDecisions, ws: Workspace): JoinTable | null {
  const conditions = new Map<string, { trait: number; mask: number; bit: number }>();
  const clauses = d.segments.map((seg) =>
    seg.clauses.map((clause) =>
      clause.reduce((bits, cond) => {
        const key = `${cond.trait}:${cond.mask}`;
        let known = conditions.get(key);
        if (!known) conditions.set(key, (known = { ...cond, bit: conditions.size }));
        return bits | (1 << known.bit);
      }, 0),
    ),
  );
  if (conditions.size > TABLE_CONDITIONS) return null;
  const traits = [...new Set([...conditions.values()].map((x) => x.trait))];
  const conditionsOf = new Uint32Array(traits.length * 256);
  for (const { trait, mask, bit } of conditions.values())
    for (let v = 0; v < 32; v++) if (((mask >>> v) & 1) !== 0) conditionsOf[traits.indexOf(trait) * 256 + v]! |= 1 << bit;
  // A segment takes in every set of met conditions that holds all of one of its clauses.
  const membershipOf = new Uint32Array(1 << conditions.size);
  clauses.forEach((segment, k) => {
    for (const bits of segment) for (let met = 0; met < membershipOf.length; met++) if ((met & bits) === bits) membershipOf[met]! |= 1 << k;
  });
  return { readings: traits.map((t) => ws.observed[t]!), conditionsOf, membershipOf, tally: new Int32Array(membershipOf.length) };
}

/**
 * The segment rules in the form the join passes take: a join table when the rules have few
 * distinct conditions, else a pass per segment.
 */
type SegmentJoins =
  | { table: JoinTable }
  | { table: null; segments: { k: number; clauseStart: Int32Array; readings: Uint8Array[]; masks: Int32Array }[] };

function segmentJoins(d: ResolvedDecisions, ws: Workspace): SegmentJoins {
  const table = joinTable(d, ws);
  if (table) return { table };
  return {
    table: null,
    segments: d.segments.map((seg, k) => {
      const conds = seg.clauses.flat();
      const clauseStart = new Int32Array(seg.clauses.length + 1);
      seg.clauses.forEach((clause, c) => (clauseStart[c + 1] = clauseStart[c]! + clause.length));
      return { k, clauseStart, readings: conds.map((cond) => ws.observed[cond.trait]!), masks: Int32Array.from(conds, (cond) => cond.mask) };
    }),
  };
}

/* ---- the collection pass, block by block ---- */

/**
 * A round's collection as plain data (typed arrays and numbers), so that another thread can run it:
 * block by block, in listener order, while this thread serves the blocks already collected. Every
 * sum is added up in listener order either way, so the results do not depend on who collects.
 */
export interface CollectJob {
  count: number;
  /** Listeners per block. */
  block: number;
  driftKey: number;
  drifts: Drift[];
  /** The listeners' status, trust and data held before the round, copied into the three below as they are read. */
  before: { status: Uint8Array; trust: Float32Array; held: Uint32Array };
  status: Uint8Array;
  premium: Uint8Array;
  agrees: Uint8Array;
  os: Uint8Array;
  trust: Float32Array;
  held: Uint32Array;
  coverageOf: Uint32Array;
  heldByte: Float64Array[];
  ws: Workspace;
  reads: { trait: number; truth: Uint8Array; noise: Uint16Array; readers: Readers }[];
  joins: SegmentJoins;
  /** Listeners per coverage class. */
  tally: Float64Array;
  /** Trust of the listeners who have not churned, their count, the sensitivity of the data held, targetable listeners. */
  sums: Float64Array;
  /** Members per segment. */
  joined: Float64Array;
  /** Blocks collected; −1 once the collecting thread has failed. */
  progress: Int32Array;
}

/** Collects block b: drift, coverage, readings and segment membership of its listeners. */
export function collectBlock(job: CollectJob, b: number): void {
  const from = b * job.block;
  const to = Math.min(job.count, from + job.block);
  const ws = job.ws;
  for (const x of job.drifts) driftTrait(from, to, job.driftKey, x.trait, x.threshold, x.cumulative, x.before, x.after);
  const start = job.sums[3]!;
  const count = coverAll(from, to, job.before.status, job.before.trust, job.before.held, job.status, job.premium, job.agrees, job.os, job.trust, job.coverageOf, ws.readKey, ws.targetList, job.held, job.tally, job.heldByte, job.sums);
  for (const r of job.reads) {
    ws.observed[r.trait]!.fill(MISSING, from, to);
    readTrait(ws.targetList, start, count, ws.readKey, r.truth, r.noise, r.readers, ws.observed[r.trait]!);
  }
  ws.membership.fill(0, from, to);
  const joins = job.joins;
  if (joins.table) joinByTable(ws.targetList, start, count, joins.table, ws.membership, job.joined);
  else for (const s of joins.segments) job.joined[s.k]! += joinSegment(ws.targetList, start, count, s.k, s.clauseStart, s.readings, s.masks, ws.membership);
}

/** Another thread that runs collection jobs: collectBlock for every block in order, counting them in job.progress. */
export interface CollectHelper {
  /** Starts the job; false when the thread cannot take it now (this thread then collects). */
  run(job: CollectJob): boolean;
  /** Once it has collected the round it took last, serves part of it (serveFromEnd in serve.ts). */
  serve?(job: ServeJob): void;
  /** Then works out the round's report-card statistics (workOutCards in reportCard.ts); false when it cannot now. */
  cards?(job: CardsJob): boolean;
}

let helper: CollectHelper | null = null;

/**
 * Lends large rounds another thread (null: none), where the platform lets this thread wait for it.
 * Only rounds whose listeners live in shared memory are lent (see memory.ts).
 */
export function useCollectHelper(h: CollectHelper | null): void {
  helper = h;
}

/** The smallest round lent to another thread: below it, handing the round over costs about what it saves. */
export const LENT_FROM = 1 << 18;

/**
 * Listeners per block when another thread collects: about 32 blocks, so that serving soon starts,
 * of 4,096 to 32,768 listeners, so that waiting for a block stays rare.
 */
function blockSize(n: number): number {
  let block = 1 << 12;
  while (block < 1 << 15 && block * 32 < n) block *= 2;
  return block;
}

/**
 * Listeners per block when this thread collects. Short passes have run to their end before V8
 * compiles them: a long first pass is compiled while its loop runs, and that code was thrown away
 * (and compiled again) on reaching the code after the loop, which had never run (see serveRange).
 */
const OWN_BLOCK = 1 << 12;

function waitForBlocks(progress: Int32Array, blocks: number): void {
  for (;;) {
    const done = Atomics.load(progress, 0);
    if (done < 0) throw new Error('The thread collecting this round failed.');
    if (done >= blocks) return;
    if (Atomics.wait(progress, 0, done, PATIENCE_MS) === 'timed-out') throw new Error('The thread collecting this round stopped answering.');
  }
}

/** What a round knows about listeners before any ad is served. */
export interface Collection {
  ws: Workspace;
  targetableCount: number;
  classes: CoverageClasses;
  /** How each trait was read (null for traits not read this round). */
  readers: (Readers | null)[];
  /** Listeners covered by each signal (by signal index). */
  covered: Float64Array;
  /** Members of each segment. */
  members: Float64Array;
}

/** A round's collection under way (see startCollection). */
export interface Gathering {
  ws: Workspace;
  readers: (Readers | null)[];
  /** The coverage table, and every class a listener can be in (see possibleKeys) for tables made before the tally. */
  table: Uint32Array;
  keys: Int32Array;
  /** Listeners per block: use the listeners block by block, each once ready() says it is collected. */
  block: number;
  /** The thread collecting the round, if another one is. */
  helper: CollectHelper | null;
  /** Waits until listeners 0 … upTo − 1 are collected. */
  ready(upTo: number): void;
  /** Waits for the whole collection and sums it up. */
  finish(): Collection;
}

/**
 * Start of a round: moods drift, signals are collected, the traits in `traits` are read (for
 * targetable listeners) and segment membership is computed. Changes the state (drift, data held).
 * A large round is collected by the helper thread, if there is one, while this thread goes on.
 * `before`: the listeners as the round found them, whose status, trust and data held are copied
 * into the state's block by block (the state's own, when they are already there).
 */
export function startCollection(
  c: CompiledScenario,
  state: SimState,
  d: ResolvedDecisions,
  traits: number[],
  memo: MarketMemo | null = null,
  before: Population = state.pop,
): Gathering {
  const pop = state.pop;
  const n = pop.count;
  const ws = workspaceFor(n, pop.traits.length);
  const driftKey = streamKey(state.seed, Stream.moodChange, state.round);
  const drifts = driftsOf(c, state, driftKey, memo);
  const keys = possibleKeys(pop);
  const table = coverageTable(c, state, d, keys);
  const readers: (Readers | null)[] = pop.traits.map(() => null);
  for (const t of traits) readers[t] = readersOf(c, t, table, keys, false);
  // The arrays the other thread writes must be shared; those it only reads are too, or every
  // round would copy them over.
  const arrays = [before.status, before.trust, before.held, pop.status, pop.premium, pop.agrees, pop.os, pop.trust, pop.held, ...pop.traits, ...pop.noise, ws.readKey, ws.membership];
  const lendable = helper !== null && n >= LENT_FROM && arrays.every(isShared);
  const job: CollectJob = {
    count: n,
    block: lendable ? blockSize(n) : Math.min(Math.max(n, 1), OWN_BLOCK),
    driftKey,
    drifts,
    before: { status: before.status, trust: before.trust, held: before.held },
    status: pop.status,
    premium: pop.premium,
    agrees: pop.agrees,
    os: pop.os,
    trust: pop.trust,
    held: pop.held,
    coverageOf: table,
    heldByte: c.heldByte,
    ws,
    reads: traits.map((t) => ({ trait: t, truth: pop.traits[t]!, noise: pop.noise[t]!, readers: readers[t]! })),
    joins: segmentJoins(d, ws),
    tally: alloc(Float64Array, table.length),
    sums: alloc(Float64Array, 4),
    joined: alloc(Float64Array, d.segments.length),
    progress: alloc(Int32Array, 1),
  };
  const lent = lendable && helper!.run(job);
  // Until the round is over, the other thread may still write into the workspace: no other
  // round may use it, not even after this one fails.
  if (lent) pooled = null;
  if (!lent) for (let b = 0; b * job.block < n; b++) collectBlock(job, b);
  const ready = lent ? (upTo: number) => waitForBlocks(job.progress, Math.ceil(upTo / job.block)) : () => {};
  return {
    ws,
    readers,
    table,
    keys,
    block: job.block,
    helper: lent ? helper : null,
    ready,
    finish: () => {
      ready(n);
      pooled = ws;
      for (const x of drifts) memo?.rememberDrift(x.before, driftKey, x.after);
      const { tally, sums } = job;
      const used: number[] = [];
      let tallied = 0;
      for (const key of keys)
        if (tally[key] !== 0) {
          used.push(key);
          tallied += tally[key]!;
        }
      // possibleKeys is worked out once per population: consent answers and OS must never change.
      // Every listener is tallied in one class, so the expected classes hold them all.
      if (tallied !== n) throw new Error('A listener is in a coverage class the round did not expect: consent answers or OS changed after the population was made.');
      const classes: CoverageClasses = { table, tally, used: Int32Array.from(used), targetableCount: sums[3]!, meanTrust: sums[1]! > 0 ? sums[0]! / sums[1]! : 0, heldSensitivity: sums[2]! };
      return { ws, targetableCount: sums[3]!, classes, readers, covered: coveredPerSignal(c, d, classes), members: job.joined };
    },
  };
}

/** The traits segment rules read (the only ones a round needs to read for every listener). */
export function segmentTraits(d: ResolvedDecisions): number[] {
  return [...new Set(d.segments.flatMap((s) => s.traits))].sort((a, b) => a - b);
}
