/**
 * Turns a round's decisions (as a player or plan file states them) into the effective, checked
 * decisions the model runs on: closed areas take the pack's defaults or carry over, every name is
 * checked against the scenario, and ids become indices.
 */
import { compileScenario, conditionMask, MAX_SEGMENTS, type CompiledCondition, type CompiledScenario } from './compiled';
import { listAllowed, nearestName } from './names';
import { EVERYONE, type DecisionArea, type PlainDecisions, type Scenario } from './scenario';

export interface DecisionIssue {
  /** JSON path inside the round's decisions, e.g. ["segments", 0, "rule", "any", 1, "all", 0, "trait"]. */
  path: (string | number)[];
  message: string;
}

export class DecisionError extends Error {
  constructor(
    readonly round: number,
    readonly issues: DecisionIssue[],
  ) {
    super(issues.map((i) => `round ${round + 1}: ${i.path.join('.')}: ${i.message}`).join('\n'));
    this.name = 'DecisionError';
  }
}

export interface CompiledSegment {
  id: string;
  clauses: CompiledCondition[][];
  /** Traits that the rule reads (for creepiness and the glass-box view). */
  traits: number[];
}

export interface CompiledAssignment {
  campaign: number;
  /** Index into segments, or -1 for everyone (untargeted). */
  segment: number;
  budget: number;
  cap: number;
}

export interface ResolvedDecisions {
  plain: PlainDecisions;
  /** Collected signal indices, in scenario order. */
  signals: number[];
  /** Consent design index per signal (all signals; only collected ones matter). */
  consentOf: Int32Array;
  segments: CompiledSegment[];
  assignments: CompiledAssignment[];
  /** Areas the plan set although the round keeps them closed (ignored). */
  ignored: DecisionArea[];
}

export const EMPTY_DECISIONS: PlainDecisions = {
  signals: [],
  consent: '',
  consentBySignal: {},
  segments: [],
  assignments: [],
  quiz: [],
};

function pick<K extends keyof PlainDecisions>(
  key: K,
  open: boolean,
  given: Partial<PlainDecisions>,
  defaults: Partial<PlainDecisions>,
  previous: PlainDecisions,
): PlainDecisions[K] {
  if (open && given[key] !== undefined) return given[key];
  if (!open && defaults[key] !== undefined) return defaults[key];
  return previous[key];
}

/**
 * A deep copy of decisions, so that a round's result keeps its own whatever the caller or the pack
 * does with theirs. Written out rather than structuredClone, which took about 3 % of a replay.
 */
function copyDecisions(d: PlainDecisions): PlainDecisions {
  return {
    signals: [...d.signals],
    consent: d.consent,
    consentBySignal: { ...d.consentBySignal },
    segments: d.segments.map((s) => ({ ...s, rule: { any: s.rule.any.map((clause) => ({ all: clause.all.map((cond) => ({ ...cond, in: [...cond.in] })) })) } })),
    assignments: d.assignments.map((a) => ({ ...a })),
    quiz: [...d.quiz],
  };
}

/** The decisions in force for a round, before checking names. */
export function effectiveDecisions(
  scenario: Scenario,
  roundIndex: number,
  given: Partial<PlainDecisions>,
  previous: PlainDecisions | null,
): { plain: PlainDecisions; ignored: DecisionArea[] } {
  const round = scenario.rounds[roundIndex]!;
  const prev: PlainDecisions = previous ?? { ...EMPTY_DECISIONS, consent: scenario.consentDesigns[0]!.id };
  const d = round.defaults;
  const o = round.open;
  const ignored: DecisionArea[] = [];
  if (!o.signals && given.signals !== undefined) ignored.push('signals');
  if (!o.consent && (given.consent !== undefined || given.consentBySignal !== undefined)) ignored.push('consent');
  if (!o.segments && given.segments !== undefined) ignored.push('segments');
  if (!o.campaigns && given.assignments !== undefined) ignored.push('campaigns');
  const plain = copyDecisions({
    signals: pick('signals', o.signals, given, d, prev),
    consent: pick('consent', o.consent, given, d, prev),
    consentBySignal: pick('consentBySignal', o.consent, given, d, prev),
    segments: pick('segments', o.segments, given, d, prev),
    assignments: pick('assignments', o.campaigns, given, d, prev),
    quiz: given.quiz ?? [],
  });
  // Carried-over signals or campaigns that this round no longer offers are dropped quietly;
  // naming them explicitly is an error (checked in resolveDecisions).
  const offeredSignals = round.signals;
  if (offeredSignals && given.signals === undefined) plain.signals = plain.signals.filter((s) => offeredSignals.includes(s));
  const offeredCampaigns = round.campaigns;
  if (offeredCampaigns && given.assignments === undefined)
    plain.assignments = plain.assignments.filter((a) => offeredCampaigns.includes(a.campaign));
  return { plain, ignored };
}

function unknown(what: string, name: string, allowed: string[]): string {
  const near = nearestName(name, allowed);
  return `unknown ${what} "${name}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${listAllowed(allowed)}`;
}

/** Impressions one assignment can buy in a round, whatever the market's size. */
const MAX_IMPRESSIONS = 0x7fffffff;

export function checkDecisions(c: CompiledScenario, roundIndex: number, plain: PlainDecisions, listeners: number): DecisionIssue[] {
  const scenario = c.scenario;
  const round = scenario.rounds[roundIndex]!;
  const issues: DecisionIssue[] = [];
  const offeredSignals = round.signals ?? scenario.signals.map((s) => s.id);
  const offeredCampaigns = round.campaigns ?? scenario.campaigns.map((x) => x.id);
  const designs = scenario.consentDesigns.map((d) => d.id);
  const seen = new Set<string>();
  plain.signals.forEach((s, k) => {
    if (!c.signalIndex.has(s)) issues.push({ path: ['signals', k], message: unknown('signal', s, offeredSignals) });
    else if (!offeredSignals.includes(s))
      issues.push({ path: ['signals', k], message: `signal "${s}" is not on offer in this round; allowed: ${listAllowed(offeredSignals)}` });
    else if (seen.has(s)) issues.push({ path: ['signals', k], message: `signal "${s}" is listed twice` });
    seen.add(s);
  });
  if (!c.consentIndex.has(plain.consent)) issues.push({ path: ['consent'], message: unknown('consent design', plain.consent, designs) });
  for (const [signal, design] of Object.entries(plain.consentBySignal)) {
    if (!c.signalIndex.has(signal))
      issues.push({ path: ['consentBySignal', signal], message: unknown('signal', signal, scenario.signals.map((s) => s.id)) });
    if (!c.consentIndex.has(design)) issues.push({ path: ['consentBySignal', signal], message: unknown('consent design', design, designs) });
  }
  if (plain.segments.length > scenario.maxSegments)
    issues.push({ path: ['segments'], message: `${plain.segments.length} segments; at most ${scenario.maxSegments} are allowed` });
  const segmentIds = new Set<string>();
  const traitIds = scenario.population.traits.map((t) => t.id);
  plain.segments.forEach((seg, k) => {
    if (seg.id === EVERYONE) issues.push({ path: ['segments', k, 'id'], message: `"${EVERYONE}" is reserved for untargeted ads; choose another id` });
    else if (segmentIds.has(seg.id)) issues.push({ path: ['segments', k, 'id'], message: `segment id "${seg.id}" is used twice` });
    segmentIds.add(seg.id);
    if (seg.rule.any.length === 0) issues.push({ path: ['segments', k, 'rule', 'any'], message: 'a segment needs at least one clause' });
    seg.rule.any.forEach((clause, ci) => {
      if (clause.all.length === 0)
        issues.push({ path: ['segments', k, 'rule', 'any', ci, 'all'], message: 'a clause needs at least one condition' });
      clause.all.forEach((cond, di) => {
        const path = ['segments', k, 'rule', 'any', ci, 'all', di];
        const t = c.traitIndex.get(cond.trait);
        if (t === undefined) {
          issues.push({ path: [...path, 'trait'], message: unknown('attribute', cond.trait, traitIds) });
          return;
        }
        const values = scenario.population.traits[t]!.values.map((v) => v.id);
        if (cond.in.length === 0) issues.push({ path: [...path, 'in'], message: `list at least one value; allowed: ${listAllowed(values)}` });
        cond.in.forEach((v, vi) => {
          if (!c.valueIndex[t]!.has(v)) issues.push({ path: [...path, 'in', vi], message: unknown(`value of "${cond.trait}"`, v, values) });
        });
      });
    });
  });
  const slots = scenario.market.adSlotsPerListener;
  // Serving counts impressions in 32-bit integers (see serve.ts).
  const maxBudget = Math.min(slots * listeners, MAX_IMPRESSIONS);
  const limit = maxBudget === MAX_IMPRESSIONS ? 'the most one round counts' : `${slots} ad slots × ${listeners} listeners`;
  const bought = new Map<string, number>();
  plain.assignments.forEach((a, k) => {
    const campaign = scenario.campaigns[c.campaignIndex.get(a.campaign) ?? -1];
    if (campaign && Number.isFinite(a.budget)) {
      const demand = Math.floor((campaign.demandPerThousand * listeners) / 1000);
      const total = (bought.get(a.campaign) ?? 0) + a.budget;
      bought.set(a.campaign, total);
      if (total > demand)
        issues.push({ path: ['assignments', k, 'budget'], message: `the advertiser buys at most ${demand} impressions of "${a.campaign}" this round (${campaign.demandPerThousand} per 1,000 listeners); these assignments ask for ${total}` });
    }
    if (!c.campaignIndex.has(a.campaign)) issues.push({ path: ['assignments', k, 'campaign'], message: unknown('campaign', a.campaign, offeredCampaigns) });
    else if (!offeredCampaigns.includes(a.campaign))
      issues.push({ path: ['assignments', k, 'campaign'], message: `campaign "${a.campaign}" is not on offer in this round; allowed: ${listAllowed(offeredCampaigns)}` });
    if (a.segment !== EVERYONE && !segmentIds.has(a.segment))
      issues.push({ path: ['assignments', k, 'segment'], message: unknown('segment', a.segment, [EVERYONE, ...segmentIds]) });
    if (!Number.isInteger(a.budget) || a.budget < 0 || a.budget > maxBudget)
      issues.push({ path: ['assignments', k, 'budget'], message: `budget ${a.budget} is out of range; allowed: a whole number of impressions from 0 to ${maxBudget} (${limit})` });
    if (!Number.isInteger(a.cap) || a.cap < 1 || a.cap > slots)
      issues.push({ path: ['assignments', k, 'cap'], message: `frequency cap ${a.cap} is out of range; allowed: a whole number from 1 to ${slots}` });
  });
  if (plain.quiz.length > round.quizKey.length)
    issues.push({ path: ['quiz'], message: `${plain.quiz.length} answers given; this round has ${round.quizKey.length} quiz question(s)` });
  plain.quiz.forEach((q, k) => {
    if (!Number.isInteger(q) || q < 0) issues.push({ path: ['quiz', k], message: `answer ${q} is not an option index (0, 1, 2, …)` });
  });
  return issues;
}

export function resolveDecisions(
  scenario: Scenario,
  roundIndex: number,
  given: Partial<PlainDecisions>,
  previous: PlainDecisions | null,
  listeners: number,
): ResolvedDecisions {
  const c = compileScenario(scenario);
  if (roundIndex < 0 || roundIndex >= scenario.rounds.length)
    throw new DecisionError(roundIndex, [{ path: [], message: `the scenario has ${scenario.rounds.length} rounds` }]);
  const { plain, ignored } = effectiveDecisions(scenario, roundIndex, given, previous);
  const issues = checkDecisions(c, roundIndex, plain, listeners);
  if (issues.length > 0) throw new DecisionError(roundIndex, issues);
  const signals = [...new Set(plain.signals.map((s) => c.signalIndex.get(s)!))].sort((a, b) => a - b);
  const consentOf = new Int32Array(scenario.signals.length).fill(c.consentIndex.get(plain.consent)!);
  for (const [signal, design] of Object.entries(plain.consentBySignal)) consentOf[c.signalIndex.get(signal)!] = c.consentIndex.get(design)!;
  const segments: CompiledSegment[] = plain.segments.map((seg) => {
    const clauses = seg.rule.any.map((clause) => clause.all.map((cond) => conditionMask(c, cond)));
    return { id: seg.id, clauses, traits: [...new Set(clauses.flat().map((x) => x.trait))].sort((a, b) => a - b) };
  });
  if (segments.length > MAX_SEGMENTS) throw new DecisionError(roundIndex, [{ path: ['segments'], message: `at most ${MAX_SEGMENTS} segments` }]);
  const segIndex = new Map(segments.map((s, k) => [s.id, k]));
  const assignments = plain.assignments.map((a) => ({
    campaign: c.campaignIndex.get(a.campaign)!,
    segment: a.segment === EVERYONE ? -1 : segIndex.get(a.segment)!,
    budget: a.budget,
    cap: a.cap,
  }));
  return { plain, signals, consentOf, segments, assignments, ignored };
}
