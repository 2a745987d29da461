/**
 * A lent round's last chunks may be served by the other thread on a guess of which assignments
 * still have budget (see serve.ts). These tests play the other thread in this one: it collects the
 * whole round, then serves every chunk, guessing before this thread has served any. So chunks after
 * an assignment runs out are guessed wrong, and the ones before it right.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createState, playRound, type PlainDecisions, type RoundResult } from '../../../src/sim';
import { useSharedMemory } from '../../../src/sim/memory';
import { collectBlock, LENT_FROM, useCollectHelper, type CollectJob } from '../../../src/sim/observe';
import { guessActive, SERVE_CHUNK, serveFromEnd, type ServeJob } from '../../../src/sim/serve';
import { defaultScenario, examplePlan, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
// Nine chunks, the last one short.
const N = LENT_FROM + 777;
const CHUNKS = Math.ceil(N / SERVE_CHUNK);
const plan = examplePlan('bundled-grey-zone').rounds[0] as PlainDecisions;

/**
 * The plan's targeted ads for runners and the heartbroken only (neither runs out of what its
 * advertiser buys at N listeners), the first with `budget`.
 */
function decisions(budget?: number): PlainDecisions {
  const buys = (campaign: string) => Math.floor((sc.campaigns.find((c) => c.id === campaign)!.demandPerThousand * N) / 1000);
  const kept = plan.assignments.filter((a) => (a.campaign === 'frosty_scoops' || a.campaign === 'stride_shoes') && a.segment !== 'everyone');
  return { ...plan, assignments: kept.map((a, k) => ({ ...a, budget: k === 0 && budget !== undefined ? budget : buys(a.campaign) })) };
}

function collectAll(job: CollectJob): boolean {
  for (let b = 0; b * job.block < job.count; b++) collectBlock(job, b);
  Atomics.store(job.progress, 0, Math.ceil(job.count / job.block));
  return true;
}

/** Plays two rounds with a helper in this thread that serves the round as `serve` says. */
function lent(decisions: PlainDecisions, serve: (job: ServeJob) => void): { results: RoundResult[]; jobs: ServeJob[] } {
  const jobs: ServeJob[] = [];
  useSharedMemory(true);
  useCollectHelper({
    run: collectAll,
    serve: (job) => {
      jobs.push(job);
      serve(job);
    },
  });
  const first = playRound(sc, createState(sc, 5, N), decisions);
  const results = [first.result, playRound(sc, first.state, {}).result];
  useCollectHelper(null);
  useSharedMemory(false);
  return { results, jobs };
}

function alone(decisions: PlainDecisions): RoundResult[] {
  const first = playRound(sc, createState(sc, 5, N), decisions);
  return [first.result, playRound(sc, first.state, {}).result];
}

afterEach(() => {
  useCollectHelper(null);
  useSharedMemory(false);
});

describe('serving a lent round from both ends', { timeout: SIM_TIMEOUT }, () => {
  // No assignment runs out: every guess is right.
  const ample = decisions();
  const ampleAlone = alone(ample);
  for (const r of ampleAlone) for (const a of r.assignments) expect(a.impressions).toBeLessThan(a.budget);

  it('keeps the chunks the other thread served when its guess was right', () => {
    const { results, jobs } = lent(ample, serveFromEnd);
    expect(results).toEqual(ampleAlone);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.claims).toHaveLength(CHUNKS);
      // The other thread took every chunk (this one had not started).
      expect(Array.from(job.done)).toEqual(Array(CHUNKS).fill(1));
    }
    // Its totals are the ones used: a wrong count in its last chunk shows in the round.
    const tampered = lent(ample, (job) => {
      serveFromEnd(job);
      job.results[(CHUNKS - 1) * (job.results.length / CHUNKS)]! += 1;
    });
    expect(tampered.results[0]!.assignments[0]!.impressions).toBe(ampleAlone[0]!.assignments[0]!.impressions + 1);
  });

  it('serves again the chunks it guessed wrong, from the listeners as the round found them', () => {
    // The first assignment runs out about half way through the listeners.
    const budget = Math.round(ampleAlone[0]!.assignments[0]!.impressions / 2);
    const tight = decisions(budget);
    const tightAlone = alone(tight);
    expect(tightAlone[0]!.assignments[0]!.impressions).toBe(budget);
    const { results } = lent(tight, serveFromEnd);
    expect(results).toEqual(tightAlone);
    // The chunks after it ran out were guessed wrong: what the other thread counted there is not used.
    const tampered = lent(tight, (job) => {
      serveFromEnd(job);
      job.results[(CHUNKS - 1) * (job.results.length / CHUNKS)]! += 1;
    });
    expect(tampered.results).toEqual(tightAlone);
  });

  it('serves again the chunks where it guessed an assignment had run out that had not', () => {
    const { results } = lent(ample, (job) => {
      // As if this thread had served one chunk, in which the first assignment spent half its budget.
      job.progress[0] = SERVE_CHUNK;
      job.progress[1] = job.plan.budgets[0]! / 2;
      serveFromEnd(job);
    });
    expect(results).toEqual(ampleAlone);
  });

  it('serves again a chunk the other thread failed on', () => {
    const { results } = lent(ample, (job) => {
      serveFromEnd(job);
      // It failed half way through the last chunk, having changed some listeners' trust.
      job.done[CHUNKS - 1] = -1;
      job.plan.trust.fill(0, (CHUNKS - 1) * SERVE_CHUNK, (CHUNKS - 1) * SERVE_CHUNK + 100);
    });
    expect(results).toEqual(ampleAlone);
  });

  it('guesses that an assignment runs out where it would at the rate it has spent so far', () => {
    let guessed: Int32Array[] = [];
    lent(decisions(300_000), (job) => {
      // As if this thread had served two chunks, in which the first assignment spent a third of
      // its budget and the second nothing.
      job.progress[0] = 2 * SERVE_CHUNK;
      job.progress[1] = 200_000;
      guessed = [3, 4, 5, 6].map((ch) => guessActive(job, ch));
      serveFromEnd(job);
    });
    const bits = guessed.map((active) => active[0]! & 3);
    // It runs out after six chunks: before chunk 6 starts.
    expect(bits).toEqual([3, 3, 3, 2]);
  });
});
