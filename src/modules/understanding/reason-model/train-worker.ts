import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerOutcome } from '../../../platform/index.js';
import { type MeasuredModel, measureAndTrain, type TrainingInput } from './measure.js';

/** Worker thread of a contact-reason training: the CPU work, off the thread that answers requests. */
if (parentPort) {
  let outcome: WorkerOutcome<MeasuredModel>;
  try {
    outcome = { ok: true, value: measureAndTrain(workerData as TrainingInput) };
  } catch (err) {
    outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort.postMessage(outcome);
}
