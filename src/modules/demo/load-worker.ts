import { parentPort, workerData } from 'node:worker_threads';
import { encodedBatches, type PlanInput } from './encode-batches.js';

/**
 * Worker thread of a demo load: generates and encodes batches while the main thread streams earlier ones
 * into the database, so the two use both cores. At most LOOKAHEAD batches wait unacknowledged, which keeps
 * memory bounded whatever the scale.
 */
const LOOKAHEAD = 3;

async function run(port: NonNullable<typeof parentPort>, input: PlanInput): Promise<void> {
  let credits = LOOKAHEAD;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  for (const batch of encodedBatches(input)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    port.postMessage({ kind: 'batch', batch });
  }
  port.postMessage({ kind: 'done' });
  port.close();
}

if (parentPort) await run(parentPort, workerData as PlanInput);
