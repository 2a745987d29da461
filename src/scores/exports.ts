/**
 * The other shapes of a score file: a one-row CSV for spreadsheets, and xAPI statements that a
 * school's learning record store can ingest.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import Papa from 'papaparse';
import type { ScoreFile } from './scoreFile';

/**
 * CSV text. Papa Parse quotes what needs quoting, and escapeFormulae keeps a nickname like
 * "=HYPERLINK(...)" from running as a formula when a spreadsheet opens the file.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return `${Papa.unparse({ fields: header, data: rows }, { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}

/** Scores and trust with one decimal, as a spreadsheet or an LMS reads them (a dot, no grouping). */
export const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export const SCORE_CSV_HEADER = [
  'nickname',
  'class_code',
  'pack_id',
  'pack_version',
  'rounds_played',
  'complete',
  'score',
  'profit_mark',
  'trust_mark',
  'compliance_mark',
  'segments_mark',
  'quiz_mark',
  'total_profit',
  'final_trust',
  'harmed_listeners',
  'started_at',
  'exported_at',
];

/** Profit over the rounds played. */
export function totalProfit(file: ScoreFile): number {
  return file.rounds.reduce((a, r) => a + r.profit, 0);
}

/** Trust at the end of the last round played (null before the first round). */
export function finalTrust(file: ScoreFile): number | null {
  return file.rounds.at(-1)?.trustIndex ?? null;
}

export function scoreCsvRow(file: ScoreFile): (string | number | null)[] {
  const c = file.score.components;
  const mark = (x: number | undefined) => (x === undefined ? null : round3(x));
  return [
    file.nickname,
    file.classCode ?? '',
    file.pack.id,
    file.pack.version,
    file.rounds.length,
    file.complete ? 'yes' : 'no',
    round1(file.score.total),
    mark(c.profit),
    mark(c.trust),
    mark(c.compliance),
    mark(c.segments),
    mark(c.quiz),
    Math.round(totalProfit(file) * 100) / 100,
    file.rounds.length ? round1(finalTrust(file)!) : null,
    file.rounds.reduce((a, r) => a + r.harmedListeners, 0),
    file.startedAt,
    file.exportedAt,
  ];
}

/** The one-row CSV a student can export. */
export function scoreCsv(file: ScoreFile): string {
  return toCsv(SCORE_CSV_HEADER, [scoreCsvRow(file)]);
}

/** A name-based (version 5 style) UUID from SHA-256, so the same file always gives the same statement ids. */
function stableUuid(text: string): string {
  const hex = bytesToHex(sha256(new TextEncoder().encode(text))).slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const VERB_COMPLETED = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } };
const ACTIVITY_TYPE_SIMULATION = 'http://adlnet.gov/expapi/activities/simulation';
const ACTIVITY_TYPE_ROUND = 'http://adlnet.gov/expapi/activities/module';

/**
 * xAPI 1.0.3 statements: one "completed" per round played and one for the scenario when it is
 * complete, each with result.score.scaled. The actor is an anonymous account: the nickname under
 * the game's home page (no name, no e-mail).
 */
export function xapiStatements(file: ScoreFile, homePage: string): object[] {
  const packIri = `urn:tracks-and-targets:pack:${encodeURIComponent(file.pack.id)}:${encodeURIComponent(file.pack.version)}`;
  const actor = { objectType: 'Agent', account: { homePage, name: file.nickname } };
  const context = {
    platform: `Tracks & Targets ${file.appVersion}`,
    extensions: {
      'urn:tracks-and-targets:class-code': file.classCode,
      'urn:tracks-and-targets:pack-hash': file.pack.hash,
    },
    ...(file.classCode ? { contextActivities: { grouping: [{ objectType: 'Activity', id: `urn:tracks-and-targets:class:${encodeURIComponent(file.classCode)}` }] } } : {}),
  };
  const scoreOf = (score: number) => ({ scaled: round3(score / 100), raw: round1(score), min: 0, max: 100 });
  const statements: object[] = file.rounds.map((r) => ({
    id: stableUuid(`${file.nickname}|${file.startedAt}|${packIri}|round|${r.round}`),
    actor,
    verb: VERB_COMPLETED,
    object: { objectType: 'Activity', id: `${packIri}:round:${r.round}`, definition: { type: ACTIVITY_TYPE_ROUND, name: { 'en-US': `${file.pack.id}, round ${r.round}` } } },
    result: { score: scoreOf(r.score), completion: true },
    context: { ...context, contextActivities: { ...context.contextActivities, parent: [{ objectType: 'Activity', id: packIri }] } },
    timestamp: file.exportedAt,
  }));
  if (file.complete)
    statements.push({
      id: stableUuid(`${file.nickname}|${file.startedAt}|${packIri}|scenario`),
      actor,
      verb: VERB_COMPLETED,
      object: { objectType: 'Activity', id: packIri, definition: { type: ACTIVITY_TYPE_SIMULATION, name: { 'en-US': file.pack.id } } },
      result: { score: scoreOf(file.score.total), completion: true },
      context,
      timestamp: file.exportedAt,
    });
  return statements;
}
