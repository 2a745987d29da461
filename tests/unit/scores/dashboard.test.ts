import { zipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readPack } from '../../../src/cli/cliSupport';
import { createI18n } from '../../../src/i18n';
import { encodeClassCode, packRef } from '../../../src/scores/classCode';
import { scoreFileForPlan } from '../../../src/scores/playScore';
import { scoreFileText, type ScoreFile } from '../../../src/scores/scoreFile';
import { verifyScoreText, type InvalidReason } from '../../../src/scores/verify';
import type { PlainDecisions } from '../../../src/sim';
import {
  byPack,
  choiceShares,
  commonHarms,
  discussionSignal,
  feedbackOf,
  gradebookCsv,
  histogram,
  mergeDuplicates,
  quizResults,
  sortStudents,
  summaryCsv,
  verifiedOnly,
  type Verified,
} from '../../../src/ui/dashboard/classReport';
import { verifyBatch, type FileVerdict, type VerifyMessage } from '../../../src/ui/dashboard/verifyBatch';
import { examplePlan, SIM_TIMEOUT } from '../support';

const pack = readPack('lessons/tunestream-basics');
const code = (seed: number) => encodeClassCode({ packRef: packRef(pack.pack.id, pack.pack.version), seed, rounds: 4, listeners: 10_000, language: 'en', weights: null });
const CLASS = code(31337);
const OTHER = code(42);
const meta = { appVersion: '0.1.0', startedAt: '2026-03-02T09:00:00.000Z', exportedAt: '2026-03-02T09:40:00.000Z' };

/** A plan's first round, with quiz answers for the four rounds. */
function plan(name: string, quiz: number[]): Partial<PlainDecisions>[] {
  const first = examplePlan(name).rounds[0]!;
  return quiz.map((answer, r) => (r === 0 ? { ...first, quiz: [answer] } : { quiz: [answer] }));
}

const ana = scoreFileForPlan(pack, plan('transparent-relevant', [2, 0, 1, 0]), { ...meta, nickname: 'Ana', classCode: CLASS, seed: 31337, listeners: 10_000 });
const ben = scoreFileForPlan(pack, plan('collect-everything-buried', [0, 0, 0, 0]), { ...meta, nickname: '=Ben', classCode: CLASS, seed: 31337, listeners: 10_000 });
const cleo = scoreFileForPlan(pack, plan('untargeted', [2, 1, 0, 0]), { ...meta, nickname: 'Cleo', classCode: OTHER, seed: 42, listeners: 10_000 });
const edited: ScoreFile = { ...ana, nickname: 'Dan', score: { ...ana.score, total: 99 } };
const bytes = (f: ScoreFile | string) => new TextEncoder().encode(typeof f === 'string' ? f : scoreFileText(f));

function verify(uploads: { name: string; bytes: Uint8Array }[], expectedClass: string | null = CLASS) {
  const messages: VerifyMessage[] = [];
  verifyBatch({ job: 1, uploads, packs: [pack], expectedClass }, (m) => messages.push(m));
  const verdicts = messages.flatMap((m) => (m.type === 'verdict' ? [{ ...m.verdict, upload: m.upload }] : []));
  return { messages, verdicts };
}

describe('verifying a batch of uploads (the worker’s job)', () => {
  it(
    'verifies good files, flags edited, other-class and broken ones, and reads zips within limits',
    () => {
      const zip = zipSync({ 'class/ana.json': bytes(ana), 'class/notes.txt': bytes('hello'), '__MACOSX/._ana.json': bytes('junk'), 'class/inner.zip': zipSync({ 'x.json': bytes('{}') }) });
      const { messages, verdicts } = verify([
        { name: 'ben.json', bytes: bytes(ben) },
        { name: 'dan.json', bytes: bytes(edited) },
        { name: 'cleo.json', bytes: bytes(cleo) },
        { name: 'garbage.json', bytes: bytes('{"format": "tracks-and-targets/score", "nick') },
        { name: 'huge.json', bytes: new Uint8Array(5 * 1024 * 1024 + 1) },
        { name: 'class.zip', bytes: zip },
        { name: 'evil.zip', bytes: zipSync({ '../../etc/passwd.json': bytes('{}') }) },
      ]);
      expect(messages[0]).toEqual({ job: 1, type: 'total', total: 9 });
      expect(messages.at(-1)).toEqual({ job: 1, type: 'done' });
      const by = (name: string) => verdicts.find((v) => v.name === name)!;
      expect(by('ben.json')).toMatchObject({ status: 'ok', upload: 0, scenarioRounds: 4 });
      expect(by('ben.json')).not.toHaveProperty('scenario');
      expect(by('dan.json')).toMatchObject({ status: 'edited', field: 'score.total', claimed: 99 });
      expect(by('cleo.json')).toMatchObject({ status: 'wrongClass', classCode: OTHER });
      expect(by('garbage.json')).toMatchObject({ status: 'invalid', reason: { kind: 'notJson', why: 'truncated' } });
      expect(by('huge.json')).toMatchObject({ status: 'invalid', reason: { kind: 'upload', problem: 'tooLarge' }, upload: 4 });
      expect(by('class.zip/class/ana.json')).toMatchObject({ status: 'ok', upload: 5 });
      expect(by('class.zip/class/notes.txt')).toMatchObject({ status: 'invalid', reason: { kind: 'upload', problem: 'notScoreFile' } });
      expect(by('class.zip/class/inner.zip')).toMatchObject({ status: 'invalid', reason: { kind: 'upload', problem: 'nestedZip' } });
      expect(by('evil.zip')).toMatchObject({ status: 'invalid', reason: { kind: 'upload', problem: 'zipRefused', detail: expect.stringContaining('climbs out') } });
      // What the worker posts survives structured cloning.
      expect(structuredClone(verdicts)).toEqual(verdicts);
    },
    SIM_TIMEOUT,
  );

  it(
    'leaves out entries over 5 MB unread, and refuses a zip bomb',
    () => {
      const zeros = new Uint8Array(4 * 1024 * 1024 + 1);
      const big = zipSync({ 'a.json': new Uint8Array(5 * 1024 * 1024 + 1) }, { level: 1 });
      expect(verify([{ name: 'big.zip', bytes: big }]).verdicts).toMatchObject([{ name: 'big.zip/a.json', status: 'invalid', reason: { kind: 'upload', problem: 'tooLarge' } }]);
      const bomb = zipSync(Object.fromEntries(Array.from({ length: 25 }, (_, k) => [`f${k}.json`, zeros])), { level: 1 });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      expect(verify([{ name: 'bomb.zip', bytes: bomb }]).verdicts).toMatchObject([{ status: 'invalid', reason: { kind: 'upload', problem: 'zipRefused', detail: expect.stringContaining('zip bomb') } }]);
    },
    SIM_TIMEOUT,
  );
});

/** A verified verdict for the pure functions, from a real file (no replay needed for them). */
function ok(file: ScoreFile, name = `${file.nickname}.json`, results: Verified['results'] = []): Verified {
  return { name, status: 'ok', file, results, scenarioRounds: 4 };
}
const later = (file: ScoreFile, exportedAt: string): ScoreFile => ({ ...file, exportedAt });
const fewer = (file: ScoreFile, n: number): ScoreFile => ({ ...file, rounds: file.rounds.slice(0, n), replay: { ...file.replay, rounds: file.replay.rounds.slice(0, n) }, complete: false });

describe('merging duplicates', () => {
  it('keeps one row per game: the file with the most rounds, then the latest export', () => {
    const garbage: FileVerdict = { name: 'x.json', status: 'invalid', reason: { kind: 'notScoreFile' } };
    const rows = mergeDuplicates([
      ok(fewer(ana, 2), 'ana-early.json'),
      ok(ana, 'ana-final.json'),
      ok(later(ana, '2026-03-02T08:00:00.000Z'), 'ana-copy.json'),
      garbage,
      garbage,
      ok(ben),
      ok({ ...ben, startedAt: '2026-03-03T09:00:00.000Z' }, 'ben-second-game.json'),
      { name: 'ben-edit.json', status: 'edited', file: later(ben, '2026-03-02T10:00:00.000Z'), field: 'score.total', claimed: 99, replayed: 50 },
    ]);
    expect(rows.map((r) => [r.verdict.name, r.merged])).toEqual([
      ['ana-final.json', ['ana-early.json', 'ana-copy.json']],
      ['x.json', []],
      ['x.json', []],
      // Same rounds, exported later: the edited file is the one that counts (and it is flagged).
      ['ben-edit.json', ['=Ben.json']],
      ['ben-second-game.json', []],
    ]);
  });

  it('reads class codes the way people type them when matching', () => {
    const sloppy = { ...ana, classCode: CLASS.toLowerCase().replace(/-/g, ' ') };
    expect(mergeDuplicates([ok(ana), ok(sloppy, 'b.json')])).toHaveLength(1);
  });
});

describe('class statistics', () => {
  const students = [ok(ana), ok(ben), ok(cleo)];

  it('sorts by a column, rows without a value last either way', () => {
    const rows = mergeDuplicates([...students, { name: 'z.json', status: 'invalid', reason: { kind: 'notScoreFile' } }, { name: 'dan.json', status: 'edited', file: edited, field: 'score.total', claimed: 99, replayed: 1 }]);
    const byScore = [ana, ben, cleo].sort((a, b) => b.score.total - a.score.total).map((f) => f.nickname);
    expect(sortStudents(rows, 'score', 'descending', 'en').map((r) => r.verdict.name)).toEqual([...byScore.map((n) => `${n}.json`), 'z.json', 'dan.json']);
    expect(sortStudents(rows, 'score', 'ascending', 'en').slice(0, 3).map((r) => r.verdict.name)).toEqual([...byScore].reverse().map((n) => `${n}.json`));
    expect(sortStudents(rows, 'nickname', 'ascending', 'en').map((r) => r.verdict.name)).toEqual(['=Ben.json', 'Ana.json', 'Cleo.json', 'dan.json', 'z.json']);
    expect(sortStudents(rows, 'status', 'ascending', 'en').map((r) => r.verdict.status)).toEqual(['ok', 'ok', 'ok', 'edited', 'invalid']);
  });

  it('bins scores by ten points, 100 in the last bin', () => {
    const bins = histogram([0, 9.99, 10, 55, 100, 99.5]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(bins[9]).toEqual({ from: 90, to: 100, count: 2 });
  });

  const decisions = (signals: string[], consent: string, consentBySignal: Record<string, string> = {}, quiz: number[] = []): PlainDecisions => ({ signals, consent, consentBySignal, segments: [], assignments: [], quiz });
  const round = (d: PlainDecisions, extra: object = {}) => ({ decisions: d, harms: [], flags: [], ...extra }) as unknown as Verified['results'][number];

  it('counts the signals and consent designs each student chose at least once', () => {
    const a = ok(ana, 'a', [round(decisions(['precise_location', 'searches'], 'buried')), round(decisions(['precise_location'], 'buried'))]);
    const b = ok(ben, 'b', [round(decisions(['searches', 'voice'], 'clear_opt_in', { voice: 'bundled' }))]);
    const c = ok(cleo, 'c', [round(decisions([], 'bundled'))]);
    const { signals, consents } = choiceShares([a, b, c], ['searches', 'precise_location', 'voice', 'data_broker'], ['clear_opt_in', 'bundled', 'buried']);
    expect(signals).toEqual([
      { id: 'searches', students: 2, share: 2 / 3 },
      { id: 'precise_location', students: 1, share: 1 / 3 },
      { id: 'voice', students: 1, share: 1 / 3 },
      { id: 'data_broker', students: 0, share: 0 },
    ]);
    // Cleo collected nothing, so her round's design asked for nothing.
    expect(consents.map((x) => [x.id, x.students])).toEqual([
      ['clear_opt_in', 1],
      ['bundled', 1],
      ['buried', 1],
    ]);
  });

  it('starts the discussion with the most collected sensitive signal, else the most collected', () => {
    const share = (id: string, students: number) => ({ id, students, share: students / 4 });
    const signals = [share('profile', 4), share('searches', 3), share('precise_location', 2), share('voice', 2), share('data_broker', 0)];
    expect(discussionSignal(signals, new Set(['precise_location', 'voice', 'data_broker']))?.id).toBe('precise_location');
    // Nobody bought broker data, so the line falls back to what the class did collect.
    expect(discussionSignal(signals, new Set(['data_broker']))?.id).toBe('profile');
    expect(discussionSignal([share('profile', 0)], new Set())).toBeUndefined();
  });

  it('ranks harms and flags by how many students had them', () => {
    const harm = (tag: string, listeners: number) => ({ campaign: 'x', tag, trait: 'mood', values: ['sad'], listeners });
    const a = ok(ana, 'a', [round(decisions([], 'bundled'), { harms: [harm('vulnerableMoment', 10)], flags: ['invalidConsent'] }), round(decisions([], 'bundled'), { harms: [harm('vulnerableMoment', 5)], flags: ['invalidConsent'] })]);
    const b = ok(ben, 'b', [round(decisions([], 'bundled'), { harms: [harm('vulnerableMoment', 1), harm('ageRestricted', 7)], flags: [] })]);
    expect(commonHarms([a, b])).toEqual([
      { kind: 'harm', id: 'vulnerableMoment', students: 2, listeners: 16 },
      { kind: 'harm', id: 'ageRestricted', students: 1, listeners: 7 },
      { kind: 'flag', id: 'invalidConsent', students: 1, listeners: 0 },
    ]);
  });

  it('scores each quiz question per round', () => {
    const a = ok(ana, 'a', [round(decisions([], 'x', {}, [2])), round(decisions([], 'x', {}, [0]))]);
    const b = ok(ben, 'b', [round(decisions([], 'x', {}, [1]))]);
    expect(quizResults([a, b], [[2], [0], [1]])).toEqual([
      { round: 0, question: 0, answered: 2, correct: 1 },
      { round: 1, question: 0, answered: 1, correct: 1 },
      { round: 2, question: 0, answered: 0, correct: 0 },
    ]);
  });

  it('groups verified students by pack, largest group first', () => {
    const otherCopy = { ...cleo, pack: { ...cleo.pack, hash: 'sha256:other' } };
    expect(byPack([ok(otherCopy), ok(ana), ok(ben)]).map((g) => g.map((v) => v.file.nickname))).toEqual([['Ana', '=Ben'], ['Cleo']]);
  });
});

describe('CSV exports', () => {
  const say = (v: FileVerdict) => JSON.stringify(feedbackOf(v, 'en'));
  const rows = mergeDuplicates([
    ok(ana),
    ok(ben),
    { name: 'dan.json', status: 'edited', file: edited, field: 'score.total', claimed: 99, replayed: ana.score.total },
    { name: 'cleo.json', status: 'wrongClass', file: cleo, classCode: OTHER },
    { name: 'junk.json', status: 'invalid', reason: { kind: 'notScoreFile' } },
  ]);

  it('gradebook: nickname, score out of 100 for verified files only, and why the others do not count', () => {
    const parsed = Papa.parse<string[]>(gradebookCsv(rows, say).trim()).data;
    expect(parsed[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Tracks & Targets score (out of 100)', 'Feedback']);
    expect(parsed.slice(1).map((r) => r.slice(1, 5).join(''))).toEqual(['', '', '', '']);
    expect(parsed.slice(1).map((r) => [r[0], r[5]])).toEqual([
      ['Ana', String(Math.round(ana.score.total * 10) / 10)],
      // A formula-like nickname is escaped so a spreadsheet shows it as text.
      ["'=Ben", String(Math.round(ben.score.total * 10) / 10)],
      ['Dan', ''],
      ['Cleo', ''],
    ]);
    expect(JSON.parse(parsed[1]![6]!)).toEqual({ key: 'ok', rounds: 4, total: 4 });
    expect(JSON.parse(parsed[3]![6]!)).toMatchObject({ key: 'edited', field: 'score.total', claimed: '99' });
    expect(JSON.parse(parsed[4]![6]!)).toEqual({ key: 'wrongClass', code: OTHER });
  });

  it('feedback says why a file does not count', () => {
    expect(feedbackOf({ name: 'a', status: 'wrongClass', file: cleo, classCode: null }, 'en')).toEqual({ key: 'noClass' });
    expect(feedbackOf({ name: 'a', status: 'invalid', reason: { kind: 'upload', problem: 'tooLarge', detail: '5 MB' } }, 'en')).toEqual({ key: 'problem.tooLarge', detail: '5 MB' });
    const edit = (claimed: unknown, replayed: unknown, language = 'en') => feedbackOf({ name: 'a', status: 'edited', file: edited, field: 'f', claimed, replayed }, language);
    expect(edit(99, 84.9931842580065)).toEqual({ key: 'edited', field: 'f', claimed: '99', replayed: '84.99' });
    // A change beyond two decimals is shown in full, or the two figures would look the same.
    expect(edit(84.99318, 84.9931842580065)).toMatchObject({ claimed: '84.99318', replayed: '84.9931842580065' });
    expect(edit(['voice'], undefined)).toMatchObject({ claimed: '["voice"]', replayed: 'nothing' });
    // Figures are written the instructor's way.
    expect(edit(12345.5, 84.9931842580065, 'es')).toMatchObject({ claimed: '12345,5', replayed: '84,99' });
  });

  it('says why verification refused a file in the instructor’s language', async () => {
    const invalid = (reason: InvalidReason): FileVerdict => ({ name: 'a.json', status: 'invalid', reason });
    const cut = verifyScoreText('cut.json', scoreFileText(ana).slice(0, 200), [pack]);
    expect(cut.status === 'invalid' && cut.reason).toMatchObject({ kind: 'notJson', why: 'truncated' });
    const feedback = [
      feedbackOf(invalid({ kind: 'notJson', why: 'syntax', at: { line: 3, column: 7 }, detail: "Unexpected token '<'" }), 'es'),
      feedbackOf(invalid({ kind: 'notJson', why: 'empty' }), 'es'),
      feedbackOf(invalid({ kind: 'packNotLoaded', pack: 'tunestream-basics', version: '2.0.0' }), 'es'),
      feedbackOf(invalid({ kind: 'otherPackCopy', pack: 'tunestream-basics', version: '1.0.0', hash: 'sha256:abababab…' }), 'es'),
      feedbackOf(cut.status === 'invalid' ? invalid(cut.reason) : invalid({ kind: 'notScoreFile' }), 'es'),
    ];
    expect(feedback.map((f) => f.key)).toEqual(['invalid.syntaxAt', 'invalid.empty', 'invalid.packNotLoaded', 'invalid.otherPackCopy', expect.stringMatching(/^invalid\.truncated/)]);
    const i18n = await createI18n('es');
    const words = feedback.map((f) => i18n.t(`dashboard.feedback.${f.key}`, f));
    expect(words[0]).toBe('No cuenta: el archivo no es JSON válido: el error está en la línea 3, columna 7.');
    expect(words[2]).toBe('No cuenta: el paquete de lecciones «tunestream-basics» (versión 2.0.0) no está cargado; cárgalo en Paquetes de lecciones y vuelve a comprobar.');
    expect(words[3]).toContain('(versión 1.0.0, sha256:abababab…)');
    for (const w of words) expect(w).toMatch(/^No cuenta: [^{}]+$/);
  });

  it('class summary: a row per student with the components and choices, then the class shares', () => {
    const verified = verifiedOnly(rows).map((v) => ok(v.file, v.name, [{ decisions: { signals: v.file === ana ? ['searches'] : [], consent: 'bundled', consentBySignal: {}, segments: [], assignments: [], quiz: [] }, harms: [], flags: [] } as unknown as Verified['results'][number]]));
    const withResults = mergeDuplicates([...verified, ...rows.slice(2).map((r) => r.verdict)]);
    const parsed = Papa.parse<Record<string, string>>(summaryCsv(withResults, say, ['searches', 'voice'], ['bundled']).trim(), { header: true }).data;
    expect(parsed.map((r) => [r.status, r.nickname, r['signal:searches'], r['consent:bundled']])).toEqual([
      ['ok', 'Ana', '1', '1'],
      ['ok', "'=Ben", '0', '0'],
      ['edited', 'Dan', '', ''],
      ['wrongClass', 'Cleo', '', ''],
      ['invalid', '', '', ''],
      ['class share', '', '0.5', '0.5'],
    ]);
    expect(parsed[0]!.score).toBe(String(Math.round(ana.score.total * 10) / 10));
    expect(parsed[0]!.quiz_mark).not.toBe('');
    // An edited file's figures are not repeated as if they were true.
    expect(parsed[2]!.score).toBe('');
    expect(parsed[2]!.class_code).toBe(CLASS);
  });
});
