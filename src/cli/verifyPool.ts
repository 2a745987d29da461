/**
 * Verifying many score files on every core: worker threads each replay a share of the files.
 * A file's verdict depends on that file alone, so the lines are the same whatever the threads;
 * they come back in the order of the files.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LoadedPack } from '../packs/loadPack';
import { verdictLine, verifyScoreText } from '../scores/verify';

export interface VerifyJob {
  name: string;
  text: string;
}

export interface VerifyLine {
  ok: boolean;
  line: string;
}

interface WorkerInput {
  role: 'verify-score-files';
  packs: LoadedPack[];
  classCode: string | null;
}

type Request = { jobs: { index: number; job: VerifyJob }[] } | { done: true };
type Reply = { index: number; line: VerifyLine }[];

function verifyOne(job: VerifyJob, packs: LoadedPack[], classCode: string | null): VerifyLine {
  const checked = verifyScoreText(job.name, job.text, packs, classCode);
  return { ok: checked.status === 'ok', line: verdictLine(checked) };
}

// Files go out a few at a time, so a fast thread takes more of them.
const BATCH = 4;
/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES_FOR_THREADS = 8;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export async function verifyInParallel(jobs: VerifyJob[], packs: LoadedPack[], classCode: string | null, threads = defaultThreads()): Promise<VerifyLine[]> {
  if (threads <= 1 || jobs.length < MIN_FILES_FOR_THREADS) return jobs.map((job) => verifyOne(job, packs, classCode));
  const lines: VerifyLine[] = new Array(jobs.length);
  let next = 0;
  const take = (): Request => {
    const batch = jobs.slice(next, next + BATCH).map((job, k) => ({ index: next + k, job }));
    next += batch.length;
    return batch.length ? { jobs: batch } : { done: true };
  };
  const input: WorkerInput = { role: 'verify-score-files', packs, classCode };
  await Promise.all(
    Array.from({ length: Math.min(threads, Math.ceil(jobs.length / BATCH)) }, () => {
      const worker = new Worker(new URL('./verifyThread.mjs', import.meta.url), { workerData: input });
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (reply: Reply) => {
          for (const r of reply) lines[r.index] = r.line;
          const request = take();
          worker.postMessage(request);
          if ('done' in request) resolve();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a verify thread stopped (exit code ${code})`))));
        worker.postMessage(take());
      });
    }),
  );
  return lines;
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.role === 'verify-score-files') {
  const { packs, classCode } = workerData as WorkerInput;
  parentPort!.on('message', (request: Request) => {
    if ('done' in request) {
      parentPort!.close();
      return;
    }
    parentPort!.postMessage(request.jobs.map(({ index, job }) => ({ index, line: verifyOne(job, packs, classCode) })) satisfies Reply);
  });
}
