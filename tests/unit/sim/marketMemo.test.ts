import { describe, expect, it } from 'vitest';
import { createState, MarketMemo, playPlan, replay, stateToJSON, type SimState } from '../../../src/sim';
import { compileScenario } from '../../../src/sim/compiled';
import { defaultScenario, examplePlans, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;
const snapshot = (s: SimState) => JSON.stringify(stateToJSON(s));
const moods = (s: SimState) => s.pop.traits.filter((_, t) => sc.population.traits[t]!.changeEachRound > 0);

describe('a market memo shared by the replays of one market', { timeout: SIM_TIMEOUT }, () => {
  // The example plans decide differently: every replay after the first reuses the memo.
  const plans = examplePlans().map((p) => p.rounds);
  const logs = plans.map((plan) => {
    const played = playPlan(sc, 404, N, plan);
    return { log: { seed: 404, listeners: N, rounds: played.results.map((r) => r.decisions) }, played };
  });

  it('changes no number of any game', () => {
    expect(plans.length).toBeGreaterThanOrEqual(3);
    const market = { start: createState(sc, 404, N), memo: new MarketMemo() };
    // Twice over, so that the first game also replays from a memo that knows everything.
    for (const { log, played } of [...logs, ...logs]) {
      const again = replay(sc, log, market);
      expect(again.results).toEqual(played.results);
      expect(snapshot(again.state)).toBe(snapshot(played.state));
    }
  });

  it('draws each round’s moods once for every game on the market', () => {
    const market = { start: createState(sc, 404, N), memo: new MarketMemo() };
    const [a, b] = logs.map(({ log }) => replay(sc, log, market).state);
    expect(moods(a!).length).toBeGreaterThan(0);
    expect(moods(a!).every((values, k) => values === moods(b!)[k])).toBe(true);
    // Without a memo each game draws its own (equal) arrays.
    const c = replay(sc, logs[0]!.log).state;
    expect(moods(c).some((values, k) => values === moods(a!)[k])).toBe(false);
    expect(moods(c)).toEqual(moods(a!));
  });

  it('finds a drift only under the round key it was drawn with, and patterns only for the very arrays they were made from', () => {
    const memo = new MarketMemo();
    const before = new Uint8Array(4);
    const after = Uint8Array.of(1, 0, 1, 0);
    memo.rememberDrift(before, 7, after);
    expect(memo.driftedFrom(before, 7) === after).toBe(true);
    expect(memo.driftedFrom(before, 8)).toBeUndefined();
    expect(memo.driftedFrom(new Uint8Array(4), 7)).toBeUndefined();

    const c = compileScenario(sc);
    const state = createState(sc, 1, 50);
    const camp = sc.campaigns.findIndex((x) => x.relevance.terms.length > 0);
    const first = memo.truePatterns(c, camp, state.pop.traits, 50);
    expect(memo.truePatterns(c, camp, state.pop.traits, 50) === first).toBe(true);
    const copies = state.pop.traits.map((values) => values.slice());
    const fresh = memo.truePatterns(c, camp, copies, 50);
    expect(fresh === first).toBe(false);
    expect(fresh).toEqual(first);
    const other = compileScenario({ ...sc, campaigns: [...sc.campaigns].reverse() });
    expect(() => memo.truePatterns(other, camp, state.pop.traits, 50)).toThrow('A market memo was used with another scenario.');
  });
});
