/** A score file from a plan played outside the browser (the CLI, tests and the benchmark). */
import type { LoadedPack } from '../packs/loadPack';
import { playPlan, type GameOutcome, type PlainDecisions } from '../sim';
import { scenarioForCode } from './classPlay';
import { buildScoreFile, type ScoreFile, type ScoreMeta } from './scoreFile';

type PlanGame = Omit<ScoreMeta, 'pack'> & { seed: number; listeners: number };

/** Plays a plan (on its class's scenario, if any) and returns the outcome with its score file. */
export function playForScore(pack: LoadedPack, plan: Partial<PlainDecisions>[], game: PlanGame): { outcome: GameOutcome; file: ScoreFile } {
  const scenario = scenarioForCode(pack.scenario, game.classCode);
  // A plan shorter than the scenario plays its last decisions on (as playPlan does); the log says so.
  const decisions = scenario.rounds.map((_, r) => plan[r] ?? {});
  const outcome = playPlan(scenario, game.seed, game.listeners, decisions);
  const file = buildScoreFile(
    { ...game, pack: { id: pack.pack.id, version: pack.pack.version, hash: pack.hash } },
    { seed: game.seed, listeners: game.listeners, decisions, results: outcome.results, scenarioRounds: scenario.rounds.length },
  );
  return { outcome, file };
}

export function scoreFileForPlan(pack: LoadedPack, plan: Partial<PlainDecisions>[], game: PlanGame): ScoreFile {
  return playForScore(pack, plan, game).file;
}
