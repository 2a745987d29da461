/**
 * Serving ads and the listener's response: the hot loop of a round. Everything it needs is
 * flattened into typed arrays first, so the loop reads numbers only.
 */
import { MISSING, relevanceOf, type CompiledScenario } from './compiled';
import type { ResolvedDecisions } from './decisions';
import type { Workspace } from './observe';
import { binomial, hash3, streamKey } from './random';
import type { HarmTag } from './scenario';
import { CHURNED, Stream, type SimState } from './state';

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

/** Totals of a serve pass (per assignment, per harm rule, per signal). */
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
}

/** The decisions and scenario flattened for the loop. */
interface Plan {
  aCampaign: Int32Array;
  aSegment: Int32Array;
  aCap: Int32Array;
  budgetLeft: Float64Array;
  /** Traits read by segment k: segTraitStart[k] … segTraitStart[k + 1]. */
  segTraitStart: Int32Array;
  segTrait: Int32Array;
  /** max(trait sensitivity, signal sensitivity) for trait t read by signal s: effSens[t * 32 + s]. */
  effSens: Float64Array;
  covertOf: Float64Array;
  /** Trust lost per round by a listener covered by signal s (sensitive data under a costly design). */
  trustCostOf: Float64Array;
  costly: Int32Array;
}

function makePlan(c: CompiledScenario, d: ResolvedDecisions): Plan {
  const sc = c.scenario;
  const segTraitStart = new Int32Array(d.segments.length + 1);
  d.segments.forEach((seg, k) => (segTraitStart[k + 1] = segTraitStart[k]! + seg.traits.length));
  const traitCount = sc.population.traits.length;
  const effSens = new Float64Array(traitCount * 32);
  for (let t = 0; t < traitCount; t++)
    for (let s = 0; s < sc.signals.length; s++) effSens[t * 32 + s] = Math.max(c.traitSensitivity[t]!, c.signalSensitivity[s]!);
  const signalCount = sc.signals.length;
  const covertOf = new Float64Array(signalCount);
  const trustCostOf = new Float64Array(signalCount);
  for (let s = 0; s < signalCount; s++) {
    const design = sc.consentDesigns[d.consentOf[s]!]!;
    covertOf[s] = design.covertness;
    const sens = c.signalSensitivity[s]!;
    if (c.needsConsent[s] === 1 && sens >= sc.response.sensitiveFrom) trustCostOf[s] = design.trustCostPerSensitivity * sens;
  }
  return {
    aCampaign: Int32Array.from(d.assignments, (a) => a.campaign),
    aSegment: Int32Array.from(d.assignments, (a) => a.segment),
    aCap: Int32Array.from(d.assignments, (a) => a.cap),
    budgetLeft: Float64Array.from(d.assignments, (a) => a.budget),
    segTraitStart,
    segTrait: Int32Array.from(d.segments.flatMap((seg) => seg.traits)),
    effSens,
    covertOf,
    trustCostOf,
    costly: Int32Array.from(d.signals.filter((s) => trustCostOf[s]! > 0)),
  };
}

/**
 * Serves every listener in order (budgets are spent first come, first served; listener order is
 * random by construction), applies the trust changes, and returns the totals. The ads of the
 * listeners in `traced` (ascending indices) are written to `trace`, keyed by listener.
 */
export function serveAds(c: CompiledScenario, state: SimState, d: ResolvedDecisions, ws: Workspace, traced: number[], trace: Map<number, ServedAd[]>): ServeTotals {
  const plan = makePlan(c, d);
  const n = state.pop.count;
  const totals: ServeTotals = {
    impressions: new Float64Array(d.assignments.length),
    reach: new Float64Array(d.assignments.length),
    clicks: new Float64Array(d.assignments.length),
    conversions: new Float64Array(d.assignments.length),
    creepy: new Float64Array(d.assignments.length),
    relevanceSum: new Float64Array(d.assignments.length),
    harmCounts: d.assignments.map((a) => new Float64Array(c.scenario.campaigns[a.campaign]!.harms.length)),
    reachable: 0,
    reached: 0,
    runOfNetwork: 0,
    creepComplaints: 0,
    harmedListeners: 0,
  };
  const key = streamKey(state.seed, Stream.serve, state.round);
  const harmCount = c.campaigns.harmTrait.length;
  const flatHarms = new Float64Array(harmCount * d.assignments.length);
  // Untraced stretches run the fast path; each traced listener is served on its own, in order.
  let from = 0;
  for (const i of traced) {
    if (i < from || i >= n) continue;
    serveRange(c, state, ws, plan, key, from, i, totals, flatHarms, null);
    const ads: ServedAd[] = [];
    serveRange(c, state, ws, plan, key, i, i + 1, totals, flatHarms, ads);
    trace.set(i, ads);
    from = i + 1;
  }
  serveRange(c, state, ws, plan, key, from, n, totals, flatHarms, null);
  d.assignments.forEach((asg, a) => {
    const first = c.campaigns.harmStart[asg.campaign]!;
    const counts = totals.harmCounts[a]!;
    for (let x = 0; x < counts.length; x++) counts[x] = flatHarms[a * harmCount + first + x]!;
  });
  return totals;
}

function serveRange(
  c: CompiledScenario,
  state: SimState,
  ws: Workspace,
  p: Plan,
  key: number,
  from: number,
  to: number,
  totals: ServeTotals,
  harmHits: Float64Array,
  trace: ServedAd[] | null,
): void {
  const { market, response } = c.scenario;
  const pop = state.pop;
  const { status, premium, attitude, trust, traits } = pop;
  const coverage = ws.coverage;
  const membership = ws.membership;
  const observer = ws.observer;
  const creepFactor = c.creepFactor;
  const tables = c.campaigns;
  const aCount = p.aCampaign.length;
  const harmCount = tables.harmTrait.length;
  const slotsPerListener = market.adSlotsPerListener;
  const creepScale = response.creepScale;
  const creepBase = response.creepRelevanceBase;
  const clickBase = market.clickBase;
  const clickGain = market.clickRelevanceGain;
  const clickOffset = market.clickTrustOffset;
  const clickCreepy = market.clickCreepyFactor;
  const convBase = market.conversionBase;
  const convGain = market.conversionRelevanceGain;
  const relevantFrom = response.relevantFrom;
  const perCreepy = response.trustPerCreepy;
  const perRelevant = response.trustPerRelevant;
  const gainCap = response.trustGainCapPerRound;
  const { costly, trustCostOf, budgetLeft, aSegment, aCap, aCampaign, segTraitStart, segTrait, effSens, covertOf } = p;
  const { impressions, reach, clicks: clickTotals, conversions: conversionTotals, creepy: creepyTotals, relevanceSum } = totals;
  const { harmStart, harmTrait, harmMask, harmTargetedOnly, harmTag } = tables;
  let reachable = 0;
  let reached = 0;
  let ron = 0;
  let complaints = 0;
  let harmedListeners = 0;
  for (let i = from; i < to; i++) {
    const st = status[i]!;
    if ((st & CHURNED) !== 0) continue;
    let trustDelta = 0;
    if (costly.length > 0) {
      const covered = coverage[i]!;
      for (let k = 0; k < costly.length; k++) if ((covered & (1 << costly[k]!)) !== 0) trustDelta -= trustCostOf[costly[k]!]!;
    }
    if (premium[i] === 0) {
      reachable++;
      const clickTrust = clickOffset + trust[i]! / 100;
      const creepAttitude = creepScale * creepFactor[attitude[i]!]!;
      const member = membership[i]!;
      let slots = slotsPerListener;
      let creepyTotal = 0;
      let relevantCalm = 0;
      let wasReached = false;
      let harmed = false;
      for (let a = 0; a < aCount && slots > 0; a++) {
        const left = budgetLeft[a]!;
        if (left <= 0) continue;
        const seg = aSegment[a]!;
        if (seg >= 0 && (member & (1 << seg)) === 0) continue;
        let k = aCap[a]!;
        if (k > slots) k = slots;
        if (k > left) k = left;
        const camp = aCampaign[a]!;
        const r = relevanceOf(tables, camp, traits, i);
        // Creepiness comes from targeting on inferences: the most sensitive reading behind the segment.
        let pCreep = 0;
        if (seg >= 0) {
          let sens = 0;
          let covert = 0;
          for (let q = segTraitStart[seg]!, qEnd = segTraitStart[seg + 1]!; q < qEnd; q++) {
            const t = segTrait[q]!;
            const by = observer[t]![i]!;
            if (by === MISSING) continue;
            const e = effSens[t * 32 + by]!;
            if (e > sens) sens = e;
            if (covertOf[by]! > covert) covert = covertOf[by]!;
          }
          pCreep = creepAttitude * (sens / 3) * covert * (creepBase + (1 - creepBase) * r);
          if (pCreep > 1) pCreep = 1;
        }
        // Each hash gives two draws (16 bits each is ample for these probabilities); the second
        // is only needed once something happened.
        const h1 = hash3(key, i, a * 2);
        const creepy = pCreep > 0 ? binomial(k, pCreep, (h1 >>> 16) / 65536) : 0;
        const pClick = clickBase * (1 + clickGain * r) * clickTrust;
        let clicks = binomial(k - creepy, pClick, (h1 & 0xffff) / 65536);
        let conversions = 0;
        if (creepy + clicks > 0) {
          const h2 = hash3(key, i, a * 2 + 1);
          if (creepy > 0) clicks += binomial(creepy, pClick * clickCreepy, (h2 >>> 16) / 65536);
          if (clicks > 0) conversions = binomial(clicks, convBase + convGain * r, (h2 & 0xffff) / 65536);
        }
        impressions[a]! += k;
        reach[a]! += 1;
        clickTotals[a]! += clicks;
        conversionTotals[a]! += conversions;
        creepyTotals[a]! += creepy;
        relevanceSum[a]! += k * r;
        budgetLeft[a] = left - k;
        slots -= k;
        wasReached = true;
        creepyTotal += creepy;
        if (r >= relevantFrom) relevantCalm += k - creepy;
        let tags: HarmTag[] | null = null;
        for (let x = harmStart[camp]!, xEnd = harmStart[camp + 1]!; x < xEnd; x++) {
          if (harmTargetedOnly[x] === 1 && seg < 0) continue;
          if ((harmMask[x]! & (1 << traits[harmTrait[x]!]![i]!)) === 0) continue;
          harmHits[a * harmCount + x]! += 1;
          harmed = true;
          if (trace !== null) (tags ??= []).push(harmTag[x]!);
        }
        if (trace !== null) trace.push({ assignment: a, impressions: k, relevance: r, creepy, clicks, conversions, harms: tags ?? [] });
      }
      ron += slots;
      if (wasReached) reached++;
      if (creepyTotal > 0) complaints++;
      if (harmed) harmedListeners++;
      let gain = perRelevant * relevantCalm;
      if (gain > gainCap) gain = gainCap;
      trustDelta += perCreepy * creepyTotal + gain;
    }
    if (trustDelta !== 0) {
      const t = trust[i]! + trustDelta;
      trust[i] = t < 0 ? 0 : t > 100 ? 100 : t;
    }
  }
  totals.reachable += reachable;
  totals.reached += reached;
  totals.runOfNetwork += ron;
  totals.creepComplaints += complaints;
  totals.harmedListeners += harmedListeners;
}
