/**
 * Verifying a batch of uploads, as the dashboard's Web Worker runs it: unpack, then replay each
 * score file. What it reports is plain data (structured-cloneable), without the scenario the
 * replay used, which the page already has among its packs.
 */
import type { LoadedPack } from '../../packs/loadPack';
import type { ScoreFile } from '../../scores/scoreFile';
import { verifyScoreText, type InvalidReason } from '../../scores/verify';
import type { RoundResult } from '../../sim';
import { scoreTexts, type Upload, type UploadProblemKind } from './uploads';

export type FileVerdict = { name: string } & (
  | { status: 'ok'; file: ScoreFile; results: RoundResult[]; scenarioRounds: number }
  | { status: 'edited'; file: ScoreFile; field: string; claimed: unknown; replayed: unknown }
  | { status: 'wrongClass'; file: ScoreFile; classCode: string | null }
  | { status: 'invalid'; reason: InvalidReason | UploadRefusal }
);

/** A file refused before verifying (see uploads.ts), or one whose verifying failed ('unreadable'). */
export interface UploadRefusal {
  kind: 'upload';
  problem: UploadProblemKind;
  detail: string;
}

/** The packs the worker needs: what replay reads, without images. */
export type WorkerPack = Pick<LoadedPack, 'pack' | 'scenario' | 'hash'>;

export interface VerifyRequest {
  job: number;
  uploads: Upload[];
  packs: WorkerPack[];
  expectedClass: string | null;
}

export type VerifyMessage =
  | { job: number; type: 'total'; total: number }
  | { job: number; type: 'verdict'; upload: number; verdict: FileVerdict }
  | { job: number; type: 'done' };

export function verifyBatch(request: VerifyRequest, post: (message: VerifyMessage) => void): void {
  const { job, packs, expectedClass } = request;
  const { texts, problems } = scoreTexts(request.uploads);
  post({ job, type: 'total', total: texts.length + problems.length });
  for (const p of problems) post({ job, type: 'verdict', upload: p.upload, verdict: { name: p.name, status: 'invalid', reason: { kind: 'upload', problem: p.kind, detail: p.detail } } });
  for (const { name, text, upload } of texts) {
    let verdict: FileVerdict;
    try {
      const checked = verifyScoreText(name, text, packs, expectedClass);
      if (checked.status === 'ok') {
        const { scenario, ...rest } = checked;
        verdict = { ...rest, scenarioRounds: scenario.rounds.length };
      } else verdict = checked;
    } catch (e) {
      // A bug must not stop the batch: the file is listed with what went wrong.
      verdict = { name, status: 'invalid', reason: { kind: 'upload', problem: 'unreadable', detail: e instanceof Error ? e.message : String(e) } };
    }
    post({ job, type: 'verdict', upload, verdict });
  }
  post({ job, type: 'done' });
}
