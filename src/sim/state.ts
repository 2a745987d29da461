/**
 * The simulation state: everything that carries from one round to the next. Listeners live in
 * typed arrays (one array per attribute), never as one object each.
 */
import { base64ToBytes, bytesToBase64 } from './base64';
import { compileScenario, type CompiledScenario } from './compiled';
import { alloc, copyOf } from './memory';
import { hash3, hashUniform, pickCumulative, seedRng, streamKey, type RngState } from './random';
import type { Id, PlainDecisions, Scenario } from './scenario';

export const STATE_FORMAT = 1;

/** Bit of `Population.agrees`: the listener allows signals behind OS permission prompts. */
export const ALLOWS_OS_PROMPT = 0x80;

/** Bits of `Population.status`. */
export const OPTED_OUT = 1;
export const CHURNED = 2;

export interface Population {
  count: number;
  /** 1 = premium (no ads). */
  premium: Uint8Array;
  os: Uint8Array;
  attitude: Uint8Array;
  /**
   * The listener's fixed answers: bit d set when they accept consent design d, bit 7
   * (ALLOWS_OS_PROMPT) when they tap "Allow" on OS permission prompts. Drawn once, so a listener
   * who accepts a clear opt-in also accepts a pushier design.
   */
  agrees: Uint8Array;
  /** Hidden truth: one array of value indices per trait. */
  traits: Uint8Array[];
  /** How hard each trait is to read for this listener (0–65535): readings compare it to the signal's accuracy. */
  noise: Uint16Array[];
  trust: Float32Array;
  status: Uint8Array;
  /** Bit s set once signal s has been collected about the listener (data held can leak). */
  held: Uint32Array;
}

export interface SimState {
  format: number;
  seed: number;
  listeners: number;
  /** Rounds played so far. */
  round: number;
  rng: RngState;
  /** Signals gated by OS privacy updates during the game. */
  extraGates: { signal: Id; os: Id }[];
  boycottRoundsLeft: number;
  /** The effective decisions of the last round played (closed areas carry over from it). */
  lastDecisions: PlainDecisions | null;
  pop: Population;
}

/** Named random streams: each purpose draws from its own keyed sequence. */
export const Stream = {
  premium: 1,
  os: 2,
  attitude: 3,
  trust: 4,
  traits: 5,
  consent: 10,
  osPrompt: 11,
  noise: 12,
  moodChange: 14,
  serve: 15,
  aftermath: 16,
  events: 17,
} as const;

function uniformSum4(key: number, i: number, base: number): number {
  // Sum of four uniforms, centred: a bell shape on [-1, 1] from exact arithmetic only.
  return (
    (hashUniform(key, i, base) + hashUniform(key, i, base + 1) + hashUniform(key, i, base + 2) + hashUniform(key, i, base + 3) - 2) /
    2
  );
}

export function generatePopulation(c: CompiledScenario, seed: number, count: number): Population {
  const { population } = c.scenario;
  const traitCount = population.traits.length;
  const pop: Population = {
    count,
    premium: alloc(Uint8Array, count),
    os: alloc(Uint8Array, count),
    attitude: alloc(Uint8Array, count),
    agrees: alloc(Uint8Array, count),
    traits: Array.from({ length: traitCount }, () => alloc(Uint8Array, count)),
    noise: Array.from({ length: traitCount }, () => alloc(Uint16Array, count)),
    trust: alloc(Float32Array, count),
    status: alloc(Uint8Array, count),
    held: alloc(Uint32Array, count),
  };
  const kPremium = streamKey(seed, Stream.premium);
  const kOs = streamKey(seed, Stream.os);
  const kAttitude = streamKey(seed, Stream.attitude);
  const kTrust = streamKey(seed, Stream.trust);
  const kTraits = streamKey(seed, Stream.traits);
  const kConsent = streamKey(seed, Stream.consent);
  const kPrompt = streamKey(seed, Stream.osPrompt);
  const kNoise = streamKey(seed, Stream.noise);
  const attitudes = population.attitudes;
  const designs = c.scenario.consentDesigns.length;
  for (let i = 0; i < count; i++) {
    pop.premium[i] = hashUniform(kPremium, i, 0) < population.premiumShare ? 1 : 0;
    const o = pickCumulative(c.osCumulative, hashUniform(kOs, i, 0));
    pop.os[i] = o;
    const a = pickCumulative(c.attitudeCumulative, hashUniform(kAttitude, i, 0));
    pop.attitude[i] = a;
    const uConsent = hashUniform(kConsent, i, 0);
    let agrees = hashUniform(kPrompt, i, 0) < c.promptOptIn[o]! ? ALLOWS_OS_PROMPT : 0;
    for (let d = 0; d < designs; d++) if (uConsent < c.consentCoverage[d * attitudes.length + a]!) agrees |= 1 << d;
    pop.agrees[i] = agrees;
    const att = attitudes[a]!;
    const t = att.trustMean + att.trustSpread * uniformSum4(kTrust, i, 0);
    pop.trust[i] = t < 0 ? 0 : t > 100 ? 100 : t;
    for (let t2 = 0; t2 < traitCount; t2++) {
      pop.traits[t2]![i] = pickCumulative(c.traitCumulative[t2]!, hashUniform(kTraits, i, t2));
      pop.noise[t2]![i] = hash3(kNoise, i, t2) >>> 16;
    }
  }
  return pop;
}

export function createState(scenario: Scenario, seed: number, listeners: number): SimState {
  const c = compileScenario(scenario);
  const s = seed >>> 0;
  return {
    format: STATE_FORMAT,
    seed: s,
    listeners,
    round: 0,
    rng: seedRng(streamKey(s, Stream.events)),
    extraGates: [],
    boycottRoundsLeft: 0,
    lastDecisions: null,
    pop: generatePopulation(c, s, listeners),
  };
}

/**
 * A copy of the state in everything a round changes (trust, status, data held, the round's
 * bookkeeping). What a round never writes is shared: premium tier, OS, attitude, consent answers,
 * noise, the traits, whose drift replaces an array instead of writing into it, and the last
 * decisions, which a round replaces with a fresh copy of its own.
 *
 * `copyListeners` false leaves the new trust, status and data-held arrays empty, for a round's
 * collection to fill as it reads them (startCollection's `before`).
 */
export function cloneState(state: SimState, copyListeners = true): SimState {
  const p = state.pop;
  return {
    ...state,
    rng: [...state.rng] as RngState,
    extraGates: state.extraGates.map((g) => ({ ...g })),
    pop: {
      count: p.count,
      premium: p.premium,
      os: p.os,
      attitude: p.attitude,
      agrees: p.agrees,
      traits: [...p.traits],
      noise: p.noise,
      trust: copyListeners ? copyOf(p.trust) : alloc(Float32Array, p.count),
      status: copyListeners ? copyOf(p.status) : alloc(Uint8Array, p.count),
      held: copyListeners ? copyOf(p.held) : alloc(Uint32Array, p.count),
    },
  };
}

/* ---- JSON form: typed arrays as base64 so a saved state continues bit for bit ---- */

export function stateToJSON(state: SimState): unknown {
  const p = state.pop;
  return {
    ...state,
    pop: {
      count: p.count,
      premium: bytesToBase64(p.premium),
      os: bytesToBase64(p.os),
      attitude: bytesToBase64(p.attitude),
      agrees: bytesToBase64(p.agrees),
      traits: p.traits.map(bytesToBase64),
      noise: p.noise.map(bytesToBase64),
      trust: bytesToBase64(p.trust),
      status: bytesToBase64(p.status),
      held: bytesToBase64(p.held),
    },
  };
}

interface StateJSON extends Omit<SimState, 'pop'> {
  pop: { count: number; premium: string; os: string; attitude: string; agrees: string; traits: string[]; noise: string[]; trust: string; status: string; held: string };
}

export function stateFromJSON(json: unknown): SimState {
  const j = json as StateJSON;
  if (j?.format !== STATE_FORMAT) throw new Error(`Unsupported simulation state format ${String(j?.format)}.`);
  const p = j.pop;
  const bytes = base64ToBytes;
  return {
    ...j,
    pop: {
      count: p.count,
      premium: bytes(p.premium),
      os: bytes(p.os),
      attitude: bytes(p.attitude),
      agrees: bytes(p.agrees),
      traits: p.traits.map(bytes),
      noise: p.noise.map((x) => new Uint16Array(bytes(x).buffer)),
      trust: new Float32Array(bytes(p.trust).buffer),
      status: bytes(p.status),
      held: new Uint32Array(bytes(p.held).buffer),
    },
  };
}
