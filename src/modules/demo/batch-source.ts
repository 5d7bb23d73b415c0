import type { Worker } from 'node:worker_threads';
import { startWorker as startThread } from '../../platform/index.js';
import { type EncodedBatch, encodedBatches, type PlanInput } from './encode-batches.js';

type WorkerMessage = { kind: 'batch'; batch: EncodedBatch } | { kind: 'done' };

/**
 * The encoded batches of a demo load, produced on a worker thread (`worker: true`) or on this one. The worker
 * runs TypeScript through tsx, as the rest of Steward does, when this file is TypeScript itself.
 */
export function batchSource(input: PlanInput, worker: boolean): AsyncIterable<EncodedBatch> {
  return worker ? fromWorker(input) : inThread(input);
}

async function* inThread(input: PlanInput): AsyncGenerator<EncodedBatch> {
  yield* encodedBatches(input);
}

function startWorker(input: PlanInput): Worker {
  return startThread(import.meta.url, 'load-worker', input);
}

async function* fromWorker(input: PlanInput): AsyncGenerator<EncodedBatch> {
  const worker = startWorker(input);
  const queue: EncodedBatch[] = [];
  let done = false;
  let failure: Error | undefined;
  let notify: (() => void) | undefined;
  const poke = () => {
    notify?.();
    notify = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.kind === 'done') done = true;
    else queue.push(m.batch);
    poke();
  });
  worker.on('error', (err) => {
    failure = err;
    poke();
  });
  worker.on('exit', (code) => {
    if (!done && !failure) failure = new Error(`demo data worker stopped early (exit code ${code})`);
    poke();
  });
  try {
    for (;;) {
      const batch = queue.shift();
      if (batch) {
        yield batch;
        worker.postMessage('ack');
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (notify = resolve));
    }
  } finally {
    await worker.terminate();
  }
}
