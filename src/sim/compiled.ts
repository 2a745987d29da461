/**
 * A scenario turned into index tables for the hot loops: ids become small integers, trait
 * conditions become bit masks, distributions become cumulative arrays. Compiled once per scenario
 * object and cached.
 */
import type { Campaign, HarmTag, Scenario, TraitCondition } from './scenario';

export const MISSING = 255;
export const MAX_SIGNALS = 32;
export const MAX_SEGMENTS = 32;
export const MAX_TRAIT_VALUES = 31;

export interface CompiledCondition {
  trait: number;
  /** Bit v set when value index v satisfies the condition. */
  mask: number;
}

export interface CompiledCampaign {
  base: number;
  terms: { trait: number; mask: number; add: number }[];
  harms: { trait: number; mask: number; tag: HarmTag; targetedOnly: boolean; index: number }[];
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
  campaigns: CompiledCampaign[];
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

function compileCampaign(c: CompiledScenario, campaign: Campaign): CompiledCampaign {
  return {
    base: campaign.relevance.base,
    terms: campaign.relevance.terms.map((t) => ({ ...conditionMask(c, t), add: t.add })),
    harms: campaign.harms.map((h, index) => ({ ...conditionMask(c, h), tag: h.tag, targetedOnly: h.targetedOnly, index })),
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
    campaigns: [],
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
  c.campaigns = scenario.campaigns.map((campaign) => compileCampaign(c, campaign));
  cache.set(scenario, c);
  return c;
}

/** True relevance (or relevance estimated from observed values) of a campaign for listener i. */
export function relevanceOf(campaign: CompiledCampaign, values: Uint8Array[], i: number): number {
  let r = campaign.base;
  const terms = campaign.terms;
  for (let k = 0; k < terms.length; k++) {
    const term = terms[k]!;
    const v = values[term.trait]![i]!;
    if (v !== MISSING && (term.mask & (1 << v)) !== 0) r += term.add;
  }
  return r < 0 ? 0 : r > 1 ? 1 : r;
}
