import { describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { scoreCsv, SCORE_CSV_HEADER, toCsv, xapiStatements } from '../../../src/scores/exports';
import { scoreFileForPlan } from '../../../src/scores/playScore';
import { examplePlan } from '../support';

const pack = readPack('lessons/tunestream-basics');
const meta = { appVersion: '0.1.0', classCode: null, startedAt: '2026-11-29T08:00:00.000Z', exportedAt: '2026-11-29T08:30:00.000Z', seed: 3, listeners: 10_000 };
const full = scoreFileForPlan(pack, examplePlan('transparent-relevant').rounds, { ...meta, nickname: 'Ana' });

describe('CSV exports', () => {
  it('write one header and one row with the score and its parts', () => {
    const lines = scoreCsv(full).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(SCORE_CSV_HEADER.join(','));
    expect(lines[1]).toMatch(new RegExp(`^Ana,,tunestream-basics,1\\.0\\.0,4,yes,${Math.round(full.score.total * 10) / 10},`));
    expect(lines[2]).toBe('');
  });

  it('quote commas, quotes and line breaks, and defuse spreadsheet formulae', () => {
    const text = toCsv(['a', 'b'], [['=HYPERLINK("http://x")', 'x, "y"\nz'], ['+1', '-2']]);
    expect(text).toBe(`a,b\r\n"'=HYPERLINK(""http://x"")","x, ""y""\nz"\r\n"'+1","'-2"\r\n`);
  });
});

describe('xAPI statements', () => {
  it('say "completed" for each round and for the whole scenario, scaled 0–1, for an anonymous account', () => {
    const statements = xapiStatements(full, 'https://school.example/tt/') as {
      id: string;
      actor: { objectType: string; account: { homePage: string; name: string }; mbox?: string };
      verb: { id: string };
      object: { id: string };
      result: { score: { scaled: number; raw: number; min: number; max: number } };
      timestamp: string;
    }[];
    expect(statements).toHaveLength(5);
    for (const s of statements) {
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://school.example/tt/', name: 'Ana' } });
      expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/completed');
      expect(s.result.score.scaled).toBeGreaterThanOrEqual(0);
      expect(s.result.score.scaled).toBeLessThanOrEqual(1);
      expect(s.timestamp).toBe(meta.exportedAt);
    }
    expect(new Set(statements.map((s) => s.id)).size).toBe(5);
    expect(statements.slice(0, 4).map((s) => s.object.id)).toEqual([1, 2, 3, 4].map((r) => `urn:tracks-and-targets:pack:tunestream-basics:1.0.0:round:${r}`));
    expect(statements[4]!.object.id).toBe('urn:tracks-and-targets:pack:tunestream-basics:1.0.0');
    expect(statements[4]!.result.score.scaled).toBeCloseTo(full.score.total / 100, 3);
    // The same file always gives the same statement ids (a re-import does not duplicate them).
    expect((xapiStatements(full, 'https://school.example/tt/') as { id: string }[]).map((s) => s.id)).toEqual(statements.map((s) => s.id));
  });

  it('leave out the scenario statement while the game is unfinished', () => {
    const partial = { ...full, complete: false, rounds: full.rounds.slice(0, 2) };
    expect(xapiStatements(partial, 'https://school.example/')).toHaveLength(2);
  });
});
