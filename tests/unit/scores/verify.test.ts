import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { encodeClassCode, packRef } from '../../../src/scores/classCode';
import { scoreFileForPlan } from '../../../src/scores/playScore';
import { scoreFileText, type ScoreFile } from '../../../src/scores/scoreFile';
import { firstDifference, reasonText, verdictLine, verifyScoreText } from '../../../src/scores/verify';
import { examplePlan } from '../support';

const pack = readPack('lessons/tunestream-basics');
const other = readPack('lessons/segmentation-positioning');
const packs = [pack, other];
const classCode = encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed: 4242, rounds: 3, listeners: 10_000, language: 'en', weights: { profit: 0.4, trust: 0.2, compliance: 0.2, segments: 0.1, quiz: 0.1 } });
const meta = { appVersion: '0.1.0', nickname: 'Ana', startedAt: '2026-11-29T08:00:00.000Z', exportedAt: '2026-11-29T08:30:00.000Z' };
const plan = examplePlan('transparent-relevant').rounds;
const classFile = scoreFileForPlan(pack, plan, { ...meta, classCode, seed: 4242, listeners: 10_000 });
const soloFile = scoreFileForPlan(pack, examplePlan('untargeted').rounds, { ...meta, classCode: null, seed: 7, listeners: 10_000 });
const text = (f: ScoreFile) => scoreFileText(f);
const verify = (f: ScoreFile | string, expected: string | null = null) => verifyScoreText('ana.json', typeof f === 'string' ? f : text(f), packs, expected);

/** Paths of every number the file reports (outside the replay log and the metadata). */
function reportedNumbers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => reportedNumbers(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return [];
}
const numberPaths = [...reportedNumbers(classFile.rounds, ['rounds']), ...reportedNumbers(classFile.score, ['score']), ...reportedNumbers(classFile.replay.seed, ['replay', 'seed'])];

function setAt(file: ScoreFile, path: (string | number)[], change: (x: number) => number): ScoreFile {
  const copy = JSON.parse(JSON.stringify(file)) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  cur[last] = change(cur[last] as number);
  return copy as unknown as ScoreFile;
}

describe('verifying score files by replay', () => {
  it('accepts an untouched file, with or without a class', () => {
    expect(classFile.rounds).toHaveLength(3);
    expect(classFile.complete).toBe(true);
    expect(classFile.score.weights.profit).toBe(0.4);
    expect(verify(classFile, classCode).status).toBe('ok');
    expect(verify(soloFile).status).toBe('ok');
    expect(soloFile.rounds).toHaveLength(pack.scenario.rounds.length);
  });

  it('flags a change to any reported number, naming the first differing field', () => {
    expect(numberPaths.length).toBeGreaterThan(60);
    fc.assert(
      fc.property(fc.constantFrom(...numberPaths), fc.constantFrom(-1, 1, 0.5, 1e-9, 100), (path, delta) => {
        const edited = setAt(classFile, path, (x) => x + delta);
        const v = verify(edited, classCode);
        if (path[0] === 'replay') {
          // A changed seed no longer matches the class code (or is not a seed at all).
          expect(v.status).toMatch(/^(edited|invalid)$/);
          return;
        }
        expect(v.status).toBe('edited');
        if (v.status === 'edited') expect(v.field).toBe(path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join(''));
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('flags a higher score with the figure it changed', () => {
    const edited = { ...classFile, score: { ...classFile.score, total: 99 } };
    const v = verify(edited, classCode);
    expect(v).toMatchObject({ status: 'edited', field: 'score.total', claimed: 99, replayed: classFile.score.total });
    expect(verdictLine(v)).toMatch(/^ana\.json: edited: score\.total \(file says 99, replay gives [\d.]+\)$/);
  });

  it('flags changed decisions, a changed flag list and a class code that does not match the market', () => {
    const moreBudget = JSON.parse(text(classFile)) as ScoreFile;
    moreBudget.replay.rounds[0] = { ...moreBudget.replay.rounds[0], signals: ['account_profile'] };
    expect(verify(moreBudget, classCode).status).toBe('edited');
    const buried = scoreFileForPlan(pack, examplePlan('collect-everything-buried').rounds, { ...meta, classCode: null, seed: 7, listeners: 10_000 });
    expect(buried.rounds[0]!.flags.length).toBeGreaterThan(0);
    expect(verify({ ...buried, rounds: buried.rounds.map((r, k) => (k === 0 ? { ...r, flags: [] } : r)) })).toMatchObject({ status: 'edited', field: 'rounds[0].flags[0]' });
    const otherSeed = { ...classFile, replay: { ...classFile.replay, seed: 4243 } };
    expect(verify(otherSeed, classCode)).toMatchObject({ status: 'edited', field: 'replay.seed' });
  });

  it('flags a file from another class, or from no class, when a class is expected', () => {
    const otherClass = encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed: 1, rounds: 4, listeners: 10_000, language: 'en', weights: null });
    expect(verify(classFile, otherClass)).toMatchObject({ status: 'wrongClass', classCode });
    expect(verify(soloFile, otherClass)).toMatchObject({ status: 'wrongClass', classCode: null });
    // The code may be typed in lower case with spaces.
    expect(verify(classFile, classCode.toLowerCase().replace(/-/g, ' ')).status).toBe('ok');
  });

  it('explains unreadable, foreign, truncated, huge and hostile files', () => {
    const reason = (f: string) => {
      const v = verify(f);
      expect(v.status).toBe('invalid');
      return v.status === 'invalid' ? reasonText(v.reason) : '';
    };
    const t = text(classFile);
    expect(reason(t.slice(0, t.length / 2))).toMatch(/ends too early/);
    expect(reason('')).toMatch(/empty/);
    expect(reason('{"hello": 1}')).toMatch(/not a Tracks & Targets score file/);
    expect(reason(`${' '.repeat(5 * 1024 * 1024)}{}`)).toMatch(/larger than 5 MB/);
    expect(reason(t.replace('"formatVersion": 2', '"formatVersion": 9'))).toMatch(/newer version/);
    expect(reason(t.replace('"nickname": "Ana",', '"nickname": "Ana", "__proto__": {"polluted": true},'))).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const million = JSON.parse(t) as { replay: { rounds: unknown[] } };
    million.replay.rounds = Array.from({ length: 1_000_000 }, () => ({}));
    expect(reason(JSON.stringify(million))).toMatch(/replay\.rounds.*12/);
    expect(reason(t.replace(/"id": "tunestream-basics"/, '"id": "no-such-pack"'))).toMatch(/pack "no-such-pack" version .* is not loaded/);
    expect(reason(t.replace(/"hash": "sha256:[0-9a-f]+"/, `"hash": "sha256:${'0'.repeat(64)}"`))).toMatch(/another copy of pack "tunestream-basics"/);
  });

  it('treats HTML in a nickname as text (the file still verifies)', () => {
    const html = scoreFileForPlan(pack, plan, { ...meta, nickname: '<img src=x onerror=alert(1)>', classCode, seed: 4242, listeners: 10_000 });
    const v = verify(html, classCode);
    expect(v.status).toBe('ok');
    expect(verdictLine(v)).toContain('"<img src=x onerror=alert(1)>"');
  });

  it('finds the first difference between two JSON values', () => {
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toEqual({ path: 'a[1].b', claimed: 2, replayed: 3 });
    expect(firstDifference({ a: 1, extra: true }, { a: 1 })).toEqual({ path: 'extra', claimed: true, replayed: undefined });
    expect(firstDifference([1, 2], [1, 2])).toBeNull();
  });
});
