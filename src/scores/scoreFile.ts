/**
 * The score file a student exports: who, which pack (id, version, content hash), the class code,
 * the market (seed, listeners), every decision (the replay log), the per-round results and the
 * final score. An instructor's tools re-simulate the log to check every number in it.
 */
import { z } from 'zod';
import { planSchema } from '../packs/planSchema';
import { finalBreakdown, type PlainDecisions, type RoundResult, type ScoreComponent } from '../sim';

export const SCORE_FORMAT = 'tracks-and-targets/score';
export const SCORE_FORMAT_VERSION = 2;
/** Score files above this size are refused unread. */
export const MAX_SCORE_FILE_BYTES = 5 * 1024 * 1024;
const MAX_ROUNDS = 12;

const number = z.number();
const components = z.strictObject({ profit: number.optional(), trust: number.optional(), compliance: number.optional(), segments: number.optional(), quiz: number.optional() });
const weights = z.strictObject({ profit: number, trust: number, compliance: number, segments: number, quiz: number });

const roundSchema = z.strictObject({
  round: number,
  impressions: number,
  reach: number,
  clicks: number,
  conversions: number,
  adRevenue: number,
  dataCost: number,
  churnLoss: number,
  fines: number,
  breachCost: number,
  profit: number,
  trustIndex: number,
  creepComplaints: number,
  optOutRate: number,
  harmedListeners: number,
  creepyExposures: number,
  flags: z.array(z.string().max(64)).max(32),
  quizCorrect: number,
  score: number,
  components,
});

export const scoreFileSchema = z.strictObject({
  format: z.literal(SCORE_FORMAT),
  formatVersion: z.literal(SCORE_FORMAT_VERSION),
  appVersion: z.string().max(40),
  pack: z.strictObject({ id: z.string().min(1).max(64), version: z.string().min(1).max(40), hash: z.string().max(80) }),
  classCode: z.string().max(40).nullable(),
  nickname: z.string().min(1).max(40),
  replay: z.strictObject({
    seed: z.number().int().min(0).max(0xffffffff),
    listeners: z.number().int().min(100).max(1_000_000),
    rounds: z.array(planSchema.shape.rounds.element).max(MAX_ROUNDS, `a scenario has at most ${MAX_ROUNDS} rounds`),
  }),
  complete: z.boolean(),
  rounds: z.array(roundSchema).max(MAX_ROUNDS, `a scenario has at most ${MAX_ROUNDS} rounds`),
  score: z.strictObject({ total: number, components, weights }),
  startedAt: z.string().max(40),
  exportedAt: z.string().max(40),
});

export type ScoreFile = Omit<z.output<typeof scoreFileSchema>, 'replay'> & {
  replay: { seed: number; listeners: number; rounds: Partial<PlainDecisions>[] };
};
export type ScoreRound = ScoreFile['rounds'][number];

/** Who and what a score file is about, besides what the replay gives. */
export interface ScoreMeta {
  appVersion: string;
  pack: ScoreFile['pack'];
  classCode: string | null;
  nickname: string;
  startedAt: string;
  exportedAt: string;
}

export function buildScoreFile(
  meta: ScoreMeta,
  game: { seed: number; listeners: number; decisions: Partial<PlainDecisions>[]; results: RoundResult[]; scenarioRounds: number },
): ScoreFile {
  const breakdown = finalBreakdown(game.results.map((r) => r.score));
  return {
    format: SCORE_FORMAT,
    formatVersion: SCORE_FORMAT_VERSION,
    appVersion: meta.appVersion,
    pack: { id: meta.pack.id, version: meta.pack.version, hash: meta.pack.hash },
    classCode: meta.classCode,
    nickname: meta.nickname,
    replay: { seed: game.seed, listeners: game.listeners, rounds: game.decisions },
    complete: game.results.length >= game.scenarioRounds,
    rounds: game.results.map((r) => ({
      round: r.round + 1,
      impressions: r.impressions,
      reach: r.reach,
      clicks: r.clicks,
      conversions: r.conversions,
      adRevenue: r.adRevenue,
      dataCost: r.dataCost,
      churnLoss: r.churnLoss,
      fines: r.fines,
      breachCost: r.breachCost,
      profit: r.profit,
      trustIndex: r.trustIndex,
      creepComplaints: r.creepComplaints,
      optOutRate: r.optOutRate,
      harmedListeners: r.harmedListeners,
      creepyExposures: r.creepyExposures,
      flags: [...r.flags],
      quizCorrect: r.quizCorrect,
      score: r.score.total,
      components: { ...r.score.components },
    })),
    score: { total: breakdown.total, components: breakdown.components, weights: { ...(game.results[0]?.score.weights ?? zeroWeights()) } },
    startedAt: meta.startedAt,
    exportedAt: meta.exportedAt,
  };
}

function zeroWeights(): Record<ScoreComponent, number> {
  return { profit: 0, trust: 0, compliance: 0, segments: 0, quiz: 0 };
}

export function scoreFileText(file: ScoreFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** nickname-pack-date.json, with only safe characters. */
export function scoreFileName(nickname: string, packId: string, date: string, extension = 'json'): string {
  const safe = (s: string) => s.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'player';
  return `${safe(nickname)}-${safe(packId)}-${date.slice(0, 10)}.${extension}`;
}
