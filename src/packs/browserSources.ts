/**
 * Pack sources in the browser: a File the instructor picked or dropped (.json or .zip), or a URL
 * (?pack=…, same origin or a server that allows cross-origin requests). Sizes are checked before
 * anything is parsed.
 */
import { LIMITS, unzipPack, type PackSource } from './packFiles';
import type { Problem } from './problems';

export type SourceResult = { ok: true; source: PackSource } | { ok: false; problems: Problem[] };

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

function fromBytes(bytes: Uint8Array, origin: string): SourceResult {
  if (isZip(bytes) || /\.zip$/i.test(origin)) return unzipPack(bytes, origin);
  if (bytes.length > LIMITS.packJsonBytes)
    return { ok: false, problems: [{ file: origin, path: '', message: `the file is ${(bytes.length / 1048576).toFixed(1)} MB; a pack.json may be at most 2 MB (zip larger packs)` }] };
  return { ok: true, source: { origin, files: new Map([['pack.json', bytes]]) } };
}

export async function sourceFromFile(file: File): Promise<SourceResult> {
  const limit = /\.zip$/i.test(file.name) ? LIMITS.zipBytes : Math.max(LIMITS.zipBytes, LIMITS.packJsonBytes);
  if (file.size > limit)
    return { ok: false, problems: [{ file: file.name, path: '', message: `the file is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${limit / 1048576} MB` }] };
  return fromBytes(new Uint8Array(await file.arrayBuffer()), file.name);
}

/** Reads a response body, stopping as soon as it passes `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<Uint8Array | null> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function sourceFromUrl(url: string, base: string): Promise<SourceResult> {
  const fail = (message: string): SourceResult => ({ ok: false, problems: [{ file: url, path: '', message }] });
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    return fail('not a valid web address');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return fail('only http and https addresses can be loaded');
  let response: Response;
  try {
    response = await fetch(target, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-cache' });
  } catch {
    return fail('could not be downloaded (offline, or the server does not allow loading from this site)');
  }
  if (!response.ok) return fail(`the server answered ${response.status} ${response.statusText}`.trim());
  const bytes = await readLimited(response, LIMITS.zipBytes);
  if (!bytes) return fail(`the download is larger than ${LIMITS.zipBytes / 1048576} MB`);
  return fromBytes(bytes, target.pathname.split('/').pop() || target.href);
}
