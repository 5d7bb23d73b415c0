import type { Executor } from '../../db/index.js';
import type { ConversationStatus } from '../../db/schema/conversations.js';
import { enqueueJob, findJobs, type JobHandler, type JobRow, nextChunk } from '../../platform/index.js';
import { listConversationIds, splitConversationIds } from '../conversations/index.js';
import { recomputeConversationsSla } from './sla-state.js';

export const SLA_RECOMPUTE_JOB = 'sla.recompute';
const KEY = 'sla-recompute';
const IN_PROGRESS: ConversationStatus[] = ['new', 'open', 'pending', 'on_hold'];

/**
 * Runs of conversations recomputed side by side: each its own chain of jobs, so the database's cores (and the
 * worker's batch of concurrent jobs) work on several at once. On PGlite they take turns, which costs nothing.
 */
const PARTS = 4;

/**
 * Conversations in the first job of a run. Each chunk is one transaction that should take about `chunkMs`
 * (platform `CHUNK_MS`): short enough that requests are not held up, long enough that the per-job costs
 * (claim, mark done, policies, calendars, the continuation) stay small. The next chunk's size follows from
 * the last one's time.
 */
const FIRST_CHUNK = 100;

/** One run of the walk: conversations with ids in (afterId, upTo], of the start `generation` (its job id). */
type Part = { generation: number; part: number; afterId: number; upTo: number | null; chunk: number };

/**
 * After a policy was created, changed, deleted or reordered, or business hours changed, every conversation in
 * progress is recomputed with the policies and calendars as they are now: chunked background work. The start
 * job cuts the conversations (in id order) into `PARTS` runs; each run is a chain of jobs, one per chunk. A
 * change while it runs starts it over: the start job is queued again under the same key, and every run stops
 * at its next chunk when it sees it queued.
 */
export async function requestRecompute(tx: Executor, workspaceId: number, now: Date): Promise<void> {
  await enqueueJob(
    tx,
    { workspaceId, type: SLA_RECOMPUTE_JOB, dedupeKey: KEY, runAt: now, payload: {} },
    now,
  );
}

function partOf(job: JobRow): Part | undefined {
  const p = job.payload as Partial<Part>;
  if (typeof p.generation !== 'number' || typeof p.part !== 'number' || typeof p.afterId !== 'number')
    return undefined;
  return {
    generation: p.generation,
    part: p.part,
    afterId: p.afterId,
    upTo: typeof p.upTo === 'number' ? p.upTo : null,
    chunk: typeof p.chunk === 'number' ? p.chunk : FIRST_CHUNK,
  };
}

async function enqueuePart(tx: Executor, workspaceId: number, part: Part, now: Date): Promise<void> {
  await enqueueJob(
    tx,
    {
      workspaceId,
      type: SLA_RECOMPUTE_JOB,
      // Its own key per start: a run of an older start can never move a newer start's queued job.
      dedupeKey: `${KEY}:${part.generation}:${part.part}`,
      runAt: now,
      payload: part,
    },
    now,
  );
}

/** `firstChunk`: the size of each run's first chunk (tests make it small, to walk runs of several chunks). */
export const recomputeHandler = (chunkMs: number, firstChunk = FIRST_CHUNK): JobHandler => ({
  kind: 'db',
  async run(tx, job, ctx) {
    const started = performance.now();
    const now = ctx.clock.now();
    const part = partOf(job);
    if (!part) {
      // The start (or a job queued by an older version, which starts over: recomputing is idempotent).
      const cuts = await splitConversationIds(tx, job.workspaceId, IN_PROGRESS, PARTS);
      const bounds = [...cuts, null];
      for (const [i, upTo] of bounds.entries())
        await enqueuePart(
          tx,
          job.workspaceId,
          { generation: job.id, part: i, afterId: i === 0 ? 0 : cuts[i - 1]!, upTo, chunk: firstChunk },
          now,
        );
      return;
    }
    const ids = await listConversationIds(tx, job.workspaceId, IN_PROGRESS, part, part.chunk);
    await recomputeConversationsSla(tx, job.workspaceId, ids, now);
    const last = ids.at(-1);
    // A fresh start queued meanwhile covers everything: no continuation then.
    const restart = await findJobs(tx, job.workspaceId, { dedupeKey: KEY, statuses: ['queued'] });
    if (ids.length === part.chunk && last !== undefined && restart.length === 0)
      await enqueuePart(
        tx,
        job.workspaceId,
        { ...part, afterId: last, chunk: nextChunk(part.chunk, performance.now() - started, chunkMs) },
        now,
      );
  },
});
