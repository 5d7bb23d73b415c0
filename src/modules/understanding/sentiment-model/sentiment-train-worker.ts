import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerOutcome } from '../../../platform/index.js';
import {
  type MeasuredSentimentModel,
  measureSentimentModel,
  type SentimentTrainingInput,
} from './measure-sentiment.js';

/** Worker thread of a sentiment-model training: the CPU work, off the thread that answers requests. */
if (parentPort) {
  let outcome: WorkerOutcome<MeasuredSentimentModel>;
  try {
    outcome = { ok: true, value: measureSentimentModel(workerData as SentimentTrainingInput) };
  } catch (err) {
    outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort.postMessage(outcome);
}
