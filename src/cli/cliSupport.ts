/** Shared plumbing for the command-line tools: reading files, reporting problems, exiting cleanly. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { LoadedPack } from '../packs/loadPack';
import { LIMITS, readPackSource, unzipPack, type PackSource } from '../packs/packFiles';
import { parseJsonText, problemLine, type Problem } from '../packs/problems';

/** A user error: printed without a stack trace, exit code 1. */
export class UsageError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export function fail(problems: Problem[]): never {
  throw new UsageError(problems.map(problemLine));
}

/** Whether the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}

/** Runs a CLI main function: user errors print plainly and exit 1; bugs still show their stack. */
export function runCli(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((e: unknown) => {
      if (e instanceof UsageError) {
        for (const line of e.lines) process.stderr.write(`${line}\n`);
        process.exitCode = 1;
      } else throw e;
    });
}

export function parseCliArgs<T extends ParseArgsConfig['options']>(options: T, help: string, argv = process.argv.slice(2)) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if ((parsed.values as Record<string, unknown>).help) {
      process.stdout.write(`${help.trim()}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    throw new UsageError([e instanceof Error ? e.message : String(e), '', help.trim()]);
  }
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'this is a folder, expected a file' : String((e as Error).message);
    throw new UsageError([`${file}: cannot read: ${why}`]);
  }
}

export function writeText(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError([`${file}: cannot write: ${(e as Error).message}`]);
  }
}

/** The game's version (package.json), as the browser build writes it into score files. */
export const APP_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function readJson(file: string): unknown {
  const parsed = parseJsonText(readText(file), file);
  if (!parsed.ok) fail([parsed.problem]);
  return parsed.value;
}

/** Reads a pack's files from a folder (pack.json and images/), a .zip, or a bare pack.json. */
export function packSource(path: string): PackSource {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError([`${path}: no such file or folder; give a pack folder, a pack .zip, or a pack.json`]);
  }
  if (stat.isDirectory()) {
    const files = new Map<string, Uint8Array>();
    const packJson = join(path, 'pack.json');
    if (existsSync(packJson)) files.set('pack.json', readFileSync(packJson));
    const images = join(path, 'images');
    if (existsSync(images))
      for (const name of readdirSync(images, { recursive: true, encoding: 'utf8' })) {
        const full = join(images, name);
        if (statSync(full).isFile()) files.set(`images/${name.split(sep).join('/')}`, readFileSync(full));
        if (files.size > LIMITS.files) break;
      }
    return { origin: path, files };
  }
  const bytes = readFileSync(path);
  if (/\.zip$/i.test(path)) {
    const unzipped = unzipPack(bytes, path);
    if (!unzipped.ok) fail(unzipped.problems);
    return unzipped.source;
  }
  return { origin: path, files: new Map([['pack.json', bytes]]) };
}

/** A valid pack from a folder, .zip or pack.json, or a UsageError listing every problem. */
export function readPack(path: string): LoadedPack {
  const result = readPackSource(packSource(path));
  if (!result.loaded) fail(result.problems);
  return result.loaded;
}

export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError([`--${name} ${raw}: expected a whole number from ${min} to ${max}`]);
  return n;
}
