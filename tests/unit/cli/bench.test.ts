/** The bench's heavy round and floor pass, at a small size (no timing is asserted). */
import { describe, expect, it } from 'vitest';
import { benchDecisions, floorPass } from '../../../src/cli/bench';
import { createState, playRound } from '../../../src/sim';
import { resolveDecisions } from '../../../src/sim/decisions';
import { workspaceFor } from '../../../src/sim/observe';
import { countReachable, defaultScenario, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 2000;

describe('bench', { timeout: SIM_TIMEOUT }, () => {
  const decisions = benchDecisions(sc, N);
  const state = createState(sc, 7, N);
  const { result } = playRound(sc, state, decisions);

  it('builds a valid heavy round for the default pack: every signal, six segments, eight campaigns', () => {
    expect(() => resolveDecisions(sc, 0, decisions, null, N)).not.toThrow();
    expect(decisions.signals).toEqual(sc.signals.map((s) => s.id));
    expect(decisions.segments).toHaveLength(6);
    expect(decisions.assignments).toHaveLength(8);
    for (const a of decisions.assignments) expect([a.budget, a.cap]).toEqual([3000, 5]); // 1,500 per 1,000 listeners
  });

  it('plays one round at 2,000 listeners with every segment reached', () => {
    expect(result.coverage).toHaveLength(12);
    for (const s of result.segments) expect(s.members, s.segment).toBeGreaterThan(0);
    for (const a of result.assignments) expect(a.impressions, `${a.campaign} → ${a.segment}`).toBeGreaterThan(0);
    expect(result.campaignImpressions + result.runOfNetworkImpressions).toBe(sc.market.adSlotsPerListener * countReachable(state));
    // The bench repeats the round from the same state: it must give the same round each time.
    expect(playRound(sc, state, decisions).result).toEqual(result);
  });

  it('reads every typed array of the population and the workspace once in its floor pass', () => {
    const p = state.pop;
    const ws = workspaceFor(p.count, p.traits.length);
    const sum = (a: ArrayLike<number>) => {
      let acc = 0;
      for (let i = 0; i < a.length; i++) acc += a[i]!;
      return acc;
    };
    const arrays = [p.trust, p.held, ws.membership, ws.readKey, ws.targetList, p.premium, p.os, p.attitude, p.agrees, p.status, ...p.traits, ...ws.observed, ...p.noise];
    const expected = arrays.reduce((acc, a) => acc + sum(a), 0);
    const floor = floorPass(state);
    expect(Number.isFinite(floor)).toBe(true);
    expect(floor).toBeGreaterThan(0);
    expect(Math.abs(floor - expected)).toBeLessThanOrEqual(1e-9 * expected);
  });
});
