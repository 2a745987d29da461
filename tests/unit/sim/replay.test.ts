import { describe, expect, it } from 'vitest';
import { createState, playPlan, playRound, previewRound, replay, stateFromJSON, stateToJSON, type SimState } from '../../../src/sim';
import { defaultScenario, examplePlan, SIM_TIMEOUT } from '../support';

const sc = defaultScenario();
const N = 10_000;
const plan = examplePlan('bundled-grey-zone').rounds;
const snapshot = (s: SimState) => JSON.stringify(stateToJSON(s));

describe('replay', { timeout: SIM_TIMEOUT }, () => {
  const played = playPlan(sc, 77, N, plan);

  it('reproduces every number of a game from its log of effective decisions', () => {
    // The plan states round 1 only; later rounds carry it over. The log holds what was in force.
    expect(plan).toHaveLength(1);
    const log = { seed: 77, listeners: N, rounds: played.results.map((r) => r.decisions) };
    expect(log.rounds).toHaveLength(4);
    const again = replay(sc, JSON.parse(JSON.stringify(log)) as typeof log);
    expect(again.results).toEqual(played.results);
    expect(again.score).toBe(played.score);
    expect(snapshot(again.state)).toBe(snapshot(played.state));
  });

  it('replays an unfinished game up to its last logged round', () => {
    const partial = replay(sc, { seed: 77, listeners: N, rounds: played.results.slice(0, 2).map((r) => r.decisions) });
    expect(partial.results).toEqual(played.results.slice(0, 2));
    expect(partial.state.round).toBe(2);
  });

  it('plays no more rounds than the scenario has', () => {
    const extra = replay(sc, { seed: 77, listeners: N, rounds: [...played.results.map((r) => r.decisions), played.results[0]!.decisions] });
    expect(extra.results).toHaveLength(4);
  });

  it('gives a different game for a different seed', () => {
    const other = playPlan(sc, 78, N, plan);
    expect(other.results[0]!.adRevenue).not.toBe(played.results[0]!.adRevenue);
    expect(other.score).not.toBe(played.score);
  });
});

describe('the state between rounds', { timeout: SIM_TIMEOUT }, () => {
  it('is never changed by playRound (a round is a pure function of its input)', () => {
    const state = createState(sc, 5, N);
    const before = snapshot(state);
    const everything = examplePlan('collect-everything-buried').rounds[0]!;
    const first = playRound(sc, state, everything);
    expect(snapshot(state)).toBe(before);
    // Playing the same round again from the same state gives the same round.
    expect(playRound(sc, state, everything).result).toEqual(first.result);
    const afterFirst = snapshot(first.state);
    playRound(sc, first.state, {});
    expect(snapshot(first.state)).toBe(afterFirst);
  });

  it('continues bit for bit after a JSON round trip', () => {
    const step1 = playRound(sc, createState(sc, 9, N), plan[0]!);
    const restored = stateFromJSON(JSON.parse(JSON.stringify(stateToJSON(step1.state))));
    expect(snapshot(restored)).toBe(snapshot(step1.state));
    expect(restored.pop.trust).toBeInstanceOf(Float32Array);
    expect(restored.pop.held).toBeInstanceOf(Uint32Array);
    const a = playRound(sc, step1.state, {});
    const b = playRound(sc, restored, {});
    expect(b.result).toEqual(a.result);
    expect(snapshot(b.state)).toBe(snapshot(a.state));
  });

  it('refuses a state of an unknown format', () => {
    const json = stateToJSON(createState(sc, 1, 100)) as { format: number };
    expect(() => stateFromJSON({ ...json, format: 99 })).toThrow('Unsupported simulation state format 99.');
  });
});

describe('previewRound', { timeout: SIM_TIMEOUT }, () => {
  it('shows the coverage, segment sizes and data cost of the round about to be played, without changing the state', () => {
    const state = playRound(sc, createState(sc, 21, N), plan[0]!).state; // round 2: moods drift first
    const before = snapshot(state);
    const preview = previewRound(sc, state, {});
    expect(snapshot(state)).toBe(before);
    const { result } = playRound(sc, state, {});
    expect(preview.coverage).toEqual(result.coverage);
    expect(preview.expectedDataCost).toBeCloseTo(result.dataCost, 9);
    expect(preview.segments).toEqual(result.segments.map((s) => ({ id: s.segment, members: s.members })));
    expect(preview.segments.every((s) => s.members > 0)).toBe(true);
    const heartbreak = preview.observed.find((o) => o.trait === 'mood')!;
    expect(heartbreak.byValue.heartbreak).toBe(preview.segments.find((s) => s.id === 'heartbroken')!.members);
    for (const o of preview.observed) {
      expect(o.correct).toBeLessThanOrEqual(o.observed);
      expect(o.observed).toBeLessThanOrEqual(preview.targetable);
    }
  });
});
