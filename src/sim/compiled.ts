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

/**
 * Relevance terms and harm rules of all campaigns, flattened: campaign c's terms are indices
 * termStart[c] … termStart[c + 1] − 1 (likewise harms).
 */
export interface CampaignTables {
  base: Float64Array;
  termStart: Int32Array;
  termTrait: Int32Array;
  termMask: Int32Array;
  termAdd: Float64Array;
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

function campaignTables(c: CompiledScenario, campaigns: Campaign[]): CampaignTables {
  const terms = flatten(campaigns.map((x) => x.relevance.terms.map((t) => ({ ...conditionMask(c, t), add: t.add }))));
  const harms = flatten(campaigns.map((x) => x.harms.map((h) => ({ ...conditionMask(c, h), tag: h.tag, targetedOnly: h.targetedOnly }))));
  return {
    base: Float64Array.from(campaigns, (x) => x.relevance.base),
    termStart: terms.start,
    termTrait: Int32Array.from(terms.items, (x) => x.trait),
    termMask: Int32Array.from(terms.items, (x) => x.mask),
    termAdd: Float64Array.from(terms.items, (x) => x.add),
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
 * Relevance of campaign `camp` for listener i, from true values or from observed ones. A missing
 * observation (255) never matches: `1 << 255` is bit 31, and values only use bits 0–30.
 */
export function relevanceOf(t: CampaignTables, camp: number, values: Uint8Array[], i: number): number {
  let r = t.base[camp]!;
  for (let q = t.termStart[camp]!, end = t.termStart[camp + 1]!; q < end; q++)
    if ((t.termMask[q]! & (1 << values[t.termTrait[q]!]![i]!)) !== 0) r += t.termAdd[q]!;
  return r < 0 ? 0 : r > 1 ? 1 : r;
}
