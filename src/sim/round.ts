/**
 * One round of the listener market: drift → collect & observe → segment → serve ads and
 * respond → trust, opt-outs, churn → report cards → events → score. A pure function of
 * (scenario, state, decisions): the input state is never changed.
 */
import { compileScenario, MISSING, relevanceOf, type CompiledScenario } from './compiled';
import { resolveDecisions, type ResolvedDecisions } from './decisions';
import { runEvents, type EventMetrics, type EventOutcome } from './events';
import { computeMembership, driftTraits, observe, workspaceFor, type Workspace } from './observe';
import { binomial, hashUniform, streamKey } from './random';
import { segmentReportCards, type SegmentReportCard } from './reportCard';
import type { ComplianceFlag, DecisionArea, HarmTag, PlainDecisions, Scenario } from './scenario';
import { scoreRound, type ScoreBreakdown } from './score';
import { CHURNED, cloneState, OPTED_OUT, Stream, type SimState } from './state';

export interface AssignmentResult {
  campaign: string;
  segment: string;
  budget: number;
  cap: number;
  impressions: number;
  reach: number;
  clicks: number;
  conversions: number;
  creepyExposures: number;
  /** Mean true relevance of the audience that saw the ad (what advertisers pay a premium for). */
  meanRelevance: number;
  revenue: number;
}

export interface HarmEntry {
  campaign: string;
  tag: HarmTag;
  /** The trait and values that made the exposure harmful. */
  trait: string;
  values: string[];
  listeners: number;
}

export interface RoundResult {
  round: number;
  roundId: string;
  decisions: PlainDecisions;
  /** Areas the input set although the round keeps them closed (ignored). */
  ignored: DecisionArea[];
  listeners: {
    active: number;
    reachable: number;
    premium: number;
    optedOut: number;
    churned: number;
    churnedPremium: number;
    churnedFree: number;
    optedOutThisRound: number;
  };
  coverage: { signal: string; covered: number }[];
  observed: { trait: string; observed: number; correct: number; byValue: Record<string, number> }[];
  impressions: number;
  campaignImpressions: number;
  runOfNetworkImpressions: number;
  reach: number;
  clicks: number;
  ctr: number;
  conversions: number;
  campaignRevenue: number;
  runOfNetworkRevenue: number;
  adRevenue: number;
  dataCost: number;
  churnLoss: number;
  fines: number;
  breachCost: number;
  profit: number;
  trustBefore: number;
  trustIndex: number;
  creepyExposures: number;
  creepComplaints: number;
  optOutRate: number;
  assignments: AssignmentResult[];
  segments: SegmentReportCard[];
  harms: HarmEntry[];
  harmedListeners: number;
  flags: ComplianceFlag[];
  events: EventOutcome[];
  metrics: EventMetrics;
  quizCorrect: number;
  score: ScoreBreakdown;
}

/** One listener's round, for the "swap seats" persona view. */
export interface ListenerTrace {
  index: number;
  premium: boolean;
  os: string;
  attitude: string;
  truth: Record<string, string>;
  inferred: { trait: string; value: string; signal: string; confidence: number; correct: boolean }[];
  covered: string[];
  segments: string[];
  ads: {
    campaign: string;
    segment: string;
    impressions: number;
    relevance: number;
    creepy: number;
    clicks: number;
    conversions: number;
    harms: HarmTag[];
  }[];
  trustBefore: number;
  trustAfter: number;
  optedOut: boolean;
  churned: boolean;
}

export interface PlayOptions {
  /** Record this listener's round in detail. */
  trace?: number;
}

function meanTrust(state: SimState): number {
  const { trust, status, count } = state.pop;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < count; i++) {
    if ((status[i]! & CHURNED) !== 0) continue;
    sum += trust[i]!;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

function confidenceOf(c: CompiledScenario, trait: number, signal: number): number {
  return c.revealsByTrait[trait]!.find((r) => r.signal === signal)?.accuracy ?? 0;
}

function traceListener(c: CompiledScenario, state: SimState, d: ResolvedDecisions, ws: Workspace, i: number): ListenerTrace {
  const sc = c.scenario;
  const pop = state.pop;
  const traits = sc.population.traits;
  return {
    index: i,
    premium: pop.premium[i] === 1,
    os: sc.population.os[pop.os[i]!]!.id,
    attitude: sc.population.attitudes[pop.attitude[i]!]!.id,
    truth: Object.fromEntries(traits.map((t, k) => [t.id, t.values[pop.traits[k]![i]!]!.id])),
    inferred: traits.flatMap((t, k) => {
      const v = ws.observed[k]![i]!;
      if (v === MISSING) return [];
      const by = ws.observer[k]![i]!;
      return [{ trait: t.id, value: t.values[v]!.id, signal: sc.signals[by]!.id, confidence: confidenceOf(c, k, by), correct: v === pop.traits[k]![i] }];
    }),
    covered: sc.signals.filter((_, s) => (ws.coverage[i]! & (1 << s)) !== 0).map((s) => s.id),
    segments: d.segments.filter((_, k) => (ws.membership[i]! & (1 << k)) !== 0).map((s) => s.id),
    ads: [],
    trustBefore: pop.trust[i]!,
    trustAfter: pop.trust[i]!,
    optedOut: (pop.status[i]! & OPTED_OUT) !== 0,
    churned: (pop.status[i]! & CHURNED) !== 0,
  };
}

export function playRound(
  scenario: Scenario,
  input: SimState,
  given: Partial<PlainDecisions>,
  options: PlayOptions = {},
): { state: SimState; result: RoundResult; trace?: ListenerTrace } {
  const c = compileScenario(scenario);
  const roundIndex = input.round;
  const d = resolveDecisions(scenario, roundIndex, given, input.lastDecisions, input.listeners);
  const state = cloneState(input);
  const pop = state.pop;
  const n = pop.count;
  const { market, response } = scenario;
  const signalCount = scenario.signals.length;

  if (roundIndex > 0) driftTraits(c, state);
  const trustBefore = meanTrust(state);
  const ws = workspaceFor(n, pop.traits.length);
  observe(c, state, d, ws);
  computeMembership(state, d, ws);
  const traceIndex = options.trace ?? -1;
  const trace = traceIndex >= 0 && traceIndex < n ? traceListener(c, state, d, ws, traceIndex) : undefined;

  /* ---- per-signal and per-segment tables for the hot loop ---- */
  const designs = scenario.consentDesigns;
  const covertOf = new Float64Array(signalCount);
  const trustCostOf = new Float64Array(signalCount);
  for (let s = 0; s < signalCount; s++) {
    const design = designs[d.consentOf[s]!]!;
    covertOf[s] = design.covertness;
    const sens = c.signalSensitivity[s]!;
    if (c.needsConsent[s] === 1 && sens >= response.sensitiveFrom) trustCostOf[s] = design.trustCostPerSensitivity * sens;
  }
  const assignments = d.assignments;
  const aCount = assignments.length;
  const aImpressions = new Float64Array(aCount);
  const aReach = new Float64Array(aCount);
  const aClicks = new Float64Array(aCount);
  const aConversions = new Float64Array(aCount);
  const aCreepy = new Float64Array(aCount);
  const aRelevanceSum = new Float64Array(aCount);
  const budgetLeft = Float64Array.from(assignments, (a) => a.budget);
  const harmCounts = assignments.map((a) => new Float64Array(c.campaigns[a.campaign]!.harms.length));
  const segTraits = d.segments.map((s) => s.traits);
  const slotsPerListener = market.adSlotsPerListener;
  const kServe = streamKey(state.seed, Stream.serve, roundIndex);
  const kAfter = streamKey(state.seed, Stream.aftermath, roundIndex);
  const coveredCount = new Float64Array(signalCount);
  const heldCount = new Float64Array(signalCount);

  let reachable = 0;
  let reach = 0;
  let ronImpressions = 0;
  let creepComplaints = 0;
  let harmedListeners = 0;
  const collected = d.signals;

  /* ---- serve ads and respond ---- */
  for (let i = 0; i < n; i++) {
    const st = pop.status[i]!;
    if ((st & CHURNED) !== 0) continue;
    const covered = ws.coverage[i]!;
    for (let k = 0; k < collected.length; k++) if ((covered & (1 << collected[k]!)) !== 0) coveredCount[collected[k]!]! += 1;
    const h = pop.held[i]!;
    if (h !== 0) for (let s = 0; s < signalCount; s++) if ((h & (1 << s)) !== 0) heldCount[s]! += 1;

    let trustDelta = 0;
    for (let k = 0; k < collected.length; k++) if ((covered & (1 << collected[k]!)) !== 0) trustDelta -= trustCostOf[collected[k]!]!;

    if (pop.premium[i] === 0) {
      reachable++;
      const trustNow = pop.trust[i]!;
      const clickTrust = market.clickTrustOffset + trustNow / 100;
      const creepAttitude = response.creepScale * c.creepFactor[pop.attitude[i]!]!;
      const member = ws.membership[i]!;
      let slots = slotsPerListener;
      let creepyTotal = 0;
      let relevantCalm = 0;
      let reached = false;
      let harmed = false;
      for (let a = 0; a < aCount && slots > 0; a++) {
        const left = budgetLeft[a]!;
        if (left <= 0) continue;
        const asg = assignments[a]!;
        const seg = asg.segment;
        if (seg >= 0 && (member & (1 << seg)) === 0) continue;
        let k = asg.cap;
        if (k > slots) k = slots;
        if (k > left) k = left;
        const campaign = c.campaigns[asg.campaign]!;
        const r = relevanceOf(campaign, pop.traits, i);
        // Creepiness comes from targeting on inferences: the most sensitive reading behind the segment.
        let pCreep = 0;
        if (seg >= 0) {
          let sens = 0;
          let covert = 0;
          const ts = segTraits[seg]!;
          for (let q = 0; q < ts.length; q++) {
            const t = ts[q]!;
            const by = ws.observer[t]![i]!;
            if (by === MISSING) continue;
            const ss = c.signalSensitivity[by]!;
            const traitSens = c.traitSensitivity[t]!;
            const eff = ss > traitSens ? ss : traitSens;
            if (eff > sens) sens = eff;
            if (covertOf[by]! > covert) covert = covertOf[by]!;
          }
          pCreep = creepAttitude * (sens / 3) * covert * (response.creepRelevanceBase + (1 - response.creepRelevanceBase) * r);
          if (pCreep > 1) pCreep = 1;
        }
        const base = a * 4;
        const creepy = pCreep > 0 ? binomial(k, pCreep, hashUniform(kServe, i, base)) : 0;
        const pClick = market.clickBase * (1 + market.clickRelevanceGain * r) * clickTrust;
        const clicks =
          binomial(k - creepy, pClick, hashUniform(kServe, i, base + 1)) +
          (creepy > 0 ? binomial(creepy, pClick * market.clickCreepyFactor, hashUniform(kServe, i, base + 2)) : 0);
        const conversions =
          clicks > 0 ? binomial(clicks, market.conversionBase + market.conversionRelevanceGain * r, hashUniform(kServe, i, base + 3)) : 0;
        aImpressions[a]! += k;
        aReach[a]! += 1;
        aClicks[a]! += clicks;
        aConversions[a]! += conversions;
        aCreepy[a]! += creepy;
        aRelevanceSum[a]! += k * r;
        budgetLeft[a] = left - k;
        slots -= k;
        reached = true;
        creepyTotal += creepy;
        if (r >= response.relevantFrom) relevantCalm += k - creepy;
        const harms = campaign.harms;
        let tags: HarmTag[] | undefined;
        for (let x = 0; x < harms.length; x++) {
          const rule = harms[x]!;
          if (rule.targetedOnly && seg < 0) continue;
          if ((rule.mask & (1 << pop.traits[rule.trait]![i]!)) === 0) continue;
          harmCounts[a]![x]! += 1;
          harmed = true;
          if (i === traceIndex) (tags ??= []).push(rule.tag);
        }
        if (i === traceIndex)
          trace!.ads.push({
            campaign: scenario.campaigns[asg.campaign]!.id,
            segment: seg >= 0 ? d.segments[seg]!.id : 'everyone',
            impressions: k,
            relevance: r,
            creepy,
            clicks,
            conversions,
            harms: tags ?? [],
          });
      }
      ronImpressions += slots;
      if (reached) reach++;
      if (creepyTotal > 0) creepComplaints++;
      if (harmed) harmedListeners++;
      let gain = response.trustPerRelevant * relevantCalm;
      if (gain > response.trustGainCapPerRound) gain = response.trustGainCapPerRound;
      trustDelta += response.trustPerCreepy * creepyTotal + gain;
    }
    let t = pop.trust[i]! + trustDelta;
    t = t < 0 ? 0 : t > 100 ? 100 : t;
    pop.trust[i] = t;
  }

  /* ---- opt-outs and churn ---- */
  let optedOutThisRound = 0;
  let churnedPremium = 0;
  let churnedFree = 0;
  for (let i = 0; i < n; i++) {
    const st = pop.status[i]!;
    if ((st & CHURNED) !== 0) continue;
    const t = pop.trust[i]!;
    if ((st & OPTED_OUT) === 0 && t < response.optOutBelow && hashUniform(kAfter, i, 0) < (response.optOutBelow - t) / response.optOutScale) {
      pop.status[i] = st | OPTED_OUT;
      optedOutThisRound++;
    }
    if (t < response.churnBelow && hashUniform(kAfter, i, 1) < (response.churnBelow - t) / response.churnScale) {
      pop.status[i] = pop.status[i]! | CHURNED;
      if (pop.premium[i] === 1) churnedPremium++;
      else churnedFree++;
    }
  }

  /* ---- money ---- */
  const cpmFactor = state.boycottRoundsLeft > 0 ? scenario.events.boycottCpmFactor : 1;
  if (state.boycottRoundsLeft > 0) state.boycottRoundsLeft--;
  const assignmentResults: AssignmentResult[] = assignments.map((asg, a) => {
    const campaign = scenario.campaigns[asg.campaign]!;
    const imps = aImpressions[a]!;
    const meanRelevance = imps > 0 ? aRelevanceSum[a]! / imps : 0;
    const revenue = ((imps * campaign.cpm * cpmFactor) / 1000) * (1 + market.precisionPremium * meanRelevance) + aConversions[a]! * campaign.feePerConversion;
    return {
      campaign: campaign.id,
      segment: asg.segment >= 0 ? d.segments[asg.segment]!.id : 'everyone',
      budget: asg.budget,
      cap: asg.cap,
      impressions: imps,
      reach: aReach[a]!,
      clicks: aClicks[a]!,
      conversions: aConversions[a]!,
      creepyExposures: aCreepy[a]!,
      meanRelevance,
      revenue,
    };
  });
  const sum = (f: (x: AssignmentResult) => number) => assignmentResults.reduce((acc, x) => acc + f(x), 0);
  const campaignImpressions = sum((x) => x.impressions);
  const campaignRevenue = sum((x) => x.revenue);
  const runOfNetworkRevenue = (ronImpressions * market.runOfNetworkCpm * cpmFactor) / 1000;
  const adRevenue = campaignRevenue + runOfNetworkRevenue;
  let dataCost = 0;
  for (let s = 0; s < signalCount; s++) dataCost += (coveredCount[s]! * c.signalCost[s]!) / 1000;
  const freeValue = reachable > 0 ? (adRevenue / reachable) * market.freeChurnRounds : 0;
  const churnLoss = churnedPremium * market.premiumChurnCost + churnedFree * freeValue;

  /* ---- harms and compliance ---- */
  const harms: HarmEntry[] = [];
  assignments.forEach((asg, a) => {
    const campaign = scenario.campaigns[asg.campaign]!;
    campaign.harms.forEach((rule, x) => {
      const listeners = harmCounts[a]![x]!;
      if (listeners === 0) return;
      const existing = harms.find((e) => e.campaign === campaign.id && e.tag === rule.tag && e.trait === rule.trait);
      if (existing) existing.listeners += listeners;
      else harms.push({ campaign: campaign.id, tag: rule.tag, trait: rule.trait, values: [...rule.in], listeners });
    });
  });
  const flags = complianceFlags(c, d, harms);
  const sensitiveFrom = response.sensitiveFrom;
  let invalidSens = 0;
  let validSens = 0;
  for (const s of collected) {
    const sens = c.signalSensitivity[s]!;
    if (c.needsConsent[s] === 0 || sens < sensitiveFrom) continue;
    if (designs[d.consentOf[s]!]!.validConsent) validSens += sens;
    else invalidSens += sens;
  }
  let heldSensitivity = 0;
  for (let s = 0; s < signalCount; s++) heldSensitivity += (c.signalSensitivity[s]! * heldCount[s]!) / n;
  const metrics: EventMetrics = {
    invalidConsentSensitivity: invalidSens,
    validConsentSensitivity: validSens,
    heldSensitivity,
    harmedShare: reachable > 0 ? harmedListeners / reachable : 0,
    creepyShare: reachable > 0 ? creepComplaints / reachable : 0,
    minorsAgeRestricted: flags.includes('minorsAgeRestricted') ? 1 : 0,
    sensitiveUnderInvalidConsent: flags.includes('sensitiveUnderInvalidConsent') ? 1 : 0,
    signalsCollected: collected.length,
  };

  /* ---- report cards (against the truth, before events change anything) ---- */
  const segments = segmentReportCards(c, state, d, ws, 'truth');

  /* ---- events ---- */
  const events = runEvents(c, state, roundIndex, metrics, adRevenue);
  let fines = 0;
  let breachCost = 0;
  for (const e of events) {
    if (e.type === 'regulatorFine') fines += e.cost;
    else breachCost += e.cost;
  }
  const profit = adRevenue - dataCost - churnLoss - fines - breachCost;

  /* ---- listeners after the round ---- */
  let active = 0;
  let optedOut = 0;
  let premiumActive = 0;
  let churned = 0;
  for (let i = 0; i < n; i++) {
    const st = pop.status[i]!;
    if ((st & CHURNED) !== 0) {
      churned++;
      continue;
    }
    active++;
    if ((st & OPTED_OUT) !== 0) optedOut++;
    if (pop.premium[i] === 1) premiumActive++;
  }
  const trustIndex = meanTrust(state);
  if (trace) {
    trace.trustAfter = pop.trust[traceIndex]!;
    trace.optedOut = (pop.status[traceIndex]! & OPTED_OUT) !== 0;
    trace.churned = (pop.status[traceIndex]! & CHURNED) !== 0;
  }

  const roundSpec = scenario.rounds[roundIndex]!;
  const quizCorrect = d.plain.quiz.reduce((acc, answer, q) => acc + (answer === roundSpec.quizKey[q] ? 1 : 0), 0);
  const targeted = new Set(assignments.filter((a) => a.segment >= 0).map((a) => a.segment));
  const score = scoreRound(scenario, {
    profit,
    listeners: state.listeners,
    trustIndex,
    flags,
    harmedShare: metrics.harmedShare,
    segmentScores: segments.filter((_, k) => targeted.has(k)).map((s) => s.score),
    quizCorrect,
    quizTotal: roundSpec.quizKey.length,
  });

  const clicks = sum((x) => x.clicks);
  const result: RoundResult = {
    round: roundIndex,
    roundId: roundSpec.id,
    decisions: d.plain,
    ignored: d.ignored,
    listeners: {
      active,
      reachable,
      premium: premiumActive,
      optedOut,
      churned,
      churnedPremium,
      churnedFree,
      optedOutThisRound,
    },
    coverage: collected.map((s) => ({ signal: scenario.signals[s]!.id, covered: coveredCount[s]! })),
    observed: observedSummary(c, state, ws),
    impressions: campaignImpressions + ronImpressions,
    campaignImpressions,
    runOfNetworkImpressions: ronImpressions,
    reach,
    clicks,
    ctr: campaignImpressions > 0 ? clicks / campaignImpressions : 0,
    conversions: sum((x) => x.conversions),
    campaignRevenue,
    runOfNetworkRevenue,
    adRevenue,
    dataCost,
    churnLoss,
    fines,
    breachCost,
    profit,
    trustBefore,
    trustIndex,
    creepyExposures: sum((x) => x.creepyExposures),
    creepComplaints,
    optOutRate: active > 0 ? optedOut / active : 0,
    assignments: assignmentResults,
    segments,
    harms,
    harmedListeners,
    flags,
    events,
    metrics,
    quizCorrect,
    score,
  };
  state.round = roundIndex + 1;
  state.lastDecisions = d.plain;
  return trace ? { state, result, trace } : { state, result };
}

function observedSummary(c: CompiledScenario, state: SimState, ws: Workspace): RoundResult['observed'] {
  const traits = c.scenario.population.traits;
  return traits.map((trait, t) => {
    const obs = ws.observed[t]!;
    const truth = state.pop.traits[t]!;
    const byValue = new Float64Array(trait.values.length);
    let observed = 0;
    let correct = 0;
    for (let i = 0; i < ws.count; i++) {
      const v = obs[i]!;
      if (v === MISSING) continue;
      observed++;
      byValue[v]! += 1;
      if (v === truth[i]) correct++;
    }
    return { trait: trait.id, observed, correct, byValue: Object.fromEntries(trait.values.map((v, k) => [v.id, byValue[k]!])) };
  });
}

function complianceFlags(c: CompiledScenario, d: ResolvedDecisions, harms: HarmEntry[]): ComplianceFlag[] {
  const sc = c.scenario;
  const flags = new Set<ComplianceFlag>();
  const usedTraits = new Set(d.assignments.filter((a) => a.segment >= 0).flatMap((a) => d.segments[a.segment]!.traits));
  for (const s of d.signals) {
    if (c.needsConsent[s] === 0) continue;
    const design = sc.consentDesigns[d.consentOf[s]!]!;
    const signal = sc.signals[s]!;
    const special = signal.legalBasis === 'explicit-consent';
    if (!design.validConsent) flags.add('invalidConsent');
    if (special && !design.explicit) flags.add('sensitiveWithoutExplicitConsent');
    if (special && !design.validConsent) flags.add('sensitiveUnderInvalidConsent');
    if (!signal.reveals.some((r) => usedTraits.has(c.traitIndex.get(r.trait)!))) flags.add('unusedData');
  }
  if (harms.some((h) => h.tag === 'ageRestricted')) flags.add('minorsAgeRestricted');
  if (harms.some((h) => h.tag === 'vulnerableMoment' || h.tag === 'exploitsVulnerability')) flags.add('vulnerableTargeted');
  const order: ComplianceFlag[] = [
    'invalidConsent',
    'sensitiveWithoutExplicitConsent',
    'sensitiveUnderInvalidConsent',
    'minorsAgeRestricted',
    'vulnerableTargeted',
    'unusedData',
  ];
  return order.filter((f) => flags.has(f));
}
