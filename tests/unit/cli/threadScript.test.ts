import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { threadScript } from '../../../src/cli/threadScript';
import { REPO } from '../support';
import { cli } from './run';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A project with an entry module that imports another, and the settings a bundle depends on. */
function project(): { root: string; entry: URL; write: (path: string, text: string) => void } {
  const root = mkdtempSync(join(tmpdir(), 'tt-thread-'));
  roots.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package-lock.json', '{}');
  write('tsconfig.json', '{}');
  write('src/entry.ts', "import { base } from './base';\nexport const value: number = base + 1;\n");
  write('src/base.ts', 'export const base: number = 1;\n');
  return { root, entry: pathToFileURL(join(root, 'src/entry.ts')), write };
}

const FALLBACK = new URL('file:///fallback.mjs');
let loads = 0;
/** Imports a script afresh (a bundle rewritten at the same path is a new module). */
async function valueOf(url: URL): Promise<number> {
  return ((await import(`${url.href}?load=${loads++}`)) as { value: number }).value;
}
const built = (url: URL) => statSync(fileURLToPath(url)).mtimeMs;

describe('helper threads start from a cached bundle', () => {
  it('bundles the entry and what it imports, and reuses the bundle while nothing changed', { timeout: 30_000 }, async () => {
    const { root, entry } = project();
    const first = await threadScript(entry, FALLBACK, { root });
    expect(fileURLToPath(first)).toBe(join(root, 'node_modules/.cache/tracks-and-targets/entry.mjs'));
    expect(await valueOf(first)).toBe(2);
    const made = built(first);
    const again = await threadScript(entry, FALLBACK, { root });
    expect(again.href).toBe(first.href);
    expect(built(again)).toBe(made);
  });

  it('rebuilds it when a source it was made from, the lockfile or the TypeScript settings change', { timeout: 30_000 }, async () => {
    const { root, entry, write } = project();
    const first = await threadScript(entry, FALLBACK, { root });
    let made = built(first);
    write('src/base.ts', 'export const base: number = 41;\n');
    const edited = await threadScript(entry, FALLBACK, { root });
    expect(await valueOf(edited)).toBe(42);
    expect(built(edited)).not.toBe(made);
    for (const settings of ['package-lock.json', 'tsconfig.json']) {
      made = built(edited);
      write(settings, '{ }');
      expect(built(await threadScript(entry, FALLBACK, { root }))).not.toBe(made);
    }
  });

  it('gives the fallback when the code cannot be bundled', { timeout: 30_000 }, async () => {
    const { root, entry, write } = project();
    write('src/base.ts', 'export const base: number = ;\n');
    expect((await threadScript(entry, FALLBACK, { root })).href).toBe(FALLBACK.href);
  });

  it('starts helpers without this program’s Node options (no tsx loaded into each)', { timeout: 30_000 }, async () => {
    const { root, write } = project();
    write('probe.mjs', "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage(process.execArgv);\n");
    const threadScriptModule = pathToFileURL(join(REPO, 'src/cli/threadScript.ts')).href;
    write(
      'run.mjs',
      `import { startThread } from '${threadScriptModule}';\n` +
        "const w = startThread(new URL('./probe.mjs', import.meta.url), null);\n" +
        "w.once('message', (args) => { console.log(JSON.stringify({ here: process.execArgv, there: args })); void w.terminate(); });\n",
    );
    // Run as npm's scripts run: node --import tsx.
    const run = await cli(join(root, 'run.mjs'), []);
    expect(run.stderr).toBe('');
    const { here, there } = JSON.parse(run.stdout) as { here: string[]; there: string[] };
    expect(here).toContain('tsx');
    expect(there).toEqual([]);
  });
});
