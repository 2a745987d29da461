/**
 * Verifying a score file: read it as untrusted input, re-simulate its replay log on the pack it
 * names, rebuild the file from the replay and compare every reported figure. A file whose figures
 * differ is "edited" (with the first differing field); a file from another class is "wrongClass".
 */
import type { LoadedPack } from '../packs/loadPack';
import { formatPath, jsonFaultText, parseJsonText, zodProblems, type JsonFault } from '../packs/problems';
import { DecisionError, type Market, newMarket, type PlainDecisions, replay, type RoundResult, type Scenario } from '../sim';
import { decodeClassCode, normalizeClassCode, packRef, type ClassSettings } from './classCode';
import { scenarioForClass } from './classPlay';
import { buildScoreFile, MAX_SCORE_FILE_BYTES, SCORE_FORMAT, SCORE_FORMAT_VERSION, scoreFileSchema, type ScoreFile } from './scoreFile';

/**
 * Why a file cannot be verified: data, so that the CLI says it in English (reasonText) and the
 * dashboard in the instructor's language. `detail`s are the parser's or the checker's own words.
 */
export type InvalidReason =
  | { kind: 'tooLarge'; megabytes: number }
  | ({ kind: 'notJson' } & JsonFault)
  | { kind: 'notScoreFile' }
  | { kind: 'newerFormat'; version: number }
  | { kind: 'shape'; path: string; detail: string }
  /** `hash`: the start of the file's pack hash, enough to tell two copies apart. */
  | { kind: 'otherPackCopy'; pack: string; version: string; hash: string }
  | { kind: 'packNotLoaded'; pack: string; version: string }
  | { kind: 'tooManyRounds'; rounds: number; max: number }
  | { kind: 'badDecisions'; detail: string };

export type Verdict =
  | { status: 'ok'; file: ScoreFile; results: RoundResult[]; scenario: Scenario }
  | { status: 'edited'; file: ScoreFile; field: string; claimed: unknown; replayed: unknown }
  | { status: 'wrongClass'; file: ScoreFile; classCode: string | null }
  | { status: 'invalid'; reason: InvalidReason };

export type Checked = { name: string } & Verdict;

/** Why a file over the size limit is refused unread. */
export const TOO_LARGE: InvalidReason = { kind: 'tooLarge', megabytes: MAX_SCORE_FILE_BYTES / 1024 / 1024 };

export function reasonText(r: InvalidReason): string {
  switch (r.kind) {
    case 'tooLarge':
      return `the file is larger than ${r.megabytes} MB; a score file is a few kilobytes`;
    case 'notJson':
      return jsonFaultText(r);
    case 'notScoreFile':
      return `not a Tracks & Targets score file (expected "format": "${SCORE_FORMAT}")`;
    case 'newerFormat':
      return `made by a newer version of the game (score format ${r.version}); update the game to read it`;
    case 'shape':
      return `${r.path ? `${r.path}: ` : ''}${r.detail}`;
    case 'otherPackCopy':
      return `made with another copy of pack "${r.pack}" (version ${r.version}, ${r.hash}); load the copy the class played`;
    case 'packNotLoaded':
      return `pack "${r.pack}" version ${r.version} is not loaded; load it and check again`;
    case 'tooManyRounds':
      return `replay.rounds: ${r.rounds} rounds, but this game has ${r.max}`;
    case 'badDecisions':
      return `replay.rounds: ${r.detail}`;
  }
}

/** Reads and checks a score file's text (shape only; no replay). */
export function readScoreFile(text: string, name: string): { ok: true; file: ScoreFile } | { ok: false; reason: InvalidReason } {
  if (text.length > MAX_SCORE_FILE_BYTES) return { ok: false, reason: TOO_LARGE };
  const parsed = parseJsonText(text, name);
  if (!parsed.ok) return { ok: false, reason: { kind: 'notJson', ...parsed.fault } };
  const raw = parsed.value as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || raw.format !== SCORE_FORMAT) return { ok: false, reason: { kind: 'notScoreFile' } };
  if (typeof raw.formatVersion === 'number' && raw.formatVersion > SCORE_FORMAT_VERSION) return { ok: false, reason: { kind: 'newerFormat', version: raw.formatVersion } };
  const checked = scoreFileSchema.safeParse(raw);
  if (!checked.success) {
    const p = zodProblems(name, scoreFileSchema, raw, checked.error)[0]!;
    return { ok: false, reason: { kind: 'shape', path: p.path, detail: p.message } };
  }
  return { ok: true, file: checked.data };
}

// A class's files share one code and one pack: a code is decoded (and put in normal form, when
// the files are checked against an expected class) and a pack's reference hashed once a batch;
// each takes tens of microseconds, a file's replay about ten milliseconds. Only the last few are
// kept: a batch holds a class or a few.
const CODES_KEPT = 16;
const decodedCodes = new Map<string, ReturnType<typeof decodeClassCode>>();
const normalCodes = new Map<string, string | null>();
const packRefs = new Map<string, number>();

function remembered<T>(cache: Map<string, T>, key: string, work: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CODES_KEPT) cache.clear();
    cache.set(key, (value = work()));
  }
  return value;
}

function decoded(code: string): ReturnType<typeof decodeClassCode> {
  return remembered(decodedCodes, code, () => decodeClassCode(code));
}

function normalized(code: string): string | null {
  return remembered(normalCodes, code, () => normalizeClassCode(code));
}

/**
 * The class code's settings, if the file has one and it agrees with the file's own market; a
 * reason otherwise (a code that does not match the replay means someone edited one of them).
 */
function classOf(file: ScoreFile): { ok: true; rounds: number | null; weights: ClassSettings['weights'] } | { ok: false; field: string; claimed: unknown; replayed: unknown } {
  if (file.classCode === null) return { ok: true, rounds: null, weights: null };
  const code = decoded(file.classCode);
  if (!code.ok) return { ok: false, field: 'classCode', claimed: file.classCode, replayed: `a valid code (${code.error})` };
  const s = code.settings;
  const { id, version } = file.pack;
  if (s.packRef !== remembered(packRefs, `${id}@${version}`, () => packRef(id, version))) return { ok: false, field: 'pack', claimed: `${id} ${version}`, replayed: "the class code's pack" };
  if (s.seed !== file.replay.seed) return { ok: false, field: 'replay.seed', claimed: file.replay.seed, replayed: s.seed };
  if (s.listeners !== file.replay.listeners) return { ok: false, field: 'replay.listeners', claimed: file.replay.listeners, replayed: s.listeners };
  return { ok: true, rounds: s.rounds, weights: s.weights };
}

/** The first leaf where two JSON values differ, as a path. */
export function firstDifference(claimed: unknown, replayed: unknown, path: (string | number)[] = []): { path: string; claimed: unknown; replayed: unknown } | null {
  if (Object.is(claimed, replayed)) return null;
  const bothObjects = claimed !== null && replayed !== null && typeof claimed === 'object' && typeof replayed === 'object';
  if (!bothObjects || Array.isArray(claimed) !== Array.isArray(replayed)) return { path: formatPath(path), claimed, replayed };
  if (Array.isArray(claimed) && Array.isArray(replayed)) {
    for (let i = 0; i < Math.max(claimed.length, replayed.length); i++) {
      const d = firstDifference(claimed[i], replayed[i], [...path, i]);
      if (d) return d;
    }
    return null;
  }
  const a = claimed as Record<string, unknown>;
  const b = replayed as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const d = firstDifference(Object.hasOwn(a, k) ? a[k] : undefined, Object.hasOwn(b, k) ? b[k] : undefined, [...path, k]);
    if (d) return d;
  }
  return null;
}

/**
 * Verifies one score file against the packs at hand. With `expectedClass`, a file from another
 * class (or from no class) is flagged rather than replayed.
 */
export function verifyScoreText(name: string, text: string, packs: LoadedPack[], expectedClass: string | null = null): Checked {
  const read = readScoreFile(text, name);
  if (!read.ok) return { name, status: 'invalid', reason: read.reason };
  const file = read.file;
  if (expectedClass !== null) {
    const code = file.classCode === null ? null : normalized(file.classCode);
    if (code !== normalized(expectedClass)) return { name, status: 'wrongClass', file, classCode: file.classCode };
  }
  const pack = packs.find((p) => p.pack.id === file.pack.id && p.hash === file.pack.hash);
  if (!pack) {
    const sameId = packs.find((p) => p.pack.id === file.pack.id);
    const { id, version, hash } = file.pack;
    return { name, status: 'invalid', reason: sameId ? { kind: 'otherPackCopy', pack: id, version, hash: `${hash.slice(0, 15)}…` } : { kind: 'packNotLoaded', pack: id, version } };
  }
  const cls = classOf(file);
  if (!cls.ok) return { name, status: 'edited', file, field: cls.field, claimed: cls.claimed, replayed: cls.replayed };
  const scenario = scenarioForClass(pack.scenario, { rounds: cls.rounds ?? pack.scenario.rounds.length, weights: cls.weights });
  if (file.replay.rounds.length > scenario.rounds.length)
    return { name, status: 'invalid', reason: { kind: 'tooManyRounds', rounds: file.replay.rounds.length, max: scenario.rounds.length } };
  let results: RoundResult[];
  try {
    const log = { seed: file.replay.seed, listeners: file.replay.listeners, rounds: file.replay.rounds as PlainDecisions[] };
    results = replay(scenario, log, startingMarket(scenario, log.seed, log.listeners)).results;
  } catch (e) {
    if (e instanceof DecisionError) return { name, status: 'invalid', reason: { kind: 'badDecisions', detail: e.message } };
    throw e;
  }
  const rebuilt = buildScoreFile(file, { seed: file.replay.seed, listeners: file.replay.listeners, decisions: file.replay.rounds, results, scenarioRounds: scenario.rounds.length });
  const diff = firstDifference(file, rebuilt);
  if (diff) return { name, status: 'edited', file, field: diff.path, claimed: diff.claimed, replayed: diff.replayed };
  return { name, status: 'ok', file, results, scenario };
}

// A class's files all start from the same market: draw its listeners once per batch, and let the
// replays share what depends on the market alone (moods, campaigns' fit; see MarketMemo). A few
// markets are kept, the last used (a batch may mix classes), and only small ones: a market is
// about 50 bytes per listener, its memo at most 64 MB.
const markets: Market[] = [];
const MARKETS_KEPT = 4;
const MARKET_CACHE_MAX_LISTENERS = 200_000;

function startingMarket(scenario: Scenario, seed: number, listeners: number): Market | undefined {
  if (listeners > MARKET_CACHE_MAX_LISTENERS) return undefined;
  // A memo names its market.
  const at = markets.findIndex(({ memo }) => memo.scenario === scenario && memo.seed === seed && memo.listeners === listeners);
  const market = at >= 0 ? markets.splice(at, 1)[0]! : newMarket(scenario, seed, listeners);
  markets.unshift(market);
  markets.length = Math.min(markets.length, MARKETS_KEPT);
  return market;
}

/** One line per file, as the CLI prints it and the dashboard lists it. */
export function verdictLine(c: Checked): string {
  switch (c.status) {
    case 'ok':
      return `${c.name}: ok (${JSON.stringify(c.file.nickname)}, score ${c.file.score.total.toFixed(1)})`;
    case 'edited':
      return `${c.name}: edited: ${c.field} (file says ${JSON.stringify(c.claimed)}, replay gives ${JSON.stringify(c.replayed)})`;
    case 'wrongClass':
      return `${c.name}: wrong class (${c.classCode ?? 'no class code'})`;
    case 'invalid':
      return `${c.name}: invalid: ${reasonText(c.reason)}`;
  }
}
