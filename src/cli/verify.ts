/** `npm run verify`: checks students' score files by replaying them. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedPack } from '../packs/loadPack';
import { normalizeClassCode } from '../scores/classCode';
import { MAX_SCORE_FILE_BYTES } from '../scores/scoreFile';
import { TOO_LARGE, verdictLine } from '../scores/verify';
import { isMain, parseCliArgs, readPack, runCli, UsageError } from './cliSupport';
import { verifyInParallel, type VerifyJob, type VerifyLine } from './verifyPool';

const HELP = `
Checks students' score files: each is read, its replay log is re-simulated on its lesson pack, and
every figure it reports is compared with the replay.

Usage:
  npm run verify -- <score file or folder> [more…] [--class CODE] [--pack <folder|pack.zip|pack.json>]…

Options:
  --class CODE    the class code: files from another class (or from no class) are "wrong class"
  --pack PATH     a lesson pack the files may use, besides the built-in ones in lessons/ (repeatable)
  -h, --help      show this help

Prints one line per file (folders are searched for .json files):
  ok            the file replays to exactly the figures it reports
  edited        a figure differs from the replay: the first one is named
  wrong class   the file's class code is not --class
  invalid       the file cannot be read or replayed: why
Exits 1 if any file is not ok.
`;

const LESSONS = join(dirname(fileURLToPath(import.meta.url)), '../../lessons');

/** The packs in lessons/ (built in) plus the ones named with --pack. */
function packsAtHand(extra: string[]): LoadedPack[] {
  const folders: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (existsSync(join(dir, 'pack.json'))) folders.push(dir);
    else if (depth < 2) for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) visit(join(dir, e.name), depth + 1);
  };
  visit(LESSONS, 0);
  return [...folders, ...extra].map(readPack);
}

/** Score files named on the command line, folders searched for .json files (sorted for stable output). */
function scoreFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError([`${path}: no such file or folder`]);
    }
    if (!stat.isDirectory()) out.push(path);
    else
      out.push(
        ...readdirSync(path, { recursive: true, encoding: 'utf8' })
          .filter((name) => name.toLowerCase().endsWith('.json'))
          .sort()
          .map((name) => join(path, name)),
      );
  }
  return out;
}

/** Reads the files (refusing huge ones unread) and verifies them on every core; one line each. */
export async function verifyFiles(paths: string[], packs: LoadedPack[], classCode: string | null, threads?: number): Promise<VerifyLine[]> {
  const lines: (VerifyLine | null)[] = [];
  const jobs: VerifyJob[] = [];
  const at: number[] = [];
  for (const path of paths) {
    const rel = relative(process.cwd(), path);
    const name = rel && !rel.startsWith('..') ? rel : path;
    if (statSync(path).size > MAX_SCORE_FILE_BYTES) lines.push({ ok: false, line: verdictLine({ name, status: 'invalid', reason: TOO_LARGE }) });
    else {
      at.push(lines.length);
      lines.push(null);
      jobs.push({ name, text: readFileSync(path, 'utf8') });
    }
  }
  const verified = await verifyInParallel(jobs, packs, classCode, threads);
  verified.forEach((line, k) => (lines[at[k]!] = line));
  return lines as VerifyLine[];
}

if (isMain(import.meta.url))
  runCli(async () => {
    const { values, positionals } = parseCliArgs({ class: { type: 'string' }, pack: { type: 'string', multiple: true } }, HELP);
    if (positionals.length === 0) throw new UsageError(['Give at least one score file or folder.', '', HELP.trim()]);
    const classCode = values.class ?? null;
    if (classCode !== null && normalizeClassCode(classCode) === null)
      throw new UsageError([`--class ${classCode}: not a valid class code (a typo? codes look like 7K3M-Q9XA-2BF and end with a check character)`]);
    const files = scoreFiles(positionals);
    if (files.length === 0) throw new UsageError([`no .json files in ${positionals.join(', ')}`]);
    const checked = await verifyFiles(files, packsAtHand(values.pack ?? []), classCode);
    for (const c of checked) process.stdout.write(`${c.line}\n`);
    const bad = checked.filter((c) => !c.ok).length;
    process.stdout.write(`${checked.length - bad} of ${checked.length} file(s) ok\n`);
    if (bad > 0) process.exitCode = 1;
  });
