/**
 * Verifying many score files on every core: worker threads each replay a share of the files.
 * A file's verdict depends on that file alone, so the lines are the same whatever the threads;
 * they come back in the order of the files.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import type { LoadedPack } from '../packs/loadPack';
import { verdictLine, verifyScoreText } from '../scores/verify';
import { startThread, threadScript, withScript } from './threadScript';

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

// Helper threads take files one at a time and always have a second one waiting, so they never
// idle while this thread is busy with a file of its own, and when this thread takes the last file
// they have at most two left (with batches of two, it waited 21-45 ms for them; now 3-12 ms).
const BATCH = 1;
const IN_FLIGHT = 2;
/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES_FOR_THREADS = 8;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

interface Helper {
  done: Promise<void>;
  /** Stops the helper if it has no files (it may still be starting when the work runs out). */
  stopIfIdle: () => void;
}

/** A helper thread, started from `script` (at once, or once it is built): it verifies batches from `take` into `lines` until none are left. */
function helper(input: WorkerInput, script: URL | Promise<URL>, take: () => { index: number; job: VerifyJob }[], lines: VerifyLine[]): Helper {
  let worker: Worker | null = null;
  let stopped = false;
  let inFlight = 0;
  let stop = () => {};
  const done = new Promise<void>((resolve, reject) => {
    stop = () => {
      stopped = true;
      void worker?.terminate();
      resolve();
    };
    const start = (url: URL) => {
      if (stopped) return;
      const w = startThread(url, input);
      worker = w;
      const send = () => {
        const jobs = take();
        if (jobs.length > 0) {
          inFlight++;
          w.postMessage({ jobs } satisfies Request);
        } else if (inFlight === 0) {
          w.postMessage({ done: true } satisfies Request);
          resolve();
        }
      };
      w.on('message', (reply: Reply) => {
        // The first message says the thread is ready (its modules are loaded).
        if (reply.length === 0) {
          for (let k = 0; k < IN_FLIGHT; k++) send();
          return;
        }
        inFlight--;
        for (const r of reply) lines[r.index] = r.line;
        send();
      });
      w.on('error', reject);
      w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a verify thread stopped (exit code ${code})`))));
    };
    withScript(script, start, reject);
  });
  return { done, stopIfIdle: () => inFlight === 0 && stop() };
}

/**
 * Verifies the files on `threads` threads: this one and threads − 1 helpers. This thread starts at
 * once, a file at a time, while the helpers start up (about 0.1 s from a cached bundle, see
 * threadScript); then they share the rest. `verifyHere: false` leaves all the files to the helpers.
 */
export async function verifyInParallel(
  jobs: VerifyJob[],
  packs: LoadedPack[],
  classCode: string | null,
  threads = defaultThreads(),
  { verifyHere = true } = {},
): Promise<VerifyLine[]> {
  const lines: VerifyLine[] = new Array(jobs.length);
  let next = 0;
  const take = (count: number) => {
    const batch = jobs.slice(next, next + count).map((job, k) => ({ index: next + k, job }));
    next += batch.length;
    return batch;
  };
  const helperCount = threads <= 1 || jobs.length < MIN_FILES_FOR_THREADS ? 0 : threads - (verifyHere ? 1 : 0);
  const input: WorkerInput = { role: 'verify-score-files', packs, classCode };
  const script = helperCount > 0 ? threadScript(new URL('./verifyPool.ts', import.meta.url), new URL('./verifyThread.mjs', import.meta.url)) : null;
  const helpers = Array.from({ length: helperCount }, () => helper(input, script!, () => take(BATCH), lines));
  if (verifyHere || helperCount === 0)
    for (let batch = take(1); batch.length > 0; batch = take(1)) {
      lines[batch[0]!.index] = verifyOne(batch[0]!.job, packs, classCode);
      // Lets the helpers' messages in, so that they get their next batch without waiting.
      if (helperCount > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  // Helpers still starting when this thread took the last file are not waited for.
  if (next === jobs.length) for (const h of helpers) h.stopIfIdle();
  await Promise.all(helpers.map((h) => h.done));
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
  parentPort!.postMessage([] satisfies Reply);
}
