/**
 * Problems in user files (packs, plans, score files), phrased for people: the file, the JSON path,
 * what is wrong and what is allowed.
 */
import type { z } from 'zod';
import { listAllowed, nearestName } from '../sim';

export interface Problem {
  file: string;
  /** JSON path such as `scenario.signals[3].reveals[0].trait`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const key = String(p);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

export function problemLine(p: Problem): string {
  return `${p.file}${p.path ? `: ${p.path}` : ''}: ${p.message}`;
}

/** Why a text is not JSON: empty, cut off, or a syntax error (with where, when the parser says, and its words). */
export type JsonFault = { why: 'empty' } | { why: 'truncated'; at: TextPosition | null } | { why: 'syntax'; at: TextPosition | null; detail: string };

export interface TextPosition {
  line: number;
  column: number;
}

export function jsonFaultText(f: JsonFault): string {
  if (f.why === 'empty') return 'the file is empty; expected a JSON object';
  const where = f.at ? ` at line ${f.at.line}, column ${f.at.column}` : '';
  return `not valid JSON${where}: ${f.why === 'truncated' ? 'the file ends too early (was it cut off while saving or copying?)' : f.detail}`;
}

/** Parses JSON text; on failure explains where (line and column) and why. */
export function parseJsonText(text: string, file: string): { ok: true; value: unknown } | { ok: false; problem: Problem; fault: JsonFault } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const fail = (fault: JsonFault) => ({ ok: false as const, problem: { file, path: '', message: jsonFaultText(fault) }, fault });
    if (text.trim() === '') return fail({ why: 'empty' });
    const pos = /position (\d+)/.exec(raw);
    let at: TextPosition | null = null;
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      at = { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
    }
    // V8 reports a cut-off file either as "end of input" or as a complaint at its last position.
    const truncated = /end of (JSON )?input|Unterminated/i.test(raw) || (pos !== null && Number(pos[1]) >= text.trimEnd().length);
    return fail(truncated ? { why: 'truncated', at } : { why: 'syntax', at, detail: raw.replace(/^.*?JSON[^:]*: ?/, '') });
  }
}

/* ---- zod issues ---- */

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  element?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  items?: { _zod: { def: Def } }[];
}

/** The object keys a schema allows at a path (best effort: objects, arrays, defaults, unions). */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let defs: Def[] = [(schema as unknown as { _zod: { def: Def } })._zod.def];
  const unwrap = (d: Def): Def[] => {
    if (d.innerType) return unwrap(d.innerType._zod.def);
    if (d.type === 'pipe' && d.in) return unwrap(d.in._zod.def);
    if (d.type === 'union' && d.options) return d.options.flatMap((o) => unwrap(o._zod.def));
    return [d];
  };
  defs = defs.flatMap(unwrap);
  for (const p of path) {
    const next: Def[] = [];
    for (const d of defs) {
      if (d.type === 'object' && d.shape && typeof p === 'string' && d.shape[p]) next.push(d.shape[p]._zod.def);
      else if (d.type === 'array' && d.element) next.push(d.element._zod.def);
      else if (d.type === 'tuple' && d.items && typeof p === 'number' && d.items[p]) next.push(d.items[p]._zod.def);
      else if (d.type === 'record' && d.valueType) next.push(d.valueType._zod.def);
    }
    defs = next.flatMap(unwrap);
  }
  return [...new Set(defs.flatMap((d) => (d.type === 'object' && d.shape ? Object.keys(d.shape) : [])))];
}

type Issue = z.core.$ZodIssue;

/** The branch of a failed union that the value most likely meant: fewest issues, no unknown keys first. */
function likelyBranch(branches: Issue[][]): Issue[] | undefined {
  const score = (b: Issue[]) => b.length + (b.some((i) => i.code === 'unrecognized_keys' || (i.code === 'invalid_type' && i.path.length === 0)) ? 100 : 0);
  return [...branches].sort((a, b) => score(a) - score(b))[0];
}

function sizeMessage(issue: Issue & { code: 'too_small' | 'too_big' }, got: unknown): string {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const words = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `needs ${words} ${bound} item(s) (has ${Array.isArray(got) ? got.length : 0})`;
    case 'string':
      return `must be ${words} ${bound} character(s) long (has ${typeof got === 'string' ? got.length : 0})`;
    default:
      return `must be ${words} ${bound} (got ${describeValue(got)})`;
  }
}

export function zodProblems(file: string, schema: z.ZodType, value: unknown, error: { issues: Issue[] }, prefix: PropertyKey[] = []): Problem[] {
  const problems: Problem[] = [];
  const visit = (issue: Issue, base: PropertyKey[]) => {
    const rel = [...base, ...issue.path];
    const path = [...prefix, ...rel];
    const got = valueAt(value, rel);
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, rel);
      for (const key of issue.keys) {
        const near = nearestName(key, allowed);
        problems.push({
          file,
          path: formatPath([...path, key]),
          message: `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}${allowed.length ? `; allowed here: ${listAllowed(allowed, 20)}` : ''}`,
        });
      }
      return;
    }
    let message = issue.message;
    if (issue.code === 'invalid_union') {
      if ('note' in issue && issue.note === 'No matching discriminator') {
        const options = ('options' in issue ? (issue.options as unknown[]) : []).map(String);
        const near = typeof got === 'string' ? nearestName(got, options) : undefined;
        message = `${describeValue(got)} is not a known kind${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${listAllowed(options)}`;
      } else if (got === undefined) {
        message = 'missing';
      } else {
        const branch = likelyBranch(issue.errors);
        if (branch && branch.length > 0) {
          for (const inner of branch) visit(inner, rel);
          return;
        }
      }
    } else if (issue.code === 'invalid_type') {
      message = got === undefined ? `missing; expected ${issue.expected}` : `expected ${issue.expected}, got ${describeValue(got)}`;
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map(String);
      const near = typeof got === 'string' ? nearestName(got, allowed) : undefined;
      message = `${describeValue(got)} is not allowed${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${listAllowed(allowed)}`;
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      message = sizeMessage(issue, got);
    }
    problems.push({ file, path: formatPath(path), message });
  };
  for (const issue of error.issues) visit(issue, []);
  return problems;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const p of path) here = here && typeof here === 'object' ? (here as Record<PropertyKey, unknown>)[p] : undefined;
  return here;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
