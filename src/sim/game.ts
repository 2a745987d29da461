/**
 * Whole games: playing a plan from the first round, replaying a logged game, and previewing a
 * round's collection and segments before committing to it.
 */
import { compileScenario, MISSING } from './compiled';
import { resolveDecisions } from './decisions';
import { startCollection } from './observe';
import { segmentReportCards, type SegmentReportCard } from './reportCard';
import { playRound, traceListener, type ListenerTrace, type RoundResult } from './round';
import type { PlainDecisions, Scenario } from './scenario';
import { MarketMemo } from './marketMemo';
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

/** Plays `rounds` in order from `start`, sharing `memo` (the start's market's) when given. */
function playRounds(scenario: Scenario, start: SimState, rounds: Partial<PlainDecisions>[], memo: MarketMemo | undefined): GameOutcome {
  let state = start;
  const results: RoundResult[] = [];
  for (const decisions of rounds) {
    const step = playRound(scenario, state, decisions, { memo });
    state = step.state;
    results.push(step.result);
  }
  return { results, state, score: finalScore(results.map((x) => x.score.total)) };
}

/** Plays every round of the scenario, undecided rounds with no decisions; on `market` (of this seed and size) when given. */
export function playPlan(scenario: Scenario, seed: number, listeners: number, plan: Partial<PlainDecisions>[], market?: Market): GameOutcome {
  const rounds = scenario.rounds.map((_, r) => plan[r] ?? {});
  return playRounds(scenario, market?.start ?? createState(scenario, seed, listeners), rounds, market?.memo);
}

/** A market many games are replayed on: its starting state (rounds never change their input state) and the memo they share. */
export interface Market {
  start: SimState;
  memo: MarketMemo;
}

/** A fresh market: the starting state of this seed and size, and an empty memo. */
export function newMarket(scenario: Scenario, seed: number, listeners: number): Market {
  return { start: createState(scenario, seed, listeners), memo: new MarketMemo(scenario, seed, listeners) };
}

/** Replays a logged game (possibly unfinished: only the logged rounds are played), on `market` when given. */
export function replay(scenario: Scenario, log: Pick<ReplayLog, 'seed' | 'listeners' | 'rounds'>, market?: Market): GameOutcome {
  const start = market?.start ?? createState(scenario, log.seed, log.listeners);
  return playRounds(scenario, start, log.rounds.slice(0, scenario.rounds.length), market?.memo);
}

export interface RoundPreview {
  coverage: { signal: string; covered: number }[];
  expectedDataCost: number;
  /** Targetable listeners (free tier, not opted out) and what the company would know about them. */
  targetable: number;
  observed: { trait: string; observed: number; correct: number; byValue: Record<string, number> }[];
  segments: { id: string; members: number }[];
  /** Report cards estimated from observed attributes only (the truth is judged after the round). */
  estimatedCards: SegmentReportCard[];
  /** What the company would know about the listeners in `sample` (no ads yet). */
  sample: ListenerTrace[];
}

/** Readings of one trait by value, and how many are right (listeners who cannot be targeted are not read: MISSING). */
function tallyTrait(n: number, observed: Uint8Array, truth: Uint8Array, byValue: Float64Array): number {
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const v = observed[i]!;
    if (v === MISSING) continue;
    byValue[v]! += 1;
    if (v === truth[i]) correct++;
  }
  return correct;
}

/**
 * What the player can know before playing the round: coverage, what each trait would be read as,
 * segment sizes and estimated report cards. The same numbers describe a played round when given
 * the state before it and its decisions.
 */
export function previewRound(scenario: Scenario, input: SimState, given: Partial<PlainDecisions>, sample: number[] = []): RoundPreview {
  const c = compileScenario(scenario);
  const d = resolveDecisions(scenario, input.round, given, input.lastDecisions, input.listeners);
  const state = cloneState(input, false);
  const all = scenario.population.traits.map((_, t) => t);
  const gathering = startCollection(c, state, d, all, null, input.pop);
  const col = gathering.finish();
  return {
    coverage: d.signals.map((s) => ({ signal: scenario.signals[s]!.id, covered: col.covered[s]! })),
    expectedDataCost: d.signals.reduce((acc, s) => acc + (col.covered[s]! * c.signalCost[s]!) / 1000, 0),
    targetable: col.targetableCount,
    observed: scenario.population.traits.map((trait, t) => {
      const byValue = new Float64Array(trait.values.length);
      const correct = tallyTrait(state.pop.count, col.ws.observed[t]!, state.pop.traits[t]!, byValue);
      return {
        trait: trait.id,
        observed: byValue.reduce((a, b) => a + b, 0),
        correct,
        byValue: Object.fromEntries(trait.values.map((v, k) => [v.id, byValue[k]!])),
      };
    }),
    segments: d.segments.map((s, k) => ({ id: s.id, members: col.members[k]! })),
    estimatedCards: segmentReportCards(c, state, d, col, 'estimate'),
    sample: sample.filter((i) => i >= 0 && i < state.pop.count).map((i) => traceListener(c, state, d, gathering, i)),
  };
}
