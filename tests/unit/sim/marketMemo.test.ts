import { describe, expect, it } from 'vitest';
import { createState, MarketMemo, playPlan, playRound, replay, stateToJSON, type SimState } from '../../../src/sim';
import { compileScenario } from '../../../src/sim/compiled';
import { defaultScenario, examplePlans, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;
const snapshot = (s: SimState) => JSON.stringify(stateToJSON(s));
const moods = (s: SimState) => s.pop.traits.filter((_, t) => sc.population.traits[t]!.changeEachRound > 0);
const market = (memo = new MarketMemo(sc, 404, N)) => ({ start: createState(sc, 404, N), memo });

describe('a market memo shared by the replays of one market', { timeout: SIM_TIMEOUT }, () => {
  // The example plans decide differently: every replay after the first reuses the memo.
  const plans = examplePlans().map((p) => p.rounds);
  const logs = plans.map((plan) => {
    const played = playPlan(sc, 404, N, plan);
    return { log: { seed: 404, listeners: N, rounds: played.results.map((r) => r.decisions) }, played };
  });

  it('changes no number of any game', () => {
    expect(plans.length).toBeGreaterThanOrEqual(3);
    const shared = market();
    // Twice over, so that the first game also replays from a memo that knows everything; and
    // unfinished games (their later rounds are drawn by the next games).
    for (const { log, played } of [...logs, ...logs]) {
      const again = replay(sc, log, shared);
      expect(again.results).toEqual(played.results);
      expect(snapshot(again.state)).toBe(snapshot(played.state));
      expect(replay(sc, { ...log, rounds: log.rounds.slice(0, 2) }, shared).results).toEqual(played.results.slice(0, 2));
    }
  });

  it('changes no number of a played plan, one that leaves rounds undecided too (as the pack smoke test plays them)', () => {
    const shared = market();
    for (const plan of [[], ...plans]) {
      const played = plan.length > 0 ? logs[plans.indexOf(plan)]!.played : playPlan(sc, 404, N, plan);
      const again = playPlan(sc, 404, N, plan, shared);
      expect(again.results).toEqual(played.results);
      expect(snapshot(again.state)).toBe(snapshot(played.state));
    }
    // The games drew their moods from the memo.
    const [a, b] = [[], plans[0]!].map((plan) => playPlan(sc, 404, N, plan, shared).state);
    expect(moods(a!).every((values, k) => values === moods(b!)[k])).toBe(true);
  });

  it('gives the same games when it has no room left (what it cannot keep is worked out again)', () => {
    const full = market(new MarketMemo(sc, 404, N, 0));
    for (const { log, played } of logs) expect(replay(sc, log, full).results).toEqual(played.results);
    const [a, b] = logs.map(({ log }) => replay(sc, log, full).state);
    expect(moods(a!).some((values, k) => values === moods(b!)[k])).toBe(false);
  });

  it('draws each round’s moods once for every game on the market', () => {
    const shared = market();
    const [a, b] = logs.map(({ log }) => replay(sc, log, shared).state);
    expect(moods(a!).length).toBeGreaterThan(0);
    expect(moods(a!).every((values, k) => values === moods(b!)[k])).toBe(true);
    // Without a memo each game draws its own (equal) arrays.
    const c = replay(sc, logs[0]!.log).state;
    expect(moods(c).some((values, k) => values === moods(a!)[k])).toBe(false);
    expect(moods(c)).toEqual(moods(a!));
  });

  it('finds a drift only under the round key it was drawn with, and patterns only for the very arrays they were made from', () => {
    const memo = new MarketMemo(sc, 1, 50);
    const before = new Uint8Array(4);
    const after = Uint8Array.of(1, 0, 1, 0);
    memo.rememberDrift(before, 7, after);
    expect(memo.driftedFrom(before, 7) === after).toBe(true);
    expect(memo.driftedFrom(before, 8)).toBeUndefined();
    expect(memo.driftedFrom(new Uint8Array(4), 7)).toBeUndefined();

    const c = compileScenario(sc);
    const state = createState(sc, 1, 50);
    const camp = sc.campaigns.findIndex((x) => x.relevance.terms.length > 0);
    const first = memo.truePatterns(c, camp, state.pop.traits);
    expect(memo.truePatterns(c, camp, state.pop.traits) === first).toBe(true);
    const copies = state.pop.traits.map((values) => values.slice());
    const fresh = memo.truePatterns(c, camp, copies);
    expect(fresh === first).toBe(false);
    expect(fresh).toEqual(first);
  });

  it('belongs to one market: a round on another scenario, seed or listener count refuses it', () => {
    const memo = new MarketMemo(sc, 404, N);
    const problem = 'A market memo was given for another market (scenario, seed or listener count).';
    expect(() => playRound({ ...sc }, createState(sc, 404, N), {}, { memo })).toThrow(problem);
    expect(() => playRound(sc, createState(sc, 405, N), {}, { memo })).toThrow(problem);
    expect(() => playRound(sc, createState(sc, 404, N - 1), {}, { memo })).toThrow(problem);
    expect(playRound(sc, createState(sc, 404, N), {}, { memo }).result.round).toBe(0);
  });
});
