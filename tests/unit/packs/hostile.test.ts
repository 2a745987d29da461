import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { jsonDepth, LIMITS, readPackSource, unsafePath, unzipPack } from '../../../src/packs/packFiles';
import { problemLine } from '../../../src/packs/problems';
import { packSource } from '../../../src/cli/cliSupport';

const basicsJson = packSource('lessons/tunestream-basics').files.get('pack.json')!;
const enc = (s: string) => new TextEncoder().encode(s);

function zipProblems(entries: Record<string, Uint8Array>, level: 0 | 9 = 9): string[] {
  const result = unzipPack(zipSync(entries, { level }), 'class.zip');
  if (!result.ok) return result.problems.map(problemLine);
  return readPackSource(result.source).problems.map(problemLine);
}

describe('packs are untrusted input', () => {
  it('loads a valid pack from a zip, also from one folder inside it', () => {
    expect(zipProblems({ 'pack.json': basicsJson })).toEqual([]);
    expect(zipProblems({ 'my-pack/pack.json': basicsJson })).toEqual([]);
  });

  it('refuses a pack.json over 2 MB', () => {
    const big = enc(JSON.stringify({ padding: 'x'.repeat(LIMITS.packJsonBytes) }));
    const lines = readPackSource({ origin: 'big.json', files: new Map([['pack.json', big]]) }).problems.map(problemLine);
    expect(lines).toEqual(['big.json: pack.json is 2 MB; the limit is 2 MB']);
  });

  it('refuses a zip over 20 MB without reading it', () => {
    const result = unzipPack(new Uint8Array(LIMITS.zipBytes + 1), 'huge.zip');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]!.message).toMatch(/the zip is 20 MB; the limit is 20 MB/);
  });

  it('refuses a zip bomb (more than 50 MB unpacked) before inflating it', () => {
    const zeros = new Uint8Array(LIMITS.unpackedBytes / 2 + 1);
    const bomb = zipSync({ 'pack.json': basicsJson, 'a.bin': zeros, 'b.bin': zeros, 'c.bin': zeros }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const result = unzipPack(bomb, 'bomb.zip');
    expect(!result.ok && result.problems[0]!.message).toMatch(/unpacks to more than 50 MB \(a zip bomb\?\)/);
  });

  it('refuses more than 200 files', () => {
    const entries: Record<string, Uint8Array> = { 'pack.json': basicsJson };
    for (let i = 0; i <= LIMITS.files; i++) entries[`images/${i}.txt`] = enc('x');
    expect(zipProblems(entries)).toEqual([`class.zip: the zip holds more than ${LIMITS.files} files`]);
  });

  it('refuses path traversal and absolute paths', () => {
    expect(zipProblems({ 'pack.json': basicsJson, '../evil.json': enc('{}') })).toEqual(['class.zip: the zip entry "../evil.json" climbs out of the pack with ".."']);
    expect(unsafePath('/etc/passwd')).toBe('is an absolute path');
    expect(unsafePath('C:/x')).toBe('is an absolute path');
    expect(unsafePath('images\\x.png')).toMatch(/uses "\\"/);
    expect(unsafePath('images/ok.png')).toBeNull();
  });

  it('refuses JSON nested deeper than the limit, without parsing it', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(jsonDepth(deep)).toBe(5000);
    expect(jsonDepth('{"a": "[[[[[", "b": [1, {"c": 2}]}')).toBe(3);
    const lines = readPackSource({ origin: 'deep.json', files: new Map([['pack.json', enc(deep)]]) }).problems.map(problemLine);
    expect(lines).toEqual([`deep.json: JSON nested 5000 levels deep; the limit is ${LIMITS.jsonDepth}`]);
  });

  it('says clearly when a file is not a zip', () => {
    const result = unzipPack(enc('this is not a zip file at all'), 'notes.zip');
    expect(!result.ok && result.problems[0]!.message).toMatch(/^not a readable zip file/);
  });

  it('refuses a zip without pack.json', () => {
    expect(zipProblems({ 'readme.txt': enc('hi') })).toEqual(['class.zip: no pack.json in the zip; put pack.json at the top of the zip (or in one folder)']);
  });
});
