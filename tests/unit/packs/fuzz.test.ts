import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packSource } from '../../../src/cli/cliSupport';
import { readPackSource, unzipPack } from '../../../src/packs/packFiles';
import { validatePack } from '../../../src/packs/validatePack';

const basics = JSON.parse(new TextDecoder().decode(packSource('lessons/tunestream-basics').files.get('pack.json'))) as unknown;

/** Every path to a value inside a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, k) => out.push(...pathsOf(v, [...prefix, k])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}
const PATHS = pathsOf(basics).filter((p) => p.length > 0);

type Mutation = { path: (string | number)[]; kind: 'delete' | 'replace' | 'duplicate'; value: unknown };

function mutate(value: unknown, m: Mutation): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of m.path.slice(0, -1)) {
    const next = parent[key];
    // An earlier mutation removed this part: nothing left to mutate.
    if (!next || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  const last = m.path[m.path.length - 1]!;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (m.kind === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
  else parent[last] = m.value;
  return copy;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, -1, 1e308, -1e308, 0.5, '', '__proto__', '<script>alert(1)</script>', [], {}, { __proto__: { polluted: true } }),
  fc.string({ maxLength: 300 }),
  fc.integer({ min: -1e9, max: 1e9 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.constantFrom(...PATHS),
  kind: fc.constantFrom('delete' as const, 'replace' as const, 'duplicate' as const),
  value: hostileValue,
});

describe('fuzzing: mutated packs never crash or hang the validator', () => {
  it('one to three mutations, schema and reference checks', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const mutated = ms.reduce<unknown>((v, m) => mutate(v, m), basics);
        const result = validatePack(mutated, 'fuzz.json', null, false);
        expect(Array.isArray(result.problems)).toBe(true);
        for (const p of result.problems) expect(typeof p.message).toBe('string');
        expect(result.loaded === null).toBe(result.problems.length > 0);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('mutations that keep the pack valid also survive the smoke games', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const result = validatePack(mutate(basics, m), 'fuzz.json', null, true);
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('fuzzing: the loader never crashes on arbitrary bytes', () => {
  it('arbitrary bytes as a zip or as pack.json', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const zip = unzipPack(bytes, 'x.zip');
        if (zip.ok) readPackSource(zip.source, false);
        const json = readPackSource({ origin: 'x.json', files: new Map([['pack.json', bytes]]) }, false);
        expect(json.loaded).toBeNull();
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('truncations of a valid pack.json', () => {
    const text = JSON.stringify(basics);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        const result = readPackSource({ origin: 'cut.json', files: new Map([['pack.json', new TextEncoder().encode(text.slice(0, cut))]]) }, false);
        expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
