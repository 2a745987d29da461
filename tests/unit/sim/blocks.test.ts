/**
 * Large rounds are collected block by block, possibly by another thread (see useCollectHelper).
 * These tests lend rounds to helpers in this thread, so no thread is started.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createState, playRound, type PlainDecisions } from '../../../src/sim';
import { useSharedMemory } from '../../../src/sim/memory';
import { collectBlock, LENT_FROM, useCollectHelper, type CollectJob } from '../../../src/sim/observe';
import { defaultScenario, examplePlan, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = LENT_FROM + 777;
const decisions = examplePlan('bundled-grey-zone').rounds[0] as PlainDecisions;

function lendTo(run: (job: CollectJob) => boolean): void {
  useSharedMemory(true);
  useCollectHelper({ run });
}

afterEach(() => {
  useCollectHelper(null);
  useSharedMemory(false);
});

describe('collecting a round block by block', { timeout: SIM_TIMEOUT }, () => {
  const alone = (() => {
    const first = playRound(sc, createState(sc, 5, N), decisions);
    return [first.result, playRound(sc, first.state, {}).result];
  })();

  it('gives the same rounds as one pass, the drift of later rounds included', () => {
    const blocks: number[] = [];
    lendTo((job) => {
      let b = 0;
      for (; b * job.block < job.count; b++) {
        collectBlock(job, b);
        Atomics.store(job.progress, 0, b + 1);
      }
      blocks.push(b);
      return true;
    });
    const first = playRound(sc, createState(sc, 5, N), decisions);
    expect([first.result, playRound(sc, first.state, {}).result]).toEqual(alone);
    // Both rounds lent, in many blocks (N is odd: the last one is not full).
    expect(blocks).toHaveLength(2);
    for (const b of blocks) expect(b).toBeGreaterThan(8);
  });

  it('stops with an error when the collecting thread fails, and the next round does not share its workspace', () => {
    const jobs: CollectJob[] = [];
    lendTo((job) => {
      jobs.push(job);
      Atomics.store(job.progress, 0, -1);
      return true;
    });
    const state = createState(sc, 5, N);
    expect(() => playRound(sc, state, decisions)).toThrow('The thread collecting this round failed.');
    // The failed thread might still be writing into the first workspace.
    useCollectHelper(null);
    const first = playRound(sc, state, decisions);
    expect(first.result).toEqual(alone[0]);
    lendTo((job) => {
      jobs.push(job);
      return false;
    });
    playRound(sc, first.state, {});
    expect(jobs).toHaveLength(2);
    // (Not toBe: its hint on failure would compare every array of both workspaces.)
    expect(jobs[1]!.ws === jobs[0]!.ws).toBe(false);
  });

  it('collects small rounds, listeners outside shared memory and rounds the thread cannot take on this thread', () => {
    const offered: number[] = [];
    lendTo((job) => {
      offered.push(job.count);
      return false;
    });
    const first = playRound(sc, createState(sc, 5, N), decisions);
    expect([first.result, playRound(sc, first.state, {}).result]).toEqual(alone);
    expect(offered).toEqual([N, N]);
    useSharedMemory(false);
    playRound(sc, createState(sc, 5, N), decisions);
    useSharedMemory(true);
    playRound(sc, createState(sc, 5, LENT_FROM - 1), decisions);
    expect(offered).toEqual([N, N]);
  });

  it('stops with an error when consent answers change after the population was made', () => {
    const state = createState(sc, 5, 10_000);
    playRound(sc, state, decisions);
    // Accepting only the first design is no answer a listener gives (accepting one means accepting the pushier ones).
    expect(state.pop.agrees.includes(1)).toBe(false);
    state.pop.agrees[0] = 1;
    expect(() => playRound(sc, state, decisions)).toThrow('consent answers or OS changed');
  });
});
