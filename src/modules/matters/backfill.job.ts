import { and, asc, eq, gt, inArray, lte, max } from 'drizzle-orm';
import { type Db, type Executor, schema } from '../../db/index.js';
import {
  CHUNK_MS,
  type Deps,
  enqueueJob,
  findJobs,
  type JobHandler,
  nextChunk,
  yieldToEventLoop,
} from '../../platform/index.js';
import { handleMatterEvent, MATTER_EVENT_TYPES } from './matters.consumer.js';
import { lockMatters } from './matters.repo.js';

export const MATTERS_BACKFILL_JOB = 'matters.backfill';
/** Events in the first transaction; the next ones are sized to take about the platform's `CHUNK_MS`. */
const FIRST_BATCH = 50;

/** A replay under way: the events after `after` up to `upTo` are left; `seen`: conversations it reached. */
export type Replay = {
  workspaceId: number;
  upTo: number;
  after: number;
  /** Conversations the replay has reached (their first event in the range): handled, or left alone. */
  seen: Set<number>;
  /** Those of them left alone: they had a matter, not from the replay, when it reached them. */
  skip: Set<number>;
  /**
   * Conversations the replay gave a matter, some before it reached them (one split off, one merged into):
   * a matter of theirs is the replay's own, not a reason to leave them alone.
   */
  assigned: Set<number>;
};

export const startReplay = (workspaceId: number, upTo: number): Replay => ({
  workspaceId,
  upTo,
  after: 0,
  seen: new Set(),
  skip: new Set(),
  assigned: new Set(),
});

/**
 * The next `size` events of the replay, in one transaction; false when none is left. A conversation is judged
 * when the replay reaches its first event, not at the start: one that has a matter by then (from before, or
 * from a live message while the replay ran) is left alone with all its history, so no contact is counted twice.
 */
export async function replayChunk(db: Db, replay: Replay, size: number): Promise<boolean> {
  const e = schema.events;
  const batch = await db
    .select()
    .from(e)
    .where(
      and(
        eq(e.workspaceId, replay.workspaceId),
        gt(e.id, replay.after),
        lte(e.id, replay.upTo),
        inArray(e.type, [...MATTER_EVENT_TYPES]),
      ),
    )
    .orderBy(asc(e.id))
    .limit(size);
  if (batch.length === 0) return false;
  const reached = [...new Set(batch.map((event) => event.entityId))].filter((id) => !replay.seen.has(id));
  const taken = new Set<number>();
  const assigned = new Set<number>();
  await db.transaction(async (tx) => {
    await lockMatters(tx, replay.workspaceId);
    if (reached.length > 0)
      for (const row of await tx
        .select({ id: schema.conversationMatters.conversationId })
        .from(schema.conversationMatters)
        .where(
          and(
            eq(schema.conversationMatters.workspaceId, replay.workspaceId),
            inArray(schema.conversationMatters.conversationId, reached),
          ),
        ))
        if (!replay.assigned.has(row.id)) taken.add(row.id);
    for (const event of batch)
      if (!replay.skip.has(event.entityId) && !taken.has(event.entityId))
        await handleMatterEvent(tx, event, event.createdAt, { live: false, assigned });
  });
  // Only once committed: a chunk that failed leaves the replay as it was.
  for (const id of reached) replay.seen.add(id);
  for (const id of taken) replay.skip.add(id);
  for (const id of assigned) replay.assigned.add(id);
  replay.after = batch[batch.length - 1]!.id;
  return true;
}

/**
 * Gives the history that came before matters existed (a workspace upgraded from an earlier version, or the
 * demo data, which is bulk-loaded) its contacts and matters: replays the workspace's events up to `upToEventId`
 * through the same decisions as the live consumer, in order, each at its own time (`replayChunk`). No
 * escalations, timeline entries or pushes for the past.
 * Paced like every long walk: short transactions with the event loop free between them, so the embedded
 * database keeps answering requests while it runs (the demo's history is 35,000 events). It keeps its lease
 * alive as it goes: it may run longer than the lease, and nobody else may take it meanwhile.
 */
export function backfillHandler(deps: Deps): JobHandler {
  return {
    kind: 'external',
    async run(job, ctx) {
      // Asked again while an older replay runs: two at once would race, so this one waits its turn.
      const running = await findJobs(deps.db, job.workspaceId, {
        dedupeKey: dedupeKey(job.workspaceId),
        statuses: ['running'],
      });
      if (running.some((other) => other.id < job.id)) {
        const later = new Date(ctx.clock.now().getTime() + WAIT_MS);
        await enqueueJob(
          deps.db,
          { ...backfillJob(job.workspaceId, Number(job.payload.upToEventId)), runAt: later },
          ctx.clock.now(),
        );
        return;
      }
      const replay = startReplay(job.workspaceId, Number(job.payload.upToEventId));
      let size = FIRST_BATCH;
      const chunkMs = CHUNK_MS[deps.database.kind];
      for (;;) {
        if (!(await ctx.keepAlive())) return;
        const started = performance.now();
        if (!(await replayChunk(deps.db, replay, size))) return;
        size = nextChunk(size, performance.now() - started, chunkMs);
        await yieldToEventLoop();
      }
    },
  };
}

const dedupeKey = (workspaceId: number) => `matters-backfill:${workspaceId}`;
/** How long a replay asked for while another runs waits before it looks again. */
const WAIT_MS = 30_000;

const backfillJob = (workspaceId: number, upToEventId: number) => ({
  workspaceId,
  type: MATTERS_BACKFILL_JOB,
  payload: { upToEventId },
  dedupeKey: dedupeKey(workspaceId),
  maxAttempts: 1,
});

/** Whether a replay of the workspace's history is queued or running: conversations may have no matter yet. */
export async function replayUnderway(db: Executor, workspaceId: number): Promise<boolean> {
  const jobs = await findJobs(db, workspaceId, {
    dedupeKey: dedupeKey(workspaceId),
    statuses: ['queued', 'running'],
  });
  return jobs.length > 0;
}

/** Queues the backfill of a workspace's history so far (once at a time per workspace). */
export async function queueBackfill(db: Executor, workspaceId: number, now: Date): Promise<void> {
  const [row] = await db
    .select({ id: max(schema.events.id) })
    .from(schema.events)
    .where(eq(schema.events.workspaceId, workspaceId));
  await enqueueJob(db, { ...backfillJob(workspaceId, Number(row?.id ?? 0)), runAt: now }, now);
}
