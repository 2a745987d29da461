/**
 * A scenario turned into index tables for the hot loops: ids become small integers, trait
 * conditions become bit masks, distributions become cumulative arrays. Compiled once per scenario
 * object and cached.
 */
import type { Campaign, HarmTag, Scenario, TraitCondition } from './scenario';

export const MISSING = 255;
export const MAX_SEGMENTS = 32;

export interface CompiledCondition {
  trait: number;
  /** Bit v set when value index v satisfies the condition. */
  mask: number;
}

/** Most relevance terms a campaign may have: its relevance is tabled by which terms match. */
export const MAX_RELEVANCE_TERMS = 16;

/**
 * Relevance and harm rules of all campaigns, flattened: campaign c's entries are indices
 * start[c] … start[c + 1] − 1 of each list.
 *
 * Relevance is base + the adds of the matching terms (in term order), clamped to [0, 1]; it
 * depends only on which terms match (the "pattern", bit q for term q), so it is tabled by pattern.
 * A listener's pattern is the OR, over the traits the terms read, of that trait's value's bits.
 */
export interface CampaignTables {
  relTraitStart: Int32Array;
  relTrait: Int32Array;
  /** relBits[x * 256 + v]: the pattern bits of the terms on trait relTrait[x] that value v meets (none for MISSING). */
  relBits: Int32Array;
  /** relevance[relStart[c] + pattern] */
  relStart: Int32Array;
  relevance: Float64Array;
  /**
   * What depends on a pattern's relevance alone, indexed as relevance: the chance of a click (before
   * trust) and of a conversion, the creepiness factor, and 1 when relevant enough to build trust.
   */
  clickOf: Float64Array;
  conversionOf: Float64Array;
  creepOf: Float64Array;
  relevant: Uint8Array;
  harmStart: Int32Array;
  harmTrait: Int32Array;
  harmMask: Int32Array;
  harmTargetedOnly: Uint8Array;
  harmTag: HarmTag[];
}

export interface CompiledScenario {
  scenario: Scenario;
  traitIndex: Map<string, number>;
  valueIndex: Map<string, number>[];
  traitCumulative: Float64Array[];
  traitSensitivity: Float64Array;
  traitChange: Float64Array;
  /** 1 where the value of that trait marks a minor. */
  minorValue: Uint8Array[];
  osIndex: Map<string, number>;
  osCumulative: Float64Array;
  promptOptIn: Float64Array;
  attitudeIndex: Map<string, number>;
  attitudeCumulative: Float64Array;
  creepFactor: Float64Array;
  signalIndex: Map<string, number>;
  signalSensitivity: Float64Array;
  signalCost: Float64Array;
  /** heldByte[b][v]: summed sensitivity of the signals whose bits are set in byte b (value v) of a data-held mask. */
  heldByte: Float64Array[];
  /** 1 when collecting the signal needs the listener's consent (consent or explicit-consent basis). */
  needsConsent: Uint8Array;
  /** 1 when a listener's opt-out of personalization stops the signal (all but contract data). */
  respectsOptOut: Uint8Array;
  /** gatedBase[s * osCount + o] = 1 when the OS gates the signal from the start. */
  gatedBase: Uint8Array;
  /** Per trait: the signals revealing it, most accurate first. */
  revealsByTrait: { signal: number; accuracy: number }[][];
  consentIndex: Map<string, number>;
  /** consentCoverage[d * attitudeCount + a] */
  consentCoverage: Float64Array;
  campaignIndex: Map<string, number>;
  campaigns: CampaignTables;
}

function cumulative(shares: number[]): Float64Array {
  const total = shares.reduce((a, b) => a + b, 0);
  const out = new Float64Array(shares.length);
  let acc = 0;
  for (let i = 0; i < shares.length; i++) {
    acc += shares[i]! / total;
    out[i] = acc;
  }
  out[shares.length - 1] = 1;
  return out;
}

function indexOf(ids: { id: string }[]): Map<string, number> {
  return new Map(ids.map((x, i) => [x.id, i]));
}

export function conditionMask(c: CompiledScenario, cond: TraitCondition): CompiledCondition {
  const trait = c.traitIndex.get(cond.trait)!;
  let mask = 0;
  for (const v of cond.in) mask |= 1 << c.valueIndex[trait]!.get(v)!;
  return { trait, mask };
}

function flatten<T>(groups: T[][]): { start: Int32Array; items: T[] } {
  const start = new Int32Array(groups.length + 1);
  groups.forEach((g, k) => (start[k + 1] = start[k]! + g.length));
  return { start, items: groups.flat() };
}

/** Relevance of every term pattern of a campaign, summed exactly as term by term. */
function relevanceByPattern(c: CompiledScenario, campaign: Campaign): { traits: number[]; bits: Int32Array; relevance: Float64Array } {
  const terms = campaign.relevance.terms.map((t) => ({ ...conditionMask(c, t), add: t.add }));
  if (terms.length > MAX_RELEVANCE_TERMS)
    throw new Error(`campaign "${campaign.id}" has ${terms.length} relevance terms; at most ${MAX_RELEVANCE_TERMS} are supported`);
  const traits = [...new Set(terms.map((t) => t.trait))];
  const bits = new Int32Array(traits.length * 256);
  terms.forEach((term, q) => {
    const x = traits.indexOf(term.trait);
    for (let v = 0; v < 31; v++) if ((term.mask & (1 << v)) !== 0) bits[x * 256 + v]! |= 1 << q;
  });
  const relevance = new Float64Array(1 << terms.length);
  for (let pattern = 0; pattern < relevance.length; pattern++) {
    let r = campaign.relevance.base;
    terms.forEach((term, q) => {
      if ((pattern & (1 << q)) !== 0) r += term.add;
    });
    relevance[pattern] = r < 0 ? 0 : r > 1 ? 1 : r;
  }
  return { traits, bits, relevance };
}

function campaignTables(c: CompiledScenario, campaigns: Campaign[]): CampaignTables {
  const rel = campaigns.map((x) => relevanceByPattern(c, x));
  const relTraits = flatten(rel.map((x) => x.traits));
  const relStart = new Int32Array(campaigns.length + 1);
  rel.forEach((x, k) => (relStart[k + 1] = relStart[k]! + x.relevance.length));
  const harms = flatten(campaigns.map((x) => x.harms.map((h) => ({ ...conditionMask(c, h), tag: h.tag, targetedOnly: h.targetedOnly }))));
  const relevance = Float64Array.from(rel.flatMap((x) => [...x.relevance]));
  const { market, response } = c.scenario;
  return {
    relTraitStart: relTraits.start,
    relTrait: Int32Array.from(relTraits.items),
    relBits: Int32Array.from(rel.flatMap((x) => [...x.bits])),
    relStart,
    relevance,
    clickOf: relevance.map((r) => market.clickBase * (1 + market.clickRelevanceGain * r)),
    conversionOf: relevance.map((r) => market.conversionBase + market.conversionRelevanceGain * r),
    creepOf: relevance.map((r) => response.creepRelevanceBase + (1 - response.creepRelevanceBase) * r),
    relevant: Uint8Array.from(relevance, (r) => (r >= response.relevantFrom ? 1 : 0)),
    harmStart: harms.start,
    harmTrait: Int32Array.from(harms.items, (x) => x.trait),
    harmMask: Int32Array.from(harms.items, (x) => x.mask),
    harmTargetedOnly: Uint8Array.from(harms.items, (x) => (x.targetedOnly ? 1 : 0)),
    harmTag: harms.items.map((x) => x.tag),
  };
}

const cache = new WeakMap<Scenario, CompiledScenario>();

export function compileScenario(scenario: Scenario): CompiledScenario {
  const hit = cache.get(scenario);
  if (hit) return hit;
  const { population: pop, signals } = scenario;
  const traits = pop.traits;
  const osCount = pop.os.length;
  const attitudeCount = pop.attitudes.length;
  const c: CompiledScenario = {
    scenario,
    traitIndex: indexOf(traits),
    valueIndex: traits.map((t) => indexOf(t.values)),
    traitCumulative: traits.map((t) => cumulative(t.values.map((v) => v.share))),
    traitSensitivity: Float64Array.from(traits.map((t) => t.sensitivity)),
    traitChange: Float64Array.from(traits.map((t) => t.changeEachRound)),
    minorValue: traits.map((t) => Uint8Array.from(t.values.map((v) => (v.minor ? 1 : 0)))),
    osIndex: indexOf(pop.os),
    osCumulative: cumulative(pop.os.map((o) => o.share)),
    promptOptIn: Float64Array.from(pop.os.map((o) => o.promptOptIn)),
    attitudeIndex: indexOf(pop.attitudes),
    attitudeCumulative: cumulative(pop.attitudes.map((a) => a.share)),
    creepFactor: Float64Array.from(pop.attitudes.map((a) => a.creepFactor)),
    signalIndex: indexOf(signals),
    signalSensitivity: Float64Array.from(signals.map((s) => s.sensitivity)),
    signalCost: Float64Array.from(signals.map((s) => s.costPerThousand)),
    heldByte: [0, 8, 16, 24].map((shift) =>
      Float64Array.from({ length: 256 }, (_, byte) => {
        let sum = 0;
        for (let b = 0; b < 8; b++) if ((byte & (1 << b)) !== 0) sum += signals[shift + b]?.sensitivity ?? 0;
        return sum;
      }),
    ),
    needsConsent: Uint8Array.from(signals.map((s) => (s.legalBasis === 'consent' || s.legalBasis === 'explicit-consent' ? 1 : 0))),
    respectsOptOut: Uint8Array.from(signals.map((s) => (s.legalBasis === 'contract' ? 0 : 1))),
    gatedBase: new Uint8Array(signals.length * osCount),
    revealsByTrait: traits.map(() => []),
    consentIndex: indexOf(scenario.consentDesigns),
    consentCoverage: new Float64Array(scenario.consentDesigns.length * attitudeCount),
    campaignIndex: indexOf(scenario.campaigns),
    campaigns: undefined as unknown as CampaignTables,
  };
  signals.forEach((s, si) => {
    for (const os of s.gatedOn) c.gatedBase[si * osCount + c.osIndex.get(os)!] = 1;
    for (const r of s.reveals) c.revealsByTrait[c.traitIndex.get(r.trait)!]!.push({ signal: si, accuracy: r.accuracy });
  });
  // Most accurate reading first; ties by signal order so the result never depends on sort stability.
  for (const list of c.revealsByTrait) list.sort((a, b) => b.accuracy - a.accuracy || a.signal - b.signal);
  scenario.consentDesigns.forEach((d, di) => {
    pop.attitudes.forEach((a, ai) => {
      c.consentCoverage[di * attitudeCount + ai] = d.coverage[a.id] ?? 0;
    });
  });
  c.campaigns = campaignTables(c, scenario.campaigns);
  cache.set(scenario, c);
  return c;
}

/**
 * Term patterns of campaign `camp` for the listeners of `list` (patterns[j] for listener list[j]),
 * from true values or from observed ones (MISSING meets no term): one pass per trait its terms read.
 */
export function patternsOf(t: CampaignTables, camp: number, list: Int32Array, values: Uint8Array[], patterns: Uint16Array): void {
  patterns.fill(0);
  for (let x = t.relTraitStart[camp]!, end = t.relTraitStart[camp + 1]!; x < end; x++) orPatternBits(list, values[t.relTrait[x]!]!, t.relBits, x << 8, patterns);
}

function orPatternBits(list: Int32Array, values: Uint8Array, bits: Int32Array, base: number, patterns: Uint16Array): void {
  for (let j = 0; j < list.length; j++) patterns[j] = patterns[j]! | bits[base | values[list[j]!]!]!;
}

/**
 * The listeners 0 … end − 1 whose value meets a condition (bit v of `mask` for value v): listener
 * i is bit i & 31 of word i >> 5.
 */
export function listenersMeeting(values: Uint8Array, mask: number, end: number): Uint32Array {
  const out = new Uint32Array((end + 31) >>> 5);
  for (let w = 0, i = 0; i < end; w++) {
    let word = 0;
    for (let b = 0, stop = Math.min(end, i + 32); i < stop; i++, b++) word |= ((mask >>> values[i]!) & 1) << b;
    out[w] = word;
  }
  return out;
}

/** Campaign `camp`'s relevance, indexed by term pattern. */
export function relevanceTable(t: CampaignTables, camp: number): Float64Array {
  return t.relevance.subarray(t.relStart[camp]!, t.relStart[camp + 1]!);
}
