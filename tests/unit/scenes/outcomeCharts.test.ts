/** What the outcome charts show (the DOM tables print the same series) and where they sit. */
import { describe, expect, it } from 'vitest';
import { createState, playRound, type RoundResult } from '../../../src/sim';
import { adReactions, chartCard, niceScale, roundSeries, splitCard } from '../../../src/scenes/outcomeCharts';
import { defaultScenario, examplePlan } from '../support';

function playedRounds(plan: string, n: number): RoundResult[] {
  const scenario = defaultScenario();
  let state = createState(scenario, 42, 10_000);
  const results: RoundResult[] = [];
  const rounds = examplePlan(plan).rounds;
  for (let r = 0; r < n; r++) {
    // A round the plan leaves out keeps the previous round's decisions.
    const step = playRound(scenario, state, rounds[r] ?? {});
    state = step.state;
    results.push(step.result);
  }
  return results;
}

describe('outcome charts', () => {
  it('one point per round played, from the round results', () => {
    const results = playedRounds('collect-everything-buried', 2);
    const series = roundSeries(results);
    expect(series.map((p) => p.round)).toEqual([1, 2]);
    expect(series[1]).toEqual({ round: 2, revenue: results[1]!.adRevenue, profit: results[1]!.profit, trust: results[1]!.trustIndex, score: results[1]!.score.total });
  });

  it('reactions per ad: clicks, sales and creepy moments of the ads that were seen', () => {
    const [result] = playedRounds('collect-everything-buried', 1);
    const ads = adReactions(result!);
    expect(ads.length).toBeGreaterThan(0);
    for (const ad of ads) {
      const a = result!.assignments.find((x) => x.campaign === ad.campaign && x.segment === ad.segment)!;
      expect(a.impressions).toBeGreaterThan(0);
      expect([ad.clicks, ad.sales, ad.creepy]).toEqual([a.clicks, a.conversions, a.creepyExposures]);
    }
  });

  it('axes start at zero (or below for a loss) and end on a round step above the data', () => {
    expect(niceScale([794, 793])).toEqual({ min: 0, max: 800, step: 200 });
    expect(niceScale([1200, -340])).toEqual({ min: -500, max: 1500, step: 500 });
    expect(niceScale([])).toEqual({ min: 0, max: 0.5, step: 0.5 });
    const s = niceScale([37_400]);
    expect(s.max).toBeGreaterThanOrEqual(37_400);
    expect(s.min).toBe(0);
  });

  it('the card covers the park after a round and the whole area in the final report, inside the area', () => {
    const area = { x: 0, y: 80, width: 820, height: 600 };
    const results = chartCard(area, 'results', 13);
    const final = chartCard(area, 'final', 13);
    for (const card of [results, final]) {
      expect(card.x).toBeGreaterThanOrEqual(area.x);
      expect(card.y).toBeGreaterThanOrEqual(area.y);
      expect(card.x + card.width).toBeLessThanOrEqual(area.x + area.width);
      expect(card.y + card.height).toBeLessThanOrEqual(area.y + area.height);
    }
    expect(results.y).toBeGreaterThan(area.y + area.height * 0.4);
    expect(final.height).toBeGreaterThan(area.height * 0.9);
    const [a, b] = splitCard(results, 13);
    expect(a.y).toBe(b.y);
    expect(a.x + a.width).toBeLessThan(b.x);
  });
});
