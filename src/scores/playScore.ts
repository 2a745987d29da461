/** A score file from a plan played outside the browser (the CLI, tests and the benchmark). */
import type { LoadedPack } from '../packs/loadPack';
import { playPlan, type PlainDecisions } from '../sim';
import { scenarioForCode } from './classPlay';
import { buildScoreFile, type ScoreFile, type ScoreMeta } from './scoreFile';

export function scoreFileForPlan(
  pack: LoadedPack,
  plan: Partial<PlainDecisions>[],
  game: Omit<ScoreMeta, 'pack'> & { seed: number; listeners: number },
): ScoreFile {
  const scenario = scenarioForCode(pack.scenario, game.classCode);
  // A plan shorter than the scenario plays its last decisions on (as playPlan does); the log says so.
  const decisions = scenario.rounds.map((_, r) => plan[r] ?? {});
  const { results } = playPlan(scenario, game.seed, game.listeners, decisions);
  return buildScoreFile(
    { ...game, pack: { id: pack.pack.id, version: pack.pack.version, hash: pack.hash } },
    { seed: game.seed, listeners: game.listeners, decisions, results, scenarioRounds: scenario.rounds.length },
  );
}
