export { CHUNK_MS, type IdWalk, idWalk, nextChunk, yieldToEventLoop } from './pace.js';
export {
  cancelJob,
  cancelJobs,
  enqueueJob,
  enqueueJobBy,
  enqueueJobs,
  findJobs,
  type JobRow,
  type NewJob,
  rescheduleJob,
} from './queue.js';
export {
  backoffMs,
  createWorker,
  type JobContext,
  type JobHandler,
  releaseInterruptedJobs,
  type Worker,
} from './worker.js';
