/**
 * The verify benchmark: checking a class's 300 score files of a 4-round scenario at 10,000
 * listeners by replay, as the instructor dashboard does (there in a Web Worker). The files are
 * made first, outside the timing, from the pack's example plans on varied seeds and nicknames.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeClassCode, packRef } from '../scores/classCode';
import { scoreFileForPlan } from '../scores/playScore';
import { scoreFileText } from '../scores/scoreFile';
import type { PlainDecisions } from '../sim';
import { readJson, readPack } from './cliSupport';
import { verifyInParallel } from './verifyPool';

const PACK = 'lessons/tunestream-basics';
const FILES = 300;
const LISTENERS = 10_000;

/** Times verifying the files with `threads` threads (1: on this thread), the threads' start included. */
export async function benchVerify(threads: number): Promise<{ files: number; threads: number; ms: number }> {
  const pack = readPack(PACK);
  const plansDir = join(PACK, 'plans');
  const plans = readdirSync(plansDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (readJson(join(plansDir, f)) as { rounds: Partial<PlainDecisions>[] }).rounds);
  // Students of one class share the seed; a few classes make the replays differ as well.
  const classes = [101, 2024, 77_777].map((seed) =>
    encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed, rounds: pack.scenario.rounds.length, listeners: LISTENERS, language: 'en', weights: null }),
  );
  const texts = Array.from({ length: FILES }, (_, k) => {
    const classCode = classes[k % classes.length]!;
    const plan = plans[Math.floor(k / classes.length) % plans.length]!;
    const seed = [101, 2024, 77_777][k % classes.length]!;
    const file = scoreFileForPlan(pack, plan, {
      appVersion: 'bench',
      nickname: `student-${k}`,
      classCode,
      seed,
      listeners: LISTENERS,
      startedAt: '2026-01-01T09:00:00.000Z',
      exportedAt: '2026-01-01T09:40:00.000Z',
    });
    return scoreFileText(file);
  });
  const start = performance.now();
  const lines = await verifyInParallel(
    texts.map((text, k) => ({ name: `student-${k}.json`, text })),
    [pack],
    null,
    threads,
  );
  const ms = performance.now() - start;
  const bad = lines.findIndex((l) => !l.ok);
  if (bad >= 0) throw new Error(`bench file ${bad} did not verify: ${lines[bad]!.line}`);
  return { files: texts.length, threads, ms };
}
