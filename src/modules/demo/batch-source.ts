import { Worker } from 'node:worker_threads';
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
  const url = new URL(`./load-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: input });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: input });
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
