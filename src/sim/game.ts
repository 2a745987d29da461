/**
 * Whole games: playing a plan from the first round, replaying a logged game, and previewing a
 * round's collection and segments before committing to it.
 */
import { compileScenario } from './compiled';
import { resolveDecisions } from './decisions';
import { computeMembership, driftTraits, observe, workspaceFor } from './observe';
import { segmentReportCards, type SegmentReportCard } from './reportCard';
import { playRound, type RoundResult } from './round';
import type { PlainDecisions, Scenario } from './scenario';
import { finalScore } from './score';
import { cloneState, createState, type SimState } from './state';

/** What identifies a game: re-running it reproduces every number. */
export interface ReplayLog {
  packId: string;
  packVersion: string;
  /** Content hash of the pack (see src/packs). */
  packHash: string;
  seed: number;
  listeners: number;
  /** The effective decisions of every round played. */
  rounds: PlainDecisions[];
}

export interface GameOutcome {
  results: RoundResult[];
  state: SimState;
  /** Mean of the round scores, 0–100. */
  score: number;
}

export function playPlan(scenario: Scenario, seed: number, listeners: number, plan: Partial<PlainDecisions>[]): GameOutcome {
  let state = createState(scenario, seed, listeners);
  const results: RoundResult[] = [];
  for (let r = 0; r < scenario.rounds.length; r++) {
    const step = playRound(scenario, state, plan[r] ?? {});
    state = step.state;
    results.push(step.result);
  }
  return { results, state, score: finalScore(results.map((x) => x.score.total)) };
}

/** Replays a logged game (possibly unfinished: only the logged rounds are played). */
export function replay(scenario: Scenario, log: Pick<ReplayLog, 'seed' | 'listeners' | 'rounds'>): GameOutcome {
  let state = createState(scenario, log.seed, log.listeners);
  const results: RoundResult[] = [];
  for (const decisions of log.rounds.slice(0, scenario.rounds.length)) {
    const step = playRound(scenario, state, decisions);
    state = step.state;
    results.push(step.result);
  }
  return { results, state, score: finalScore(results.map((x) => x.score.total)) };
}

export interface RoundPreview {
  coverage: { signal: string; covered: number }[];
  expectedDataCost: number;
  segments: { id: string; members: number }[];
  /** Report cards estimated from observed attributes only (the truth is judged after the round). */
  estimatedCards: SegmentReportCard[];
}

/** What the player can know before playing the round: coverage, segment sizes, estimated cards. */
export function previewRound(scenario: Scenario, input: SimState, given: Partial<PlainDecisions>): RoundPreview {
  const c = compileScenario(scenario);
  const d = resolveDecisions(scenario, input.round, given, input.lastDecisions, input.listeners);
  const state = cloneState(input);
  if (state.round > 0) driftTraits(c, state);
  const ws = workspaceFor(state.pop.count, state.pop.traits.length);
  observe(c, state, d, ws);
  computeMembership(state, d, ws);
  const covered = new Float64Array(scenario.signals.length);
  const members = new Float64Array(d.segments.length);
  for (let i = 0; i < ws.count; i++) {
    const cov = ws.coverage[i]!;
    const m = ws.membership[i]!;
    for (const s of d.signals) if ((cov & (1 << s)) !== 0) covered[s]! += 1;
    if (state.pop.premium[i] === 0) for (let k = 0; k < d.segments.length; k++) if ((m & (1 << k)) !== 0) members[k]! += 1;
  }
  return {
    coverage: d.signals.map((s) => ({ signal: scenario.signals[s]!.id, covered: covered[s]! })),
    expectedDataCost: d.signals.reduce((acc, s) => acc + (covered[s]! * c.signalCost[s]!) / 1000, 0),
    segments: d.segments.map((s, k) => ({ id: s.id, members: members[k]! })),
    estimatedCards: segmentReportCards(c, state, d, ws, 'estimate'),
  };
}
