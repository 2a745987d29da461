/**
 * What an instructor drops on the dashboard is untrusted: score files (.json), folders of them, or
 * .zip files of them. This sorts the files before anything is read (sizes and kinds), and unpacks
 * zips within limits (file count, unpacked size, unsafe paths). No DOM: the Web Worker and the unit
 * tests use it too.
 */
import { LIMITS, unzipWithin } from '../../packs/packFiles';
import { MAX_SCORE_FILE_BYTES } from '../../scores/scoreFile';

/** Score files one batch (drops, folders and zips together) may hold; a class is rarely over 300. */
export const MAX_BATCH_FILES = 2000;
/** A zip of score files unpacks to at most this much (a score file is a few kilobytes). */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** Why a file was not verified; the dashboard words each kind in the instructor's language. */
export type UploadProblemKind = 'tooLarge' | 'notScoreFile' | 'zipRefused' | 'nestedZip' | 'tooMany' | 'unreadable';

export interface UploadProblem {
  name: string;
  kind: UploadProblemKind;
  /** Figures or the zip's refusal, for the message. */
  detail: string;
}

export type FileKind = 'json' | 'zip';

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** What a file is by its name and size, or why it is refused unread. */
export function classifyFile(name: string, size: number): FileKind | UploadProblem {
  if (/\.zip$/i.test(name)) return size > LIMITS.zipBytes ? { name, kind: 'tooLarge', detail: MB(LIMITS.zipBytes) } : 'zip';
  if (/\.json$/i.test(name)) return size > MAX_SCORE_FILE_BYTES ? { name, kind: 'tooLarge', detail: MB(MAX_SCORE_FILE_BYTES) } : 'json';
  return { name, kind: 'notScoreFile', detail: '' };
}

/** Files a folder or zip holds besides the students' (system files of macOS and Windows). */
export function isSystemFile(path: string): boolean {
  const parts = path.split('/');
  return parts.some((p) => p === '__MACOSX' || p.startsWith('.')) || /^(thumbs\.db|desktop\.ini)$/i.test(parts.at(-1) ?? '');
}

export interface ScoreText {
  name: string;
  text: string;
  /** Index of the upload it came from. */
  upload: number;
}

/**
 * The score files' texts in a batch of uploads (.json as they are, .zip unpacked); and a problem
 * for each file or zip that cannot be read, so the rest of the batch still goes on.
 */
export function scoreTexts(uploads: Upload[]): { texts: ScoreText[]; problems: (UploadProblem & { upload: number })[] } {
  const texts: ScoreText[] = [];
  const problems: (UploadProblem & { upload: number })[] = [];
  const decoder = new TextDecoder('utf-8');
  uploads.forEach((upload, index) => {
    const problem = (p: UploadProblem) => void problems.push({ ...p, upload: index });
    const add = (name: string, bytes: Uint8Array) => {
      if (texts.length >= MAX_BATCH_FILES) problem({ name, kind: 'tooMany', detail: String(MAX_BATCH_FILES) });
      else texts.push({ name, text: decoder.decode(bytes), upload: index });
    };
    const kind = classifyFile(upload.name, upload.bytes.length);
    if (typeof kind !== 'string') problem(kind);
    else if (kind === 'json') add(upload.name, upload.bytes);
    else {
      const inZip: UploadProblem[] = [];
      const unzipped = unzipWithin(upload.bytes, { files: MAX_BATCH_FILES, unpackedBytes: MAX_UNPACKED_BYTES }, (path, size) => {
        if (isSystemFile(path)) return true;
        const entryKind = classifyFile(path, size);
        const name = `${upload.name}/${path}`;
        if (entryKind === 'zip') inZip.push({ name, kind: 'nestedZip', detail: '' });
        else if (typeof entryKind !== 'string') inZip.push({ ...entryKind, name });
        return entryKind !== 'json';
      });
      if (!unzipped.ok) return problem({ name: upload.name, kind: 'zipRefused', detail: unzipped.message });
      inZip.forEach(problem);
      for (const path of Object.keys(unzipped.entries).sort()) add(`${upload.name}/${path}`, unzipped.entries[path]!);
    }
  });
  return { texts, problems };
}
