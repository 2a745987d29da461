import { describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { encodeClassCode, packRef, type ClassSettings } from '../../../src/scores/classCode';
import { classProblems, defaultClassListeners, packsForClass, scenarioForClass, scenarioForCode } from '../../../src/scores/classPlay';
import { deriveGame, scoreFileFor } from '../../../src/store/game';
import type { LibraryPack } from '../../../src/store/packLibrary';
import { SESSION_VERSION, type SavedSession } from '../../../src/store/session';

const pack: LibraryPack = { ...readPack('lessons/tunestream-basics'), builtIn: true, origin: 'built-in' };
const other: LibraryPack = { ...readPack('lessons/ethics-responsibility'), builtIn: true, origin: 'built-in' };
const base: ClassSettings = { packRef: packRef(pack.pack.id, pack.pack.version), seed: 77, rounds: 2, listeners: 5_000, language: 'en', weights: { profit: 0.5, trust: 0.2, compliance: 0.2, segments: 0.1, quiz: 0 } };

describe('class play', () => {
  it('plays the first rounds of the pack with the class weights, as one scenario object per setting', () => {
    const s = scenarioForClass(pack.scenario, base);
    expect(s.rounds.map((r) => r.id)).toEqual(pack.scenario.rounds.slice(0, 2).map((r) => r.id));
    expect(s.scoring.weights).toEqual(base.weights);
    expect(scenarioForClass(pack.scenario, base)).toBe(s);
    expect(scenarioForClass(pack.scenario, { rounds: 4, weights: null })).toBe(pack.scenario);
    expect(scenarioForCode(pack.scenario, null)).toBe(pack.scenario);
    expect(() => scenarioForCode(pack.scenario, 'NOPE')).toThrow(/does not read/);
  });

  it('finds the pack a code means and explains settings that do not fit it', () => {
    expect(packsForClass(base, [other, pack])).toEqual([pack]);
    expect(classProblems(base, pack)).toEqual([]);
    expect(classProblems({ ...base, rounds: 9, weights: { ...base.weights!, profit: 0.9 } }, pack)).toEqual([
      { kind: 'rounds', max: 4 },
      { kind: 'weight', component: 'profit', min: 0.1, max: 0.6 },
    ]);
    expect(defaultClassListeners(pack)).toBe(10_000);
  });

  it('gives a class game its rounds and weights in the store, and the score file says so', () => {
    const code = encodeClassCode(base);
    const now = '2026-11-29T09:00:00.000Z';
    const saved: SavedSession = {
      version: SESSION_VERSION,
      pack: { id: pack.pack.id, version: pack.pack.version, hash: pack.hash, builtIn: true },
      seed: base.seed,
      listeners: base.listeners,
      classCode: code,
      nickname: 'Ana',
      rounds: [{ quiz: [] }, { quiz: [] }],
      draft: {},
      phase: 'final',
      startedAt: now,
      updatedAt: now,
    };
    const game = deriveGame(pack, saved);
    expect(game.scenario.rounds).toHaveLength(2);
    expect(game.results.map((r) => r.score.weights.profit)).toEqual([0.5, 0.5]);
    const file = scoreFileFor(game, '0.1.0', now);
    expect(file).toMatchObject({ classCode: code, complete: true, score: { weights: base.weights } });
  });
});
