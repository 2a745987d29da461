/**
 * Helper threads start from one prebuilt script. A worker thread started on the TypeScript sources
 * loads every module through tsx's loader, one request to the loader's thread each: 0.2–0.4 s
 * before it can work (for verify's helpers, time in which this thread verifies some twenty score
 * files). The same code bundled by esbuild starts in about 0.1 s. The bundle is kept in
 * node_modules/.cache and rebuilt whenever a source it was made from, the lockfile or the
 * TypeScript settings change, so a helper never runs other code than this thread.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Where the project's package.json is. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Files besides the sources that decide what a bundle holds (dependencies are in the lockfile). */
const SETTINGS = ['package-lock.json', 'tsconfig.json'];

interface Manifest {
  /** The sources bundled (relative to the root), outside node_modules. */
  sources: string[];
  hash: string;
}

function hashOf(files: { path: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.text}\0`);
  return h.digest('hex');
}

// Read at once rather than in the background: a helper should start before this thread gets busy.
function read(root: string, paths: string[]): { path: string; text: string }[] {
  return paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** Whether the cached bundle was made from the sources and settings as they are now. */
function cached(root: string, script: string, manifestPath: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    return manifest.hash === hashOf(read(root, [...manifest.sources, ...SETTINGS])) && statSync(script).size > 0;
  } catch {
    // None yet, or a source is gone: build it.
    return false;
  }
}

/**
 * The script a helper thread for `entry` (a TypeScript module) starts from: its cached bundle at
 * once, or a promise of it while it is built. `fallback` (a script that loads `entry` through tsx)
 * when no bundle can be made or kept here; the helper then only starts later.
 */
export function threadScript(entry: URL, fallback: URL, { root = ROOT, cacheDir = join(root, 'node_modules', '.cache', 'tracks-and-targets') } = {}): URL | Promise<URL> {
  const name = basename(fileURLToPath(entry)).replace(/\.ts$/, '');
  const script = join(cacheDir, `${name}.mjs`);
  const manifestPath = join(cacheDir, `${name}.json`);
  if (cached(root, script, manifestPath)) return pathToFileURL(script);
  return build(entry, fallback, root, script, manifestPath);
}

/** Calls `start` with the script: at once if it is ready, else once it is built (`fail` if that fails). */
export function withScript(script: URL | Promise<URL>, start: (url: URL) => void, fail: (e: unknown) => void): void {
  if (script instanceof URL) start(script);
  else script.then(start, fail);
}

/**
 * A worker thread on a script from threadScript. It does not inherit this program's Node options:
 * with them, `--import tsx` would load tsx into every helper (some 0.15–0.2 s at each start) that
 * neither a bundle nor a fallback entry needs (the entry registers tsx itself).
 */
export function startThread(script: URL, workerData: unknown): Worker {
  return new Worker(script, { workerData, execArgv: [] });
}

async function build(entry: URL, fallback: URL, root: string, script: string, manifestPath: string): Promise<URL> {
  const cacheDir = dirname(script);
  try {
    const esbuild = await import('esbuild');
    // The sources are read here, so that the hash is of exactly the text bundled.
    const sources: { path: string; text: string }[] = [];
    const out = await esbuild.build({
      entryPoints: [fileURLToPath(entry)],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Imported by this module, never by a helper.
      external: ['esbuild'],
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'hash-sources',
          setup(build) {
            build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
              const path = relative(root, args.path);
              if (path.split(/[\\/]/).includes('node_modules')) return undefined;
              const text = await readFile(args.path, 'utf8');
              sources.push({ path, text });
              return { contents: text, loader: /\.[cm]?ts$/.test(path) ? 'ts' : 'js' };
            });
          },
        },
      ],
    });
    sources.sort((a, b) => (a.path < b.path ? -1 : 1));
    const manifest: Manifest = { sources: sources.map((s) => s.path), hash: hashOf([...sources, ...read(root, SETTINGS)]) };
    await mkdir(cacheDir, { recursive: true });
    // Written under other names and renamed, so that a program starting meanwhile never reads half a file.
    const suffix = `.${process.pid}.tmp`;
    await writeFile(script + suffix, out.outputFiles[0]!.contents);
    await rename(script + suffix, script);
    await writeFile(manifestPath + suffix, JSON.stringify(manifest));
    await rename(manifestPath + suffix, manifestPath);
    return pathToFileURL(script);
  } catch {
    return fallback;
  }
}
