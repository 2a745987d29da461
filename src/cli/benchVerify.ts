/**
 * The verify benchmark: checking a class's 300 score files of a 4-round scenario at 10,000
 * listeners by replay, as the instructor dashboard does (there in a Web Worker). The files are
 * written first, from the pack's example plans on varied seeds and nicknames; each timing then
 * runs in a fresh process, as `npm run verify` does, so that no run finds another's markets.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeClassCode, packRef } from '../scores/classCode';
import { scoreFileForPlan } from '../scores/playScore';
import { scoreFileText } from '../scores/scoreFile';
import type { PlainDecisions } from '../sim';
import { readJson, readPack } from './cliSupport';
import { verifyInParallel } from './verifyPool';

export const BENCH_PACK = 'lessons/tunestream-basics';
const FILES = 300;
const LISTENERS = 10_000;

/** Writes the class's score files into `dir`. */
export function writeBenchFiles(dir: string): void {
  const pack = readPack(BENCH_PACK);
  const plansDir = join(BENCH_PACK, 'plans');
  const plans = readdirSync(plansDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (readJson(join(plansDir, f)) as { rounds: Partial<PlainDecisions>[] }).rounds);
  // Students of one class share the seed; a few classes make the replays differ as well.
  const seeds = [101, 2024, 77_777];
  const classes = seeds.map((seed) =>
    encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed, rounds: pack.scenario.rounds.length, listeners: LISTENERS, language: 'en', weights: null }),
  );
  for (let k = 0; k < FILES; k++) {
    const file = scoreFileForPlan(pack, plans[Math.floor(k / classes.length) % plans.length]!, {
      appVersion: 'bench',
      nickname: `student-${k}`,
      classCode: classes[k % classes.length]!,
      seed: seeds[k % classes.length]!,
      listeners: LISTENERS,
      startedAt: '2026-01-01T09:00:00.000Z',
      exportedAt: '2026-01-01T09:40:00.000Z',
    });
    writeFileSync(join(dir, `student-${String(k).padStart(3, '0')}.json`), scoreFileText(file));
  }
}

/** Times verifying the files in `dir` with `threads` threads (1: on this thread), the threads' start included. */
export async function timeVerify(dir: string, threads: number): Promise<{ files: number; threads: number; ms: number }> {
  const pack = readPack(BENCH_PACK);
  const jobs = readdirSync(dir)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  const start = performance.now();
  const lines = await verifyInParallel(jobs, [pack], null, threads);
  const ms = performance.now() - start;
  const bad = lines.findIndex((l) => !l.ok);
  if (bad >= 0) throw new Error(`bench file ${jobs[bad]!.name} did not verify: ${lines[bad]!.line}`);
  return { files: jobs.length, threads, ms };
}
