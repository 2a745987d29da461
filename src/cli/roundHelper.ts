/**
 * A second thread for large rounds: it collects a round's listeners block by block (drift,
 * coverage, readings, segments) while this thread serves ads to the blocks already collected.
 * Node only: this thread waits for blocks with Atomics.wait. The results are the same bits as on
 * one thread (sim/observe.ts adds every sum up in listener order either way).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { useSharedMemory } from '../sim/memory';
import { collectBlock, useCollectHelper, type CollectJob } from '../sim/observe';

const ROLE = 'collect-rounds';

export interface LentThread {
  /** Rounds the thread has collected so far. */
  rounds(): number;
  /** Stops lending rounds and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts the helper thread and, once it is ready, lends it every large round; listeners created
 * from then on live in shared memory.
 */
export async function lendRoundsAThread(): Promise<LentThread> {
  const worker = new Worker(new URL('./roundThread.mjs', import.meta.url), { workerData: { role: ROLE } });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // The thread must not keep the program alive once the work is done.
  worker.unref();
  useSharedMemory(true);
  let rounds = 0;
  useCollectHelper({
    run: (job) => {
      rounds++;
      worker.postMessage(job);
    },
  });
  return {
    rounds: () => rounds,
    stop: async () => {
      useCollectHelper(null);
      useSharedMemory(false);
      await worker.terminate();
    },
  };
}

function collectAll(job: CollectJob): void {
  const blocks = Math.ceil(job.count / job.block);
  try {
    for (let b = 0; b < blocks; b++) {
      collectBlock(job, b);
      Atomics.store(job.progress, 0, b + 1);
      Atomics.notify(job.progress, 0);
    }
  } catch (e) {
    // The serving thread waits on progress: tell it, rather than let it wait in vain.
    Atomics.store(job.progress, 0, -1);
    Atomics.notify(job.progress, 0);
    throw e;
  }
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) {
  parentPort!.on('message', collectAll);
  parentPort!.postMessage('ready');
}
