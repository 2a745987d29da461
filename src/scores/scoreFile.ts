/**
 * The score file a student exports: who, which pack (id, version, content hash), the market (seed,
 * listeners), every decision (the replay log), the per-round results and the final score.
 * An instructor's tools re-simulate the log to check the numbers.
 */
import type { PlainDecisions, RoundResult } from '../sim';
import { finalScore } from '../sim';

export const SCORE_FORMAT = 'tracks-and-targets/score';
export const SCORE_FORMAT_VERSION = 1;

export interface ScoreFile {
  format: typeof SCORE_FORMAT;
  formatVersion: number;
  appVersion: string;
  pack: { id: string; version: string; hash: string };
  classCode: string | null;
  nickname: string;
  replay: { seed: number; listeners: number; rounds: Partial<PlainDecisions>[] };
  rounds: {
    round: number;
    adRevenue: number;
    profit: number;
    trustIndex: number;
    harmedListeners: number;
    creepyExposures: number;
    flags: string[];
    score: number;
    components: RoundResult['score']['components'];
  }[];
  score: number;
  startedAt: string;
  exportedAt: string;
}

export function buildScoreFile(input: {
  appVersion: string;
  pack: ScoreFile['pack'];
  classCode: string | null;
  nickname: string;
  seed: number;
  listeners: number;
  decisions: Partial<PlainDecisions>[];
  results: RoundResult[];
  startedAt: string;
  exportedAt: string;
}): ScoreFile {
  return {
    format: SCORE_FORMAT,
    formatVersion: SCORE_FORMAT_VERSION,
    appVersion: input.appVersion,
    pack: input.pack,
    classCode: input.classCode,
    nickname: input.nickname,
    replay: { seed: input.seed, listeners: input.listeners, rounds: input.decisions },
    rounds: input.results.map((r) => ({
      round: r.round + 1,
      adRevenue: r.adRevenue,
      profit: r.profit,
      trustIndex: r.trustIndex,
      harmedListeners: r.harmedListeners,
      creepyExposures: r.creepyExposures,
      flags: r.flags,
      score: r.score.total,
      components: r.score.components,
    })),
    score: finalScore(input.results.map((r) => r.score.total)),
    startedAt: input.startedAt,
    exportedAt: input.exportedAt,
  };
}

/** nickname-pack-date.json, with only safe characters. */
export function scoreFileName(nickname: string, packId: string, date: string, extension = 'json'): string {
  const safe = (s: string) => s.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'player';
  return `${safe(nickname)}-${safe(packId)}-${date.slice(0, 10)}.${extension}`;
}
