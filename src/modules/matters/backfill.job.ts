import { and, asc, eq, gt, inArray, lte, max } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import {
  CHUNK_MS,
  type Deps,
  enqueueJob,
  type JobHandler,
  nextChunk,
  yieldToEventLoop,
} from '../../platform/index.js';
import { handleMatterEvent, MATTER_EVENT_TYPES } from './matters.consumer.js';

export const MATTERS_BACKFILL_JOB = 'matters.backfill';
/** Events in the first transaction; the next ones are sized to take about the platform's `CHUNK_MS`. */
const FIRST_BATCH = 50;

/**
 * Gives the history that came before matters existed (a workspace upgraded from an earlier version, or the
 * demo data, which is bulk-loaded) its contacts and matters: replays the workspace's events up to `upToEventId`
 * through the same decisions as the live consumer, in order, each at its own time; conversations that already
 * had a matter when it started are left alone. No escalations, timeline entries or pushes for the past.
 * Paced like every long walk: short transactions with the event loop free between them, so the embedded
 * database keeps answering requests while it runs (the demo's history is 35,000 events).
 */
export function backfillHandler(deps: Deps): JobHandler {
  return {
    kind: 'external',
    async run(job) {
      const ws = job.workspaceId;
      const upTo = Number(job.payload.upToEventId);
      const e = schema.events;
      const done = new Set(
        (
          await deps.db
            .select({ id: schema.conversationMatters.conversationId })
            .from(schema.conversationMatters)
            .where(eq(schema.conversationMatters.workspaceId, ws))
        ).map((r) => r.id),
      );
      let after = 0;
      let size = FIRST_BATCH;
      const chunkMs = CHUNK_MS[deps.database.kind];
      for (;;) {
        const started = performance.now();
        const batch = await deps.db
          .select()
          .from(e)
          .where(
            and(
              eq(e.workspaceId, ws),
              gt(e.id, after),
              lte(e.id, upTo),
              inArray(e.type, [...MATTER_EVENT_TYPES]),
            ),
          )
          .orderBy(asc(e.id))
          .limit(size);
        if (batch.length === 0) return;
        await deps.db.transaction(async (tx) => {
          for (const event of batch)
            if (!done.has(event.entityId))
              await handleMatterEvent(tx, event, event.createdAt, { live: false });
        });
        after = batch[batch.length - 1]?.id ?? upTo;
        size = nextChunk(size, performance.now() - started, chunkMs);
        await yieldToEventLoop();
      }
    },
  };
}

/** Queues the backfill of a workspace's history so far (once at a time per workspace). */
export async function queueBackfill(db: Executor, workspaceId: number, now: Date): Promise<void> {
  const [row] = await db
    .select({ id: max(schema.events.id) })
    .from(schema.events)
    .where(eq(schema.events.workspaceId, workspaceId));
  await enqueueJob(
    db,
    {
      workspaceId,
      type: MATTERS_BACKFILL_JOB,
      payload: { upToEventId: Number(row?.id ?? 0) },
      runAt: now,
      dedupeKey: `matters-backfill:${workspaceId}`,
      maxAttempts: 1,
    },
    now,
  );
}
