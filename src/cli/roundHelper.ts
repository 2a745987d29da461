/**
 * A second thread for large rounds: it collects a round's listeners block by block (drift,
 * coverage, readings, segments) while this thread serves ads to the blocks already collected, then
 * serves the last chunks of listeners until the two threads meet, then works out the round's
 * report cards while this thread draws the events. Node only: this thread waits
 * for blocks with Atomics.wait. The results are the same bits as on one thread (sim/observe.ts adds
 * every sum up in listener order either way; sim/serve.ts keeps a chunk the other thread served
 * only if it is what this thread would have served; sim/reportCard.ts works the cards out with
 * the same code on either thread).
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { useSharedMemory } from '../sim/memory';
import { collectBlock, useCollectHelper, type CollectJob } from '../sim/observe';
import { workOutCards, type CardsJob } from '../sim/reportCard';
import { serveFromEnd, type ServeJob } from '../sim/serve';
import { startThread, threadScript, withScript } from './threadScript';

const ROLE = 'collect-rounds';

export interface LentThread {
  /** Resolves once the thread takes rounds; rejects if it could not start. */
  ready: Promise<void>;
  /** Rounds handed to the thread so far. */
  rounds(): number;
  /** Rounds whose report cards the thread worked out. */
  cards(): number;
  /** Stops lending rounds and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts the helper thread and lends it every large round once it is ready; until then, for
 * listeners made before this call, and for good once the thread has failed, rounds are collected
 * on this thread. Listeners made from now on live in shared memory.
 */
export function lendRoundsAThread(): LentThread {
  // The thread raises this flag when it listens (this thread may be too busy to hear a message),
  // and lowers it if it fails.
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | null = null;
  let stopped = false;
  const ready = new Promise<void>((resolve, reject) => {
    const start = (url: URL) => {
      if (stopped) return reject(new Error('The round helper thread was stopped before it started.'));
      const w = startThread(url, { role: ROLE, flag });
      worker = w;
      // The thread must not keep the program alive once the work is done.
      w.unref();
      w.once('message', () => resolve());
      w.once('error', reject);
      w.on('error', (e: Error) => process.stderr.write(`The round helper thread failed:\n${e.stack ?? e.message}\n`));
      w.on('exit', () => Atomics.store(flag, 0, 0));
    };
    withScript(threadScript(new URL('./roundHelper.ts', import.meta.url), new URL('./roundThread.mjs', import.meta.url)), start, reject);
  });
  // Waiting for it is optional: a thread that cannot start only means rounds stay here.
  ready.catch(() => {});
  useSharedMemory(true);
  let rounds = 0;
  let cards = 0;
  useCollectHelper({
    run: (job) => {
      if (Atomics.load(flag, 0) === 0) return false;
      rounds++;
      // The thread raised the flag, so it exists.
      worker!.postMessage(job);
      return true;
    },
    // Only ever after run() took the round, so the thread exists.
    serve: (job) => worker!.postMessage(job),
    cards: (job) => {
      if (Atomics.load(flag, 0) === 0) return false;
      cards++;
      worker!.postMessage(job);
      return true;
    },
  });
  return {
    ready,
    rounds: () => rounds,
    cards: () => cards,
    stop: async () => {
      useCollectHelper(null);
      useSharedMemory(false);
      stopped = true;
      await worker?.terminate();
    },
  };
}

function collectAll(job: CollectJob, flag: Int32Array): void {
  const blocks = Math.ceil(job.count / job.block);
  try {
    for (let b = 0; b < blocks; b++) {
      collectBlock(job, b);
      Atomics.store(job.progress, 0, b + 1);
      Atomics.notify(job.progress, 0);
    }
  } catch (e) {
    // Take no more rounds, and tell the serving thread, which waits on progress.
    Atomics.store(flag, 0, 0);
    Atomics.store(job.progress, 0, -1);
    Atomics.notify(job.progress, 0);
    throw e;
  }
}

/** Runs the part of a round that `work` does; if it fails (its job is marked failed, so the other thread does it again), takes no more rounds. */
function share(work: () => void, flag: Int32Array): void {
  try {
    work();
  } catch (e) {
    Atomics.store(flag, 0, 0);
    throw e;
  }
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) {
  const { flag } = workerData as { flag: Int32Array };
  parentPort!.on('message', (job: CollectJob | ServeJob | CardsJob) => {
    if ('claims' in job) share(() => serveFromEnd(job), flag);
    else if ('stats' in job) share(() => workOutCards(job), flag);
    else collectAll(job, flag);
  });
  Atomics.store(flag, 0, 1);
  parentPort!.postMessage('ready');
}
