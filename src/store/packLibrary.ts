/**
 * The packs an instructor can choose from: the built-in ones (bundled, loaded lazily) and the ones
 * they loaded from a file or a link, which are kept in local storage.
 */
import type { LoadedPack } from '../packs/loadPack';
import { base64ToBytes, bytesToBase64 } from '../sim/base64';
import { readPackSource, type PackSource } from '../packs/packFiles';
import type { Problem } from '../packs/problems';

export interface LibraryPack extends LoadedPack {
  builtIn: boolean;
  /** Where it came from (file name or link), for loaded packs. */
  origin: string;
}

const STORAGE_KEY = 'tracks-and-targets.packs.v1';

// Vite bundles each built-in pack.json as its own lazily loaded chunk.
const builtInFiles = import.meta.glob<string>('/lessons/*/pack.json', { query: '?raw', import: 'default' });

interface StoredPack {
  origin: string;
  files: Record<string, string>;
}

function readStored(): StoredPack[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as StoredPack[]).filter((p) => p && typeof p.origin === 'string' && p.files && typeof p.files === 'object') : [];
  } catch {
    return [];
  }
}

function storedSource(stored: StoredPack): PackSource {
  return { origin: stored.origin, files: new Map(Object.entries(stored.files).map(([name, data]) => [name, base64ToBytes(data)] as const)) };
}

/** A stored pack, re-validated (storage is untrusted too); null when it is no longer valid. */
function storedLoad(stored: StoredPack): LoadedPack | null {
  return readPackSource(storedSource(stored), false).loaded;
}

function writeStored(packs: StoredPack[]): boolean {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(packs));
    return true;
  } catch {
    return false; // full or blocked: the pack stays loaded for this visit only
  }
}

export async function loadBuiltInPacks(): Promise<LibraryPack[]> {
  const entries = await Promise.all(Object.entries(builtInFiles).map(async ([path, load]) => [path, await load()] as const));
  const level = { introductory: 0, intermediate: 1, advanced: 2 };
  return entries.flatMap(([path, text]) => {
    // Built-in packs are validated by the test suite; skip the smoke games here.
    const result = readPackSource({ origin: path.slice(1), files: new Map([['pack.json', new TextEncoder().encode(text)]]) }, false);
    return result.loaded ? [{ ...result.loaded, builtIn: true, origin: path.slice(1) }] : [];
  }).sort((a, b) => level[a.pack.difficulty] - level[b.pack.difficulty] || a.pack.id.localeCompare(b.pack.id));
}

/** Packs the instructor loaded earlier. */
export function loadStoredPacks(): LibraryPack[] {
  return readStored().flatMap((stored) => {
    const loaded = storedLoad(stored);
    return loaded ? [{ ...loaded, builtIn: false, origin: stored.origin }] : [];
  });
}

export interface AddResult {
  pack: LibraryPack | null;
  problems: Problem[];
  /** False when local storage could not keep it (the pack is loaded for this visit only). */
  saved: boolean;
}

/** Validates a pack (smoke games included) and, when valid, keeps it in local storage. */
export function addPack(source: PackSource): AddResult {
  const result = readPackSource(source);
  if (!result.loaded) return { pack: null, problems: result.problems, saved: false };
  const pack: LibraryPack = { ...result.loaded, builtIn: false, origin: source.origin };
  const stored = readStored().filter((p) => storedLoad(p)?.pack.id !== pack.pack.id);
  stored.push({ origin: source.origin, files: Object.fromEntries([...source.files].map(([name, data]) => [name, bytesToBase64(data)])) });
  return { pack, problems: [], saved: writeStored(stored) };
}

export function removePack(id: string): void {
  writeStored(readStored().filter((p) => storedLoad(p)?.pack.id !== id));
}
