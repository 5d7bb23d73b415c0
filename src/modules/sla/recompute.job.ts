import type { Executor } from '../../db/index.js';
import { type Cursor, enqueueJob, findJobs, type JobHandler } from '../../platform/index.js';
import { listConversations } from '../conversations/index.js';
import { recomputeConversationSla } from './sla-state.js';

export const SLA_RECOMPUTE_JOB = 'sla.recompute';
const KEY = 'sla-recompute';
/** Conversations per job: each transaction stays short (PGlite runs on the event loop). */
const CHUNK = 50;

/**
 * After a policy was created, changed, deleted or reordered, every conversation in progress is recomputed
 * with the policies as they are now: chunked background work, one job per chunk. A change while it runs
 * starts it over (the queued continuation is replaced by a fresh start, under the same key).
 */
export async function requestRecompute(tx: Executor, workspaceId: number, now: Date): Promise<void> {
  await enqueueJob(
    tx,
    { workspaceId, type: SLA_RECOMPUTE_JOB, dedupeKey: KEY, runAt: now, payload: {} },
    now,
  );
}

export const recomputeHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const now = ctx.clock.now();
    const after = job.payload.after as Cursor | undefined;
    const page = await listConversations(
      tx,
      job.workspaceId,
      { statuses: ['new', 'open', 'pending', 'on_hold'] },
      after,
      CHUNK,
    );
    for (const row of page) await recomputeConversationSla(tx, job.workspaceId, row.conversation.id, now);
    const last = page.at(-1);
    // A fresh start queued meanwhile covers everything: no continuation then.
    const restart = await findJobs(tx, job.workspaceId, { dedupeKey: KEY, statuses: ['queued'] });
    if (page.length === CHUNK && last && restart.length === 0)
      await enqueueJob(
        tx,
        {
          workspaceId: job.workspaceId,
          type: SLA_RECOMPUTE_JOB,
          dedupeKey: KEY,
          runAt: now,
          payload: { after: last.sortKey },
        },
        now,
      );
  },
};
