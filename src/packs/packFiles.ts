/**
 * Packs are untrusted input. This reads a pack from its files (a folder's files, a .zip, or a bare
 * pack.json) with limits on sizes, file counts, paths and JSON nesting, checks its images, and
 * validates it. Used by the command line and the browser alike.
 */
import { unzipSync } from 'fflate';
import { validatePack, type ValidationResult } from './validatePack';
import { parseJsonText, type Problem } from './problems';

export const LIMITS = {
  packJsonBytes: 2 * 1024 * 1024,
  zipBytes: 20 * 1024 * 1024,
  unpackedBytes: 50 * 1024 * 1024,
  files: 200,
  imageBytes: 5 * 1024 * 1024,
  jsonDepth: 40,
};

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;

/** Why a path inside a pack is unsafe, or null when it is fine. */
export function unsafePath(name: string): string | null {
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20)) return 'contains control characters';
  if (name.includes('\\')) return 'uses "\\"; use "/" between folders';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((part) => part === '..')) return 'climbs out of the pack with ".."';
  return null;
}

/** Deepest nesting of arrays and objects in JSON text (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) max = Math.max(max, ++depth);
    else if (ch === 125 || ch === 93) depth--;
  }
  return max;
}

const IMAGE_SIGNATURES: { ext: RegExp; test: (b: Uint8Array) => boolean; type: string }[] = [
  { ext: /\.png$/i, type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { ext: /\.jpe?g$/i, type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: /\.webp$/i,
    type: 'image/webp',
    test: (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
  },
  { ext: /\.svg$/i, type: 'image/svg+xml', test: (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(new TextDecoder().decode(b.subarray(0, 2048))) },
];

/** The MIME type of an image file, checked against its first bytes; null when it is not an allowed image. */
export function imageType(name: string, bytes: Uint8Array): string | null {
  const sig = IMAGE_SIGNATURES.find((s) => s.ext.test(name));
  return sig && sig.test(bytes) ? sig.type : null;
}

export interface PackSource {
  /** What to call the pack in messages (file or folder name). */
  origin: string;
  /** Files by path inside the pack ("pack.json", "images/x.png"). */
  files: Map<string, Uint8Array>;
}

/**
 * Unzips untrusted bytes within limits: refuses unsafe paths, more than `files` files and more than
 * `unpackedBytes` unpacked (a zip bomb). `skip` leaves entries out unread (they count for nothing).
 * Folder entries are left out. Returns the entries by path, or why the zip is refused.
 */
export function unzipWithin(
  bytes: Uint8Array,
  limits: { files: number; unpackedBytes: number },
  skip: (name: string, size: number) => boolean = () => false,
): { ok: true; entries: Record<string, Uint8Array> } | { ok: false; message: string } {
  if (bytes.length > LIMITS.zipBytes) return { ok: false, message: `the zip is ${MB(bytes.length)}; the limit is ${MB(LIMITS.zipBytes)}` };
  let count = 0;
  let total = 0;
  let refusal: string | null = null;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (refusal) return false;
        if (f.name.endsWith('/')) return false;
        const unsafe = unsafePath(f.name);
        if (unsafe) refusal = `the zip entry "${f.name}" ${unsafe}`;
        else if (skip(f.name, f.originalSize)) return false;
        else if (++count > limits.files) refusal = `the zip holds more than ${limits.files} files`;
        else if ((total += f.originalSize) > limits.unpackedBytes) refusal = `the zip unpacks to more than ${MB(limits.unpackedBytes)} (a zip bomb?)`;
        return refusal === null;
      },
    });
  } catch (e) {
    return { ok: false, message: refusal ?? `not a readable zip file (${e instanceof Error ? e.message : String(e)})` };
  }
  if (refusal) return { ok: false, message: refusal };
  // The sizes in a zip's directory can lie: check what actually came out.
  const real = Object.values(entries).reduce((a, b) => a + b.length, 0);
  if (real > limits.unpackedBytes) return { ok: false, message: `the zip unpacks to more than ${MB(limits.unpackedBytes)} (a zip bomb?)` };
  return { ok: true, entries };
}

/** Unpacks a .zip pack within the limits (a folder inside the zip holding pack.json is accepted). */
export function unzipPack(bytes: Uint8Array, origin: string): { ok: true; source: PackSource } | { ok: false; problems: Problem[] } {
  const fail = (message: string) => ({ ok: false as const, problems: [{ file: origin, path: '', message }] });
  const unzipped = unzipWithin(bytes, LIMITS);
  if (!unzipped.ok) return fail(unzipped.message);
  const entries = unzipped.entries;
  const names = Object.keys(entries);
  const packJson = names.filter((n) => n === 'pack.json' || /^[^/]+\/pack\.json$/.test(n)).sort((a, b) => a.length - b.length)[0];
  if (!packJson) return fail('no pack.json in the zip; put pack.json at the top of the zip (or in one folder)');
  const prefix = packJson.slice(0, -'pack.json'.length);
  const files = new Map<string, Uint8Array>();
  for (const n of names) if (n.startsWith(prefix)) files.set(n.slice(prefix.length), entries[n]!);
  return { ok: true, source: { origin, files } };
}

/** Reads, checks and validates a pack from its files. */
export function readPackSource(source: PackSource, smoke = true): ValidationResult {
  const { origin, files } = source;
  const file = /\.json$/i.test(origin) ? origin : `${origin}/pack.json`;
  const problems: Problem[] = [];
  if (files.size > LIMITS.files) problems.push({ file: origin, path: '', message: `the pack has ${files.size} files; the limit is ${LIMITS.files}` });
  const bytes = files.get('pack.json');
  if (!bytes) return { loaded: null, problems: [...problems, { file: origin, path: '', message: 'no pack.json found; a pack is a folder or zip with pack.json at its top' }] };
  if (bytes.length > LIMITS.packJsonBytes)
    return { loaded: null, problems: [...problems, { file, path: '', message: `pack.json is ${MB(bytes.length)}; the limit is ${MB(LIMITS.packJsonBytes)}` }] };
  const images = new Map<string, { type: string; bytes: Uint8Array }>();
  for (const [name, data] of files) {
    if (name === 'pack.json') continue;
    const unsafe = unsafePath(name);
    if (unsafe) problems.push({ file: `${origin}/${name}`, path: '', message: `this path ${unsafe}` });
    else if (!name.startsWith('images/')) continue;
    else if (data.length > LIMITS.imageBytes) problems.push({ file: `${origin}/${name}`, path: '', message: `the image is ${MB(data.length)}; the limit is ${MB(LIMITS.imageBytes)}` });
    else {
      const type = imageType(name, data);
      if (type) images.set(name, { type, bytes: data });
      else problems.push({ file: `${origin}/${name}`, path: '', message: 'not a PNG, JPEG, WebP or SVG image (its name or its first bytes do not match)' });
    }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const depth = jsonDepth(text);
  if (depth > LIMITS.jsonDepth) return { loaded: null, problems: [...problems, { file, path: '', message: `JSON nested ${depth} levels deep; the limit is ${LIMITS.jsonDepth}` }] };
  const parsed = parseJsonText(text, file);
  if (!parsed.ok) return { loaded: null, problems: [...problems, parsed.problem] };
  const result = validatePack(parsed.value, file, files.size > 1 || !origin.endsWith('.json') ? new Set(images.keys()) : null, smoke);
  if (problems.length) return { loaded: null, problems: [...problems, ...result.problems] };
  return result.loaded ? { ...result, loaded: { ...result.loaded, images } } : result;
}
