import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` next to the file `from` (its `import.meta.url`). Steward runs
 * TypeScript through tsx: when `from` is a .ts file the worker registers tsx first, so it can too.
 */
export function startWorker(from: string, name: string, workerData: unknown): Worker {
  const ts = from.endsWith('.ts');
  const url = new URL(`./${name}${ts ? '.ts' : '.js'}`, from);
  if (!ts) return new Worker(url, { workerData });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** What a one-shot worker posts back: its result, or why it failed. */
export type WorkerOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Runs a one-shot worker (it posts one `WorkerOutcome` and ends) and resolves with its value: heavy CPU work
 * (training a model) off the thread that answers requests.
 */
export function runWorker<T>(from: string, name: string, workerData: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(from, name, workerData);
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.once('message', (m: WorkerOutcome<T>) =>
      settle(() => (m.ok ? resolve(m.value) : reject(new Error(m.error)))),
    );
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`worker ${name} stopped (exit code ${code})`))),
    );
  });
}
