/** Shared plumbing for the command-line tools: reading files, reporting problems, exiting cleanly. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadPack, type LoadedPack } from '../packs/loadPack';
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

export function readJson(file: string): unknown {
  const parsed = parseJsonText(readText(file), file);
  if (!parsed.ok) fail([parsed.problem]);
  return parsed.value;
}

/** A pack given as a folder (holding pack.json) or as a pack.json file. */
export function readPack(source: string): LoadedPack & { file: string } {
  let file = source;
  try {
    if (statSync(source).isDirectory()) file = join(source, 'pack.json');
  } catch {
    throw new UsageError([`${source}: no such file or folder; give a pack folder or its pack.json`]);
  }
  const result = loadPack(readJson(file), file);
  if (!result.ok) fail(result.problems);
  return { ...result.loaded, file };
}

export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError([`--${name} ${raw}: expected a whole number from ${min} to ${max}`]);
  return n;
}
