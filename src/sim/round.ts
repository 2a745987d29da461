/**
 * One round of the listener market: drift → collect & observe → segment → serve ads and
 * respond → trust, opt-outs, churn → report cards and events (neither reads what the other
 * changes) → score. A pure function of (scenario, state, decisions): the input state is never
 * changed.
 */
import { compileScenario, MISSING, type CompiledScenario } from './compiled';
import { resolveDecisions, type ResolvedDecisions } from './decisions';
import { runEvents, type EventMetrics, type EventOutcome } from './events';
import type { MarketMemo } from './marketMemo';
import { readListener, segmentTraits, signalsCovering, startCollection, type Gathering } from './observe';
import { cardInputs, lendCards, readAccuracy, segmentReportCards, type SegmentReportCard } from './reportCard';
import { EVERYONE, type ComplianceFlag, type DecisionArea, type HarmTag, type PlainDecisions, type Scenario } from './scenario';
import { serveAds, type ServedAd } from './serve';
import { scoreRound, type ScoreBreakdown } from './score';
import { CHURNED, cloneState, OPTED_OUT, type SimState } from './state';

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
  ads: (ServedAd & { campaign: string; segment: string })[];
  trustBefore: number;
  trustAfter: number;
  optedOut: boolean;
  churned: boolean;
}

export interface PlayOptions {
  /** Record this listener's round in detail (the persona view). */
  trace?: number;
  /** Record these listeners' rounds too (the world view's sample of the neighbourhood). */
  traces?: number[];
  /** What games on this market share (see MarketMemo): given when many games are played on one market. */
  memo?: MarketMemo;
}

/** Listener i's round so far; the collection must be ready for them. */
export function traceListener(c: CompiledScenario, state: SimState, d: ResolvedDecisions, g: Gathering, i: number): ListenerTrace {
  const ws = g.ws;
  const sc = c.scenario;
  const pop = state.pop;
  const traits = sc.population.traits;
  const readings = readListener(c, state, g, i);
  const covering = signalsCovering(g.table, ws.readKey[i]!);
  return {
    index: i,
    premium: pop.premium[i] === 1,
    os: sc.population.os[pop.os[i]!]!.id,
    attitude: sc.population.attitudes[pop.attitude[i]!]!.id,
    truth: Object.fromEntries(traits.map((t, k) => [t.id, t.values[pop.traits[k]![i]!]!.id])),
    inferred: traits.flatMap((t, k) => {
      const { value, signal } = readings[k]!;
      if (value === MISSING) return [];
      return [{ trait: t.id, value: t.values[value]!.id, signal: sc.signals[signal]!.id, confidence: readAccuracy(c, k, signal), correct: value === pop.traits[k]![i] }];
    }),
    covered: sc.signals.filter((_, s) => (covering & (1 << s)) !== 0).map((s) => s.id),
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
): { state: SimState; result: RoundResult; trace?: ListenerTrace; traces: ListenerTrace[] } {
  const c = compileScenario(scenario);
  const roundIndex = input.round;
  const d = resolveDecisions(scenario, roundIndex, given, input.lastDecisions, input.listeners);
  // The collection copies the listeners into the new state as it reads them.
  const state = cloneState(input, false);
  const pop = state.pop;
  const n = pop.count;
  const { market, response } = scenario;
  const signalCount = scenario.signals.length;
  const designs = scenario.consentDesigns;

  // Large rounds are collected block by block on another thread, while this one serves.
  const memo = options.memo ?? null;
  if (memo && (memo.scenario !== scenario || memo.seed !== input.seed || memo.listeners !== input.pop.count))
    throw new Error('A market memo was given for another market (scenario, seed or listener count).');
  const gathering = startCollection(c, state, d, segmentTraits(d), memo, input.pop);
  const traced = [...new Set([...(options.trace !== undefined ? [options.trace] : []), ...(options.traces ?? [])])]
    .filter((i) => Number.isInteger(i) && i >= 0 && i < n)
    .sort((a, b) => a - b);
  if (traced.length > 0) gathering.ready(traced[traced.length - 1]! + 1);
  const traceOf = new Map(traced.map((i) => [i, traceListener(c, state, d, gathering, i)] as const));

  /* ---- serve ads and respond ---- */
  const served = new Map<number, ServedAd[]>();
  const totals = serveAds(c, state, input.pop, d, gathering, traced, served, memo);
  const col = gathering.finish();
  // Moods drift and data is collected, but trust is as the round found it.
  const trustBefore = col.classes.meanTrust;
  for (const [i, t] of traceOf)
    t.ads = (served.get(i) ?? []).map((ad) => {
      const asg = d.assignments[ad.assignment]!;
      return { ...ad, campaign: scenario.campaigns[asg.campaign]!.id, segment: asg.segment >= 0 ? d.segments[asg.segment]!.id : EVERYONE };
    });
  const assignments = d.assignments;
  const collected = d.signals;
  const reachable = totals.reachable;

  /* ---- opt-outs and churn (drawn as each listener is served) ---- */
  const after = totals.after;
  const { optedOutThisRound, churnedPremium, churnedFree, active, optedOut, premiumActive, churned } = after;

  /* ---- money ---- */
  const cpmFactor = state.boycottRoundsLeft > 0 ? scenario.events.boycottCpmFactor : 1;
  if (state.boycottRoundsLeft > 0) state.boycottRoundsLeft--;
  const assignmentResults: AssignmentResult[] = assignments.map((asg, a) => {
    const campaign = scenario.campaigns[asg.campaign]!;
    const imps = totals.impressions[a]!;
    const meanRelevance = imps > 0 ? totals.relevanceSum[a]! / imps : 0;
    const conversions = totals.conversions[a]!;
    const revenue = ((imps * campaign.cpm * cpmFactor) / 1000) * (1 + market.precisionPremium * meanRelevance) + conversions * campaign.feePerConversion;
    return {
      campaign: campaign.id,
      segment: asg.segment >= 0 ? d.segments[asg.segment]!.id : EVERYONE,
      budget: asg.budget,
      cap: asg.cap,
      impressions: imps,
      reach: totals.reach[a]!,
      clicks: totals.clicks[a]!,
      conversions,
      creepyExposures: totals.creepy[a]!,
      meanRelevance,
      revenue,
    };
  });
  const sum = (f: (x: AssignmentResult) => number) => assignmentResults.reduce((acc, x) => acc + f(x), 0);
  const campaignImpressions = sum((x) => x.impressions);
  const campaignRevenue = sum((x) => x.revenue);
  const ronImpressions = totals.runOfNetwork;
  const runOfNetworkRevenue = (ronImpressions * market.runOfNetworkCpm * cpmFactor) / 1000;
  const adRevenue = campaignRevenue + runOfNetworkRevenue;
  let dataCost = 0;
  for (let s = 0; s < signalCount; s++) dataCost += (col.covered[s]! * c.signalCost[s]!) / 1000;
  const freeValue = reachable > 0 ? (adRevenue / reachable) * market.freeChurnRounds : 0;
  const churnLoss = churnedPremium * market.premiumChurnCost + churnedFree * freeValue;

  /* ---- harms and compliance ---- */
  const harms: HarmEntry[] = [];
  assignments.forEach((asg, a) => {
    const campaign = scenario.campaigns[asg.campaign]!;
    campaign.harms.forEach((rule, x) => {
      const listeners = totals.harmCounts[a]![x]!;
      if (listeners === 0) return;
      const existing = harms.find((e) => e.campaign === campaign.id && e.tag === rule.tag && e.trait === rule.trait);
      if (existing) existing.listeners += listeners;
      else harms.push({ campaign: campaign.id, tag: rule.tag, trait: rule.trait, values: [...rule.in], listeners });
    });
  });
  const flags = complianceFlags(c, d, harms, scenario.rounds[roundIndex]!.open.signals);
  const sensitiveFrom = response.sensitiveFrom;
  let invalidSens = 0;
  let validSens = 0;
  for (const s of collected) {
    const sens = c.signalSensitivity[s]!;
    if (c.needsConsent[s] === 0 || sens < sensitiveFrom) continue;
    if (designs[d.consentOf[s]!]!.validConsent) validSens += sens;
    else invalidSens += sens;
  }
  const metrics: EventMetrics = {
    invalidConsentSensitivity: invalidSens,
    validConsentSensitivity: validSens,
    heldSensitivity: col.classes.heldSensitivity / n,
    harmedShare: reachable > 0 ? totals.harmedListeners / reachable : 0,
    creepyShare: reachable > 0 ? totals.creepComplaints / reachable : 0,
    minorsAgeRestricted: flags.includes('minorsAgeRestricted') ? 1 : 0,
    sensitiveUnderInvalidConsent: flags.includes('sensitiveUnderInvalidConsent') ? 1 : 0,
    signalsCollected: collected.length,
  };

  /* ---- report cards (against the truth) and events, which change nothing the cards read ---- */
  // The round's other thread, if it has one, works the cards' statistics out while this one draws
  // the events (with a memo, the statistics are cheap here: the patterns are known).
  const lentCards = memo ? null : lendCards(gathering.helper, cardInputs(c, state, d, col, 'truth'));
  const trustAfter = { sum: null as number | null };
  const events = runEvents(c, state, roundIndex, metrics, adRevenue, trustAfter);
  const segments = segmentReportCards(c, state, d, col, 'truth', memo, lentCards);
  let fines = 0;
  let breachCost = 0;
  for (const e of events) {
    if (e.type === 'regulatorFine') fines += e.cost;
    else breachCost += e.cost;
  }
  const profit = adRevenue - dataCost - churnLoss - fines - breachCost;

  /* ---- listeners after the round ---- */
  // Events that hit trust sum it again; otherwise it is as summed with the opt-outs. Either sum is of
  // the listeners who have not churned, whom the opt-outs counted as active.
  const trustIndex = active > 0 ? (trustAfter.sum ?? after.trustSum) / active : 0;
  for (const [i, t] of traceOf) {
    t.trustAfter = pop.trust[i]!;
    t.optedOut = (pop.status[i]! & OPTED_OUT) !== 0;
    t.churned = (pop.status[i]! & CHURNED) !== 0;
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
    coverage: collected.map((s) => ({ signal: scenario.signals[s]!.id, covered: col.covered[s]! })),
    impressions: campaignImpressions + ronImpressions,
    campaignImpressions,
    runOfNetworkImpressions: ronImpressions,
    reach: totals.reached,
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
    creepComplaints: totals.creepComplaints,
    optOutRate: active > 0 ? optedOut / active : 0,
    assignments: assignmentResults,
    segments,
    harms,
    harmedListeners: totals.harmedListeners,
    flags,
    events,
    metrics,
    quizCorrect,
    score,
  };
  state.round = roundIndex + 1;
  state.lastDecisions = d.plain;
  const trace = options.trace !== undefined ? traceOf.get(options.trace) : undefined;
  const traces = (options.traces ?? []).flatMap((i) => traceOf.get(i) ?? []);
  return trace ? { state, result, trace, traces } : { state, result, traces };
}

/** `signalsChosen`: the player chose the signals this round (unused data is only their fault then). */
function complianceFlags(c: CompiledScenario, d: ResolvedDecisions, harms: HarmEntry[], signalsChosen: boolean): ComplianceFlag[] {
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
    if (signalsChosen && !signal.reveals.some((r) => usedTraits.has(c.traitIndex.get(r.trait)!))) flags.add('unusedData');
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
