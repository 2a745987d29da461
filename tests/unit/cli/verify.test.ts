/** `npm run simulate -- --export` and `npm run verify`, run as a teacher would. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeClassCode, packRef } from '../../../src/scores/classCode';
import type { ScoreFile } from '../../../src/scores/scoreFile';
import { cli } from './run';

const PACK = 'lessons/tunestream-basics';
const SLOW = 120_000;
const CODE = encodeClassCode({ packRef: packRef('tunestream-basics', '1.0.0'), seed: 31337, rounds: 2, listeners: 10_000, language: 'es', weights: null });
const dir = mkdtempSync(join(tmpdir(), 'tt-verify-'));
const path = (name: string) => join(dir, name);

describe('simulate --export and verify', { timeout: SLOW }, () => {
  beforeAll(async () => {
    const runs = await Promise.all([
      cli('src/cli/simulate.ts', ['--pack', PACK, '--plan', `${PACK}/plans/transparent-relevant.json`, '--class', CODE, '--export', path('ana.json'), '--nickname', 'Ana']),
      cli('src/cli/simulate.ts', ['--pack', PACK, '--plan', `${PACK}/plans/untargeted.json`, '--seed', '5', '--export', path('solo.json')]),
    ]);
    for (const r of runs) expect(r.stderr).toBe('');
    const ana = JSON.parse(readFileSync(path('ana.json'), 'utf8')) as ScoreFile;
    writeFileSync(path('ana-edited.json'), JSON.stringify({ ...ana, rounds: ana.rounds.map((r, k) => (k === 1 ? { ...r, profit: r.profit + 500 } : r)) }));
    writeFileSync(path('garbage.json'), '{"format": "tracks-and-targets/score", "formatVersion": 2,');
  }, SLOW);

  it('writes a score file of the class game: its code, market, rounds and the nickname', () => {
    const ana = JSON.parse(readFileSync(path('ana.json'), 'utf8')) as ScoreFile;
    expect(ana).toMatchObject({ format: 'tracks-and-targets/score', classCode: CODE, nickname: 'Ana', complete: true, replay: { seed: 31337, listeners: 10_000 } });
    expect(ana.rounds).toHaveLength(2);
  });

  it('prints one line per file and exits 1 when any is not ok', async () => {
    const r = await cli('src/cli/verify.ts', [dir, '--class', CODE.toLowerCase()]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/ana-edited\.json: edited: rounds\[1\]\.profit \(file says [\d.-]+, replay gives [\d.-]+\)$/),
      expect.stringMatching(/ana\.json: ok \("Ana", score [\d.]+\)$/),
      expect.stringMatching(/garbage\.json: invalid: not valid JSON .*ends too early/),
      expect.stringMatching(/solo\.json: wrong class \(no class code\)$/),
      '1 of 4 file(s) ok',
    ]);
    expect(r.stderr).toBe('');
  });

  it('exits 0 when every file is ok, and explains a mistyped class code', async () => {
    const ok = await cli('src/cli/verify.ts', [path('ana.json'), path('solo.json')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('2 of 2 file(s) ok');
    const typo = CODE.slice(0, -1) + (CODE.endsWith('0') ? '1' : '0');
    const bad = await cli('src/cli/verify.ts', [path('ana.json'), '--class', typo]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^--class .*: not a valid class code/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a class code for another pack, and --seed with --class', async () => {
    const other = await cli('src/cli/simulate.ts', ['--pack', 'lessons/ethics-responsibility', '--plan', `${PACK}/plans/untargeted.json`, '--class', CODE]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/this class plays another pack/);
    const both = await cli('src/cli/simulate.ts', ['--pack', PACK, '--plan', `${PACK}/plans/untargeted.json`, '--class', CODE, '--seed', '3']);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/leave out --seed/);
  });
});
