/**
 * The class report behind the dashboard, as pure functions over the verdicts: duplicates merged
 * into one student, figures per student, class statistics (score distribution, the signals and
 * consent designs chosen, harms, quiz results) and the rows of the two CSV exports. Only verified
 * files count in the statistics and the grades. No DOM and no i18n: the screen words the results.
 */
import { normalizeClassCode } from '../../scores/classCode';
import { finalTrust, round1, SCORE_CSV_HEADER, scoreCsvRow, toCsv, totalProfit } from '../../scores/exports';
import type { ScoreFile } from '../../scores/scoreFile';
import type { ComplianceFlag, HarmTag } from '../../sim';
import type { Messages } from '../../i18n';
import type { InvalidReason } from '../../scores/verify';
import type { FileVerdict } from './verifyBatch';
import type { UploadProblemKind } from './uploads';

export type Verified = Extract<FileVerdict, { status: 'ok' }>;

/** One row of the class table: a student (their files merged) or a file that could not be read. */
export interface Student {
  verdict: FileVerdict;
  /** Names of the other files of the same game, merged into this one. */
  merged: string[];
}

/** The same game exported more than once: same nickname, class, start time and market. */
function identity(file: ScoreFile): string {
  const code = file.classCode === null ? null : (normalizeClassCode(file.classCode) ?? file.classCode);
  return JSON.stringify([file.nickname, code, file.startedAt, file.replay.seed]);
}

const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
};

/** Whether `a` should be kept over `b`: more rounds played, then exported later. */
function better(a: ScoreFile, b: ScoreFile): boolean {
  return a.rounds.length !== b.rounds.length ? a.rounds.length > b.rounds.length : time(a.exportedAt) > time(b.exportedAt);
}

/**
 * One row per student: files of the same game are merged, keeping the one with the most rounds,
 * then the latest export. Unreadable files stay rows of their own. Order: first appearance.
 */
export function mergeDuplicates(verdicts: FileVerdict[]): Student[] {
  const rows: Student[] = [];
  const byIdentity = new Map<string, Student>();
  for (const verdict of verdicts) {
    if (verdict.status === 'invalid') {
      rows.push({ verdict, merged: [] });
      continue;
    }
    const key = identity(verdict.file);
    const seen = byIdentity.get(key);
    if (!seen) {
      const row = { verdict, merged: [] };
      byIdentity.set(key, row);
      rows.push(row);
    } else if (better(verdict.file, (seen.verdict as Exclude<FileVerdict, { status: 'invalid' }>).file)) {
      seen.merged.push(seen.verdict.name);
      seen.verdict = verdict;
    } else seen.merged.push(verdict.name);
  }
  return rows;
}

/** The figures of a student's row; null where the file does not count (not verified). */
export interface Figures {
  nickname: string | null;
  score: number | null;
  rounds: number | null;
  profit: number | null;
  trust: number | null;
}

export function figures(s: Student): Figures {
  const v = s.verdict;
  if (v.status === 'invalid') return { nickname: null, score: null, rounds: null, profit: null, trust: null };
  if (v.status !== 'ok') return { nickname: v.file.nickname, score: null, rounds: null, profit: null, trust: null };
  return { nickname: v.file.nickname, score: v.file.score.total, rounds: v.file.rounds.length, profit: totalProfit(v.file), trust: finalTrust(v.file) };
}

export type SortKey = 'nickname' | 'status' | 'score' | 'rounds' | 'profit' | 'trust';
const STATUS_ORDER: FileVerdict['status'][] = ['ok', 'edited', 'wrongClass', 'invalid'];

/** Rows sorted by a column; rows without a value go last either way; ties keep their order. */
export function sortStudents(rows: Student[], key: SortKey, direction: 'ascending' | 'descending', locale: string): Student[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const value = (s: Student): string | number | null => {
    if (key === 'status') return STATUS_ORDER.indexOf(s.verdict.status);
    if (key === 'nickname') return figures(s).nickname ?? s.verdict.name;
    return figures(s)[key];
  };
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.index - b.index : a.v === null ? 1 : -1;
      const c = typeof a.v === 'string' ? collator.compare(a.v, String(b.v)) : a.v - (b.v as number);
      return c * sign || a.index - b.index;
    })
    .map((x) => x.row);
}

/** What the status column and the gradebook's feedback say about a row (the screen words it). */
export type Feedback =
  | { key: 'ok'; rounds: number; total: number }
  | { key: 'edited'; field: string; claimed: string; replayed: string }
  | { key: 'wrongClass'; code: string }
  | { key: 'noClass' }
  | ({ key: `invalid.${keyof Messages['dashboard']['feedback']['invalid']}` } & Record<string, string | number>)
  | { key: `problem.${UploadProblemKind}`; detail: string };

/** A claimed and a replayed figure as text in the language: two decimals, unless only more tell them apart. */
function shownPair(claimed: unknown, replayed: unknown, language: string): { claimed: string; replayed: string } {
  const text = (x: unknown) => (typeof x === 'string' ? x : (JSON.stringify(x) ?? 'nothing'));
  if (typeof claimed !== 'number' || typeof replayed !== 'number') return { claimed: text(claimed), replayed: text(replayed) };
  const digits = (d: number) => new Intl.NumberFormat(language, { maximumFractionDigits: d, useGrouping: false });
  const short = digits(2);
  const full = digits(20);
  return short.format(claimed) === short.format(replayed)
    ? { claimed: full.format(claimed), replayed: full.format(replayed) }
    : { claimed: short.format(claimed), replayed: short.format(replayed) };
}

/** Why a file was not verified, as a feedback key (dashboard.feedback.invalid.*) and its values. */
function invalidFeedback(r: InvalidReason): Feedback {
  switch (r.kind) {
    case 'notJson':
      if (r.why === 'empty') return { key: 'invalid.empty' };
      if (r.at) return { key: `invalid.${r.why}At`, line: r.at.line, column: r.at.column };
      return r.why === 'syntax' ? { key: 'invalid.syntax', detail: r.detail } : { key: 'invalid.truncated' };
    default: {
      const { kind, ...values } = r;
      return { key: `invalid.${kind}`, ...values };
    }
  }
}

export function feedbackOf(v: FileVerdict, language: string): Feedback {
  switch (v.status) {
    case 'ok':
      return { key: 'ok', rounds: v.file.rounds.length, total: v.scenarioRounds };
    case 'edited':
      return { key: 'edited', field: v.field, ...shownPair(v.claimed, v.replayed, language) };
    case 'wrongClass':
      return v.classCode === null ? { key: 'noClass' } : { key: 'wrongClass', code: v.classCode };
    case 'invalid':
      return v.reason.kind === 'upload' ? { key: `problem.${v.reason.problem}`, detail: v.reason.detail } : invalidFeedback(v.reason);
  }
}

export function verifiedOnly(rows: Student[]): Verified[] {
  return rows.flatMap((s) => (s.verdict.status === 'ok' ? [s.verdict] : []));
}

/** Verified students grouped by the pack they played (id and content hash); largest group first. */
export function byPack(verified: Verified[]): Verified[][] {
  const groups = new Map<string, Verified[]>();
  for (const v of verified) {
    const key = `${v.file.pack.id}\n${v.file.pack.hash}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** Scores (0–100) in bins of `width` points; the last bin includes 100. */
export function histogram(scores: number[], width = 10): Bin[] {
  const bins: Bin[] = [];
  for (let from = 0; from < 100; from += width) bins.push({ from, to: Math.min(100, from + width), count: 0 });
  for (const s of scores) bins[Math.min(bins.length - 1, Math.max(0, Math.floor(s / width)))]!.count++;
  return bins;
}

export interface Share {
  id: string;
  /** Students who did it at least once. */
  students: number;
  /** Of all students in the group (0–1). */
  share: number;
}

/**
 * Which signals the students collected and under which consent designs (a signal's own design,
 * else the round's), in at least one round: "62% collected precise location". Every id given is
 * listed, chosen or not, most chosen first.
 */
export function choiceShares(students: Verified[], signalIds: string[], consentIds: string[]): { signals: Share[]; consents: Share[] } {
  const count = (ids: string[], used: (v: Verified) => Set<string>): Share[] => {
    const sets = students.map(used);
    return ids
      .map((id) => {
        const n = sets.filter((s) => s.has(id)).length;
        return { id, students: n, share: students.length ? n / students.length : 0 };
      })
      .sort((a, b) => b.students - a.students);
  };
  return {
    signals: count(signalIds, (v) => new Set(v.results.flatMap((r) => r.decisions.signals))),
    consents: count(consentIds, (v) => new Set(v.results.flatMap((r) => r.decisions.signals.map((s) => r.decisions.consentBySignal[s] ?? r.decisions.consent)))),
  };
}

/**
 * The signal the discussion line names: the most collected sensitive one (the one worth talking
 * about: "62% collected precise location"), else the most collected; none when nobody collected
 * anything. `signals` as choiceShares lists them, most chosen first.
 */
export function discussionSignal(signals: Share[], sensitive: ReadonlySet<string>): Share | undefined {
  const collected = signals.filter((s) => s.students > 0);
  return collected.find((s) => sensitive.has(s.id)) ?? collected[0];
}

export type HarmCount = ({ kind: 'harm'; id: HarmTag } | { kind: 'flag'; id: ComplianceFlag }) & {
  /** Students whose game had it in at least one round. */
  students: number;
  /** Listeners harmed, over every round of every student (harms only). */
  listeners: number;
};

/** The harms and compliance flags of the class, most widespread first. */
export function commonHarms(students: Verified[]): HarmCount[] {
  const counts = new Map<string, HarmCount>();
  const at = (what: Pick<HarmCount, 'kind' | 'id'>) => {
    const key = `${what.kind}:${what.id}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { ...what, students: 0, listeners: 0 } as HarmCount));
    return c;
  };
  for (const v of students) {
    const seen = new Set<HarmCount>();
    for (const r of v.results) {
      for (const harm of r.harms) {
        const c = at({ kind: 'harm', id: harm.tag });
        c.listeners += harm.listeners;
        seen.add(c);
      }
      for (const flag of r.flags) seen.add(at({ kind: 'flag', id: flag }));
    }
    for (const c of seen) c.students++;
  }
  return [...counts.values()].sort((a, b) => b.students - a.students || b.listeners - a.listeners || a.id.localeCompare(b.id));
}

export interface QuizResult {
  round: number;
  question: number;
  /** Students who answered it. */
  answered: number;
  correct: number;
}

/** Per round and question, how many students answered and how many got it right. */
export function quizResults(students: Verified[], quizKeys: number[][]): QuizResult[] {
  return quizKeys.flatMap((key, round) =>
    key.map((answer, question) => {
      const answers = students.flatMap((v) => {
        const given = v.results[round]?.decisions.quiz[question];
        return given === undefined ? [] : [given];
      });
      return { round, question, answered: answers.length, correct: answers.filter((a) => a === answer).length };
    }),
  );
}

/**
 * The gradebook: Student (the nickname), the score out of 100, and feedback. The empty ID, SIS
 * and Section columns are the ones a Canvas import requires (Moodle ignores columns it is not told
 * to map). Files that do not count (edited, another class) are listed with an empty score and the
 * reason, so the instructor sees whom to follow up with; unreadable files name no student and are
 * left out.
 */
export const GRADEBOOK_HEADER = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Tracks & Targets score (out of 100)', 'Feedback'];

/** `say`: the feedback on a file, worded (see feedbackOf). */
export function gradebookCsv(rows: Student[], say: (v: FileVerdict) => string): string {
  const data = rows.flatMap((s) => {
    const v = s.verdict;
    if (v.status === 'invalid') return [];
    return [[v.file.nickname, '', '', '', '', v.status === 'ok' ? round1(v.file.score.total) : null, say(v)]];
  });
  return toCsv(GRADEBOOK_HEADER, data);
}

/** Columns of the student's own CSV export that still mean something when the file does not count. */
const IDENTITY_COLUMNS = new Set(['nickname', 'class_code', 'pack_id', 'pack_version', 'started_at', 'exported_at']);

/**
 * The class summary: one row per student with the score components (as in the student's own CSV
 * export; figures only for verified files), the status, the files merged, and 1/0 per signal and
 * consent design chosen; then a last row with the class's shares of those choices.
 */
export function summaryCsv(rows: Student[], say: (v: FileVerdict) => string, signalIds: string[], consentIds: string[]): string {
  const header = ['status', 'feedback', 'file', 'merged_files', ...SCORE_CSV_HEADER, ...signalIds.map((id) => `signal:${id}`), ...consentIds.map((id) => `consent:${id}`)];
  const verified = verifiedOnly(rows);
  const data = rows.map((s) => {
    const v = s.verdict;
    const head = [v.status, say(v), v.name, s.merged.join(' ')];
    if (v.status === 'invalid') return [...head, ...SCORE_CSV_HEADER.map(() => null), ...signalIds.map(() => null), ...consentIds.map(() => null)];
    const own = scoreCsvRow(v.file).map((x, i) => (v.status === 'ok' || IDENTITY_COLUMNS.has(SCORE_CSV_HEADER[i]!) ? x : null));
    if (v.status !== 'ok') return [...head, ...own, ...signalIds.map(() => null), ...consentIds.map(() => null)];
    const { signals, consents } = choiceShares([v], signalIds, consentIds);
    const flag = (list: Share[], id: string) => list.find((x) => x.id === id)!.students;
    return [...head, ...own, ...signalIds.map((id) => flag(signals, id)), ...consentIds.map((id) => flag(consents, id))];
  });
  const shares = choiceShares(verified, signalIds, consentIds);
  const share = (list: Share[], id: string) => Math.round(list.find((x) => x.id === id)!.share * 1000) / 1000;
  const classRow = [
    'class share',
    `${verified.length} verified`,
    ...Array.from({ length: 2 + SCORE_CSV_HEADER.length }, () => null),
    ...signalIds.map((id) => share(shares.signals, id)),
    ...consentIds.map((id) => share(shares.consents, id)),
  ];
  return toCsv(header, [...data, classRow]);
}
