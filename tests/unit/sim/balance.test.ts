/**
 * Balance of the default pack (DESIGN.md, "Balance — the game must stay interesting"): the example
 * plans of lessons/tunestream-basics/plans, played over many seeds, must keep their orderings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { playPlan } from '../../../src/sim';
import { defaultScenario, examplePlans, SIM_TIMEOUT } from '../support';

const SEEDS = Array.from({ length: 12 }, (_, k) => 1001 + k);
const LISTENERS = 10_000;

interface PlanStats {
  revenueRound1: number;
  score: number;
  profit: number;
  creepy: number;
  harmed: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('balance of lessons/tunestream-basics over 12 seeds × 4 rounds × 10,000 listeners', { timeout: SIM_TIMEOUT }, () => {
  const stats: Record<string, PlanStats> = {};

  beforeAll(() => {
    const sc = defaultScenario();
    for (const plan of examplePlans()) {
      const games = SEEDS.map((seed) => playPlan(sc, seed, LISTENERS, plan.rounds));
      stats[plan.name] = {
        revenueRound1: mean(games.map((g) => g.results[0]!.adRevenue)),
        score: mean(games.map((g) => g.score)),
        profit: mean(games.map((g) => g.results.reduce((a, r) => a + r.profit, 0))),
        creepy: mean(games.map((g) => g.results.reduce((a, r) => a + r.creepyExposures, 0))),
        harmed: mean(games.map((g) => g.results.reduce((a, r) => a + r.harmedListeners, 0))),
      };
    }
  }, 180_000);

  const others = (name: string) => Object.keys(stats).filter((k) => k !== name);

  it('plays the four example plans from the pack’s plans folder', () => {
    expect(Object.keys(stats).sort()).toEqual(['bundled-grey-zone', 'collect-everything-buried', 'transparent-relevant', 'untargeted']);
    for (const s of Object.values(stats)) expect(s.revenueRound1).toBeGreaterThan(0);
  });

  it('untargeted ads earn the least round-1 ad revenue', () => {
    for (const name of others('untargeted')) expect(stats[name]!.revenueRound1, name).toBeGreaterThan(stats.untargeted!.revenueRound1);
  });

  it('relevant, non-sensitive targeting with clear opt-in beats untargeted on total score', () => {
    expect(stats['transparent-relevant']!.score).toBeGreaterThan(stats.untargeted!.score);
  });

  it('collect everything, bury consent, target vulnerable moments: most round-1 revenue, and the lowest total score', () => {
    const exploit = stats['collect-everything-buried']!;
    for (const name of others('collect-everything-buried')) {
      expect(exploit.revenueRound1, name).toBeGreaterThan(stats[name]!.revenueRound1);
      expect(exploit.score, name).toBeLessThan(stats[name]!.score);
    }
  });

  it('the bundled grey zone earns more profit than transparent targeting, with more creepy exposures and no harm tag hit', () => {
    const grey = stats['bundled-grey-zone']!;
    const transparent = stats['transparent-relevant']!;
    expect(grey.profit).toBeGreaterThan(transparent.profit);
    expect(grey.creepy).toBeGreaterThan(transparent.creepy);
    expect(grey.harmed).toBe(0);
    expect(transparent.harmed).toBe(0);
    expect(stats['collect-everything-buried']!.harmed).toBeGreaterThan(0);
  });
});
