/** Large rounds collected on a helper thread give the same bits as on one thread. */
import { afterAll, describe, expect, it } from 'vitest';
import { lendRoundsAThread, type LentThread } from '../../../src/cli/roundHelper';
import { benchDecisions } from '../../../src/cli/bench';
import { createState, MarketMemo, playRound, type PlainDecisions, type RoundResult, type SimState } from '../../../src/sim';
import { isShared, useSharedMemory } from '../../../src/sim/memory';
import { LENT_FROM } from '../../../src/sim/observe';
import { defaultScenario, examplePlan } from '../support';

const sc = defaultScenario();
// Enough listeners for the rounds to be lent, in blocks the last of which is not full.
const N = LENT_FROM + 1234;
const plan = examplePlan('collect-everything-buried').rounds as PlainDecisions[];

function play(state: SimState) {
  const results = [];
  // Rounds after the plan's carry its decisions over.
  for (const decisions of [plan[0]!, {}, {}]) {
    const step = playRound(sc, state, decisions, { traces: [5, N - 1] });
    const plain = playRound(sc, state, decisions);
    state = step.state;
    results.push(step.result, step.traces, plain.result);
  }
  return { results, trust: Array.from(state.pop.trust), status: Array.from(state.pop.status), held: Array.from(state.pop.held) };
}

describe('a helper thread for large rounds', () => {
  const alone = play(createState(sc, 42, N));
  let thread: LentThread | null = null;
  afterAll(async () => await thread?.stop());

  it('collects while this thread serves, with the same results bit for bit', { timeout: 120_000 }, async () => {
    thread = lendRoundsAThread();
    await thread.ready;
    const state = createState(sc, 42, N);
    // Lent rounds need the listeners in shared memory.
    expect(isShared(state.pop.trust)).toBe(true);
    const lent = play(state);
    expect(thread.rounds()).toBe(6);
    // Each round's report cards were worked out there too, while this thread drew the events.
    expect(thread.cards()).toBe(6);
    expect(lent).toEqual(alone);
  });

  it("serves the bench's heavy round from both ends, with the same results", { timeout: 120_000 }, () => {
    // Every default signal, eight campaigns; one runs out of budget about half way through the listeners.
    const heavy = benchDecisions(sc, N);
    const play = (state: SimState) => {
      const first = playRound(sc, state, heavy);
      return [first.result, playRound(sc, first.state, {}).result, Array.from(first.state.pop.trust)];
    };
    const before = thread!.rounds();
    const lent = play(createState(sc, 42, N));
    expect(thread!.rounds()).toBe(before + 2);
    useSharedMemory(false);
    const one = play(createState(sc, 42, N));
    useSharedMemory(true);
    expect(lent).toEqual(one);
    expect((lent[0] as RoundResult).assignments.some((a) => a.impressions === a.budget)).toBe(true);
  });

  it('shares a market memo between lent games, with the same results', { timeout: 120_000 }, () => {
    const start = createState(sc, 42, N);
    const memo = new MarketMemo(sc, 42, N);
    // The first game fills the memo while the other thread drifts the moods block by block; the second finds them.
    // With a memo, the report cards are worked out on this thread.
    const cards = thread!.cards();
    for (let game = 0; game < 2; game++) {
      let state = start;
      const results = [];
      for (const decisions of [plan[0]!, {}, {}]) {
        const step = playRound(sc, state, decisions, { memo });
        state = step.state;
        results.push(step.result);
      }
      expect(results).toEqual(alone.results.filter((_, k) => k % 3 === 2));
    }
    expect(thread!.rounds()).toBe(14);
    expect(thread!.cards()).toBe(cards);
  });
});
