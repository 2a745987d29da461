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
 *   types the first ones never saw.
 */
import { MISSING, type CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import { hash3, hashUniform, pickCumulative, streamKey, TWO_POW_32 } from './random';
import { ALLOWS_OS_PROMPT, CHURNED, OPTED_OUT, Stream, type SimState } from './state';

/** Scratch arrays reused between rounds of the same size (fully rewritten by every pass). */
export interface Workspace {
  count: number;
  /** The listener's coverage class (see coverageKey), with PREMIUM_KEY_BIT set for premium listeners. */
  readKey: Uint16Array;
  /** 1 for listeners an ad can target (free tier, not churned, not opted out). */
  targetable: Uint8Array;
  /** The targetable listeners' indices, in order (the first targetableCount entries). */
  targetList: Int32Array;
  coverage: Uint32Array;
  /** Readings (MISSING for listeners who cannot be targeted; observerOf names the signal behind one). */
  observed: Uint8Array[];
  membership: Uint32Array;
}

let pooled: Workspace | null = null;

export function workspaceFor(count: number, traitCount: number): Workspace {
  if (pooled && pooled.count === count && pooled.observed.length === traitCount) return pooled;
  pooled = {
    count,
    readKey: new Uint16Array(count),
    targetable: new Uint8Array(count),
    targetList: new Int32Array(count + 1),
    coverage: new Uint32Array(count),
    observed: Array.from({ length: traitCount }, () => new Uint8Array(count)),
    membership: new Uint32Array(count),
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

/** Redraws the traits that change between rounds (moods, life events), into new arrays (the old ones may be shared, see cloneState). */
export function driftTraits(c: CompiledScenario, state: SimState): void {
  const key = streamKey(state.seed, Stream.moodChange, state.round);
  const traits = state.pop.traits;
  for (let t = 0; t < traits.length; t++) {
    if (c.traitChange[t]! <= 0) continue;
    traits[t] = traits[t]!.slice();
    driftTrait(state.pop.count, key, t, c.traitChange[t]!, c.traitCumulative[t]!, traits[t]!);
  }
}

function driftTrait(n: number, key: number, t: number, change: number, cum: Float64Array, values: Uint8Array): void {
  // hashUniform(…) < change, without a division per listener: both sides times 2^32 are exact.
  const threshold = change * TWO_POW_32;
  for (let i = 0; i < n; i++) if (hash3(key, i, t * 2) < threshold) values[i] = pickCumulative(cum, hashUniform(key, i, t * 2 + 1));
}

/* ---- coverage ---- */

/**
 * A listener's coverage class: consent answers (8 bits), OS (3 bits), opted out (1 bit). Coverage
 * depends on nothing else, so it is one table lookup. Churned listeners get CHURNED_KEY (no
 * coverage); PREMIUM_KEY_BIT marks premium listeners in ws.readKey.
 */
const coverageKey = (agrees: number, os: number, optedOut: number) => agrees | (os << 8) | (optedOut << 11);
const CHURNED_KEY = 1 << 12;
export const PREMIUM_KEY_BIT = 1 << 13;
const READ_KEYS = 1 << 14;

/** The collected signals covering each coverage class. */
function coverageTable(c: CompiledScenario, state: SimState, d: ResolvedDecisions): Uint32Array {
  const osCount = c.scenario.population.os.length;
  const gates = currentGates(c, state);
  const table = new Uint32Array(CHURNED_KEY + 1);
  for (let optedOut = 0; optedOut < 2; optedOut++)
    for (let os = 0; os < osCount; os++)
      for (let agrees = 0; agrees < 256; agrees++) {
        let mask = 0;
        for (const s of d.signals) {
          if (optedOut === 1 && c.respectsOptOut[s] === 1) continue;
          if (c.needsConsent[s] === 1 && (agrees & (1 << d.consentOf[s]!)) === 0) continue;
          if (gates[s * osCount + os] === 1 && (agrees & ALLOWS_OS_PROMPT) === 0) continue;
          mask |= 1 << s;
        }
        table[coverageKey(agrees, os, optedOut)] = mask >>> 0;
      }
  return table;
}

/**
 * Fills the listeners' coverage classes, coverage and targetability, adds coverage to the data
 * held, and tallies the classes; returns how many listeners are targetable. The same pass sums,
 * in listener order, the trust of listeners who have not churned (sums[0], with their count in
 * sums[1]) and the sensitivity of the data held about everyone (sums[2]), so that no other pass
 * reads those arrays before the ads are served.
 */
function coverAll(
  n: number,
  status: Uint8Array,
  premium: Uint8Array,
  agrees: Uint8Array,
  os: Uint8Array,
  trust: Float32Array,
  table: Uint32Array,
  readKey: Uint16Array,
  coverage: Uint32Array,
  targetable: Uint8Array,
  targetList: Int32Array,
  held: Uint32Array,
  tally: Float64Array,
  heldByte: Float64Array[],
  sums: Float64Array,
): number {
  const [h0, h1, h2, h3] = heldByte as [Float64Array, Float64Array, Float64Array, Float64Array];
  let targetableCount = 0;
  let trustSum = 0;
  let notChurned = 0;
  let heldSum = 0;
  for (let i = 0; i < n; i++) {
    const st = status[i]!;
    const churned = st & CHURNED;
    const key = churned !== 0 ? CHURNED_KEY : agrees[i]! | (os[i]! << 8) | ((st & OPTED_OUT) << 11);
    tally[key]! += 1;
    readKey[i] = key | (premium[i]! * PREMIUM_KEY_BIT);
    const mask = table[key]!;
    coverage[i] = mask;
    const h = (held[i]! | mask) >>> 0;
    held[i] = h;
    if (h !== 0) heldSum += h0[h & 0xff]! + h1[(h >>> 8) & 0xff]! + h2[(h >>> 16) & 0xff]! + h3[h >>> 24]!;
    if (churned === 0) {
      trustSum += trust[i]!;
      notChurned++;
    }
    const t = (premium[i]! | st) === 0 ? 1 : 0;
    targetable[i] = t;
    targetList[targetableCount] = i;
    targetableCount += t;
  }
  sums[0] = trustSum;
  sums[1] = notChurned;
  sums[2] = heldSum;
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

/** Fills ws.coverage, ws.readKey, ws.targetable and ws.targetList and adds coverage to the data held. */
export function collect(c: CompiledScenario, state: SimState, d: ResolvedDecisions, ws: Workspace): CoverageClasses {
  const pop = state.pop;
  const table = coverageTable(c, state, d);
  const tally = new Float64Array(table.length);
  const sums = new Float64Array(3);
  const targetableCount = coverAll(pop.count, pop.status, pop.premium, pop.agrees, pop.os, pop.trust, table, ws.readKey, ws.coverage, ws.targetable, ws.targetList, pop.held, tally, c.heldByte, sums);
  const used: number[] = [];
  for (let key = 0; key < tally.length; key++) if (tally[key] !== 0) used.push(key);
  return { table, tally, used: Int32Array.from(used), targetableCount, meanTrust: sums[1]! > 0 ? sums[0]! / sums[1]! : 0, heldSensitivity: sums[2]! };
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

/** Readers of a trait; premium listeners are read only when `everyone` (the persona view). */
export function readersOf(c: CompiledScenario, trait: number, classes: CoverageClasses, everyone: boolean): Readers {
  const reveals = c.revealsByTrait[trait]!;
  const none = reveals.length;
  const slotOf = new Uint8Array(READ_KEYS).fill(none);
  // A class's coverage holds only collected signals, so the first revealing signal in it is the reader.
  const coverageOf = classes.table;
  for (const key of classes.used) {
    const optedOut = key < CHURNED_KEY && (key >>> 11) & 1;
    if (!everyone && (optedOut || key === CHURNED_KEY)) continue;
    let slot = 0;
    while (slot < none && (coverageOf[key]! & (1 << reveals[slot]!.signal)) === 0) slot++;
    slotOf[key] = slot;
    if (everyone) slotOf[key | PREMIUM_KEY_BIT] = slot;
  }
  return { ...readTableOf(c, trait), slotOf };
}

/** Reads one trait for the first `count` listeners of `list` from the most accurate covering signal: one read-table lookup each. */
export function readTrait(list: Int32Array, count: number, readKey: Uint16Array, truth: Uint8Array, noise: Uint16Array, readers: Readers, observed: Uint8Array): void {
  const { slotOf, table, valueBits } = readers;
  for (let j = 0; j < count; j++) {
    const i = list[j]!;
    observed[i] = table[(((slotOf[readKey[i]!]! << NOISE_BITS) | (noise[i]! >>> (16 - NOISE_BITS))) << valueBits) | truth[i]!]!;
  }
}

/** The signal behind listener i's reading of a trait (MISSING when it was not read). */
export function observerOf(readers: Readers, readKey: Uint16Array, observed: Uint8Array, i: number): number {
  return observed[i] === MISSING ? MISSING : readers.slotSignal[readers.slotOf[readKey[i]!]!]!;
}

/** Fills ws.observed for the given traits (read for targetable listeners, MISSING for the others); returns the readers by trait. */
export function readTraits(c: CompiledScenario, state: SimState, ws: Workspace, classes: CoverageClasses, traits: number[]): (Readers | null)[] {
  const pop = state.pop;
  const readers: (Readers | null)[] = pop.traits.map(() => null);
  for (const t of traits) {
    ws.observed[t]!.fill(MISSING);
    const r = (readers[t] = readersOf(c, t, classes, false));
    readTrait(ws.targetList, classes.targetableCount, ws.readKey, pop.traits[t]!, pop.noise[t]!, r, ws.observed[t]!);
  }
  return readers;
}

/** Every trait reading of one listener (targetable or not), for the persona view. */
export function readListener(c: CompiledScenario, state: SimState, ws: Workspace, classes: CoverageClasses, i: number): { value: number; signal: number }[] {
  const pop = state.pop;
  const value = new Uint8Array(1);
  const readKey = ws.readKey.subarray(i, i + 1);
  return pop.traits.map((truth, t) => {
    const readers = readersOf(c, t, classes, true);
    readTrait(Int32Array.of(0), 1, readKey, truth.subarray(i, i + 1), pop.noise[t]!.subarray(i, i + 1), readers, value);
    return { value: value[0]!, signal: observerOf(readers, readKey, value, 0) };
  });
}

/* ---- segments ---- */

/**
 * Adds segment k to the first `count` listeners of `list` that meet it: any of its clauses (clause
 * c's conditions are clauseStart[c] … clauseStart[c + 1] − 1) with all its conditions met. A
 * condition is met when bit `reading` of its mask is set; MISSING never meets one (mask >>> 255 is
 * bit 31, never used). Returns how many joined.
 */
function joinSegment(list: Int32Array, count: number, k: number, clauseStart: Int32Array, readings: Uint8Array[], masks: Int32Array, membership: Uint32Array): number {
  const clauses = clauseStart.length - 1;
  let joined = 0;
  for (let j = 0; j < count; j++) {
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
 * Sets the membership of the first `count` listeners of `list` in every segment of one condition
 * (segment bits[k] when mask k has the bit of reading k), in one pass, and counts each segment's
 * members into `joined`. About twice as fast per segment as joinSegment, and a listener's
 * membership word is written once.
 */
function joinSimpleSegments(list: Int32Array, count: number, bits: Int32Array, readings: Uint8Array[], masks: Int32Array, membership: Uint32Array, joined: Float64Array): void {
  const segments = bits.length;
  const tally = new Int32Array(segments);
  for (let j = 0; j < count; j++) {
    const i = list[j]!;
    let m = 0;
    for (let k = 0; k < segments; k++) {
      const hit = (masks[k]! >>> readings[k]![i]!) & 1;
      tally[k]! += hit;
      m |= hit << bits[k]!;
    }
    membership[i] = m >>> 0;
  }
  for (let k = 0; k < segments; k++) joined[bits[k]!] = tally[k]!;
}

/** Fills ws.membership (bit k set when listener i matches segment k on observed attributes); returns member counts. */
export function computeMembership(d: ResolvedDecisions, ws: Workspace, targetableCount: number): Float64Array {
  ws.membership.fill(0);
  const joined = new Float64Array(d.segments.length);
  const simple = d.segments.flatMap((seg, k) => (seg.clauses.length === 1 && seg.clauses[0]!.length === 1 ? [{ k, cond: seg.clauses[0]![0]! }] : []));
  joinSimpleSegments(
    ws.targetList,
    targetableCount,
    Int32Array.from(simple, (x) => x.k),
    simple.map((x) => ws.observed[x.cond.trait]!),
    Int32Array.from(simple, (x) => x.cond.mask),
    ws.membership,
    joined,
  );
  d.segments.forEach((seg, k) => {
    if (seg.clauses.length === 1 && seg.clauses[0]!.length === 1) return;
    const conds = seg.clauses.flat();
    const clauseStart = new Int32Array(seg.clauses.length + 1);
    seg.clauses.forEach((clause, c) => (clauseStart[c + 1] = clauseStart[c]! + clause.length));
    joined[k] = joinSegment(ws.targetList, targetableCount, k, clauseStart, conds.map((cond) => ws.observed[cond.trait]!), Int32Array.from(conds, (cond) => cond.mask), ws.membership);
  });
  return joined;
}

/** What a round knows about listeners before any ad is served. */
export interface Collection {
  ws: Workspace;
  /** 1 for listeners an ad can target (free tier, not churned, not opted out). */
  targetable: Uint8Array;
  targetableCount: number;
  classes: CoverageClasses;
  /** How each trait was read (null for traits not read this round). */
  readers: (Readers | null)[];
  /** Listeners covered by each signal (by signal index). */
  covered: Float64Array;
  /** Members of each segment. */
  members: Float64Array;
}

/**
 * Start of a round: moods drift, signals are collected, the traits in `traits` are read (for
 * targetable listeners) and segment membership is computed. Changes the state (drift, data held).
 */
export function collectAndSegment(c: CompiledScenario, state: SimState, d: ResolvedDecisions, traits: number[]): Collection {
  if (state.round > 0) driftTraits(c, state);
  const ws = workspaceFor(state.pop.count, state.pop.traits.length);
  const classes = collect(c, state, d, ws);
  const readers = readTraits(c, state, ws, classes, traits);
  const members = computeMembership(d, ws, classes.targetableCount);
  return { ws, targetable: ws.targetable, targetableCount: classes.targetableCount, classes, readers, covered: coveredPerSignal(c, d, classes), members };
}

/** The traits segment rules read (the only ones a round needs to read for every listener). */
export function segmentTraits(d: ResolvedDecisions): number[] {
  return [...new Set(d.segments.flatMap((s) => s.traits))].sort((a, b) => a - b);
}
