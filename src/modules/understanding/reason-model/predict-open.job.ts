import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/index.js';
import { CHUNK_MS, enqueueJob, type JobHandler, nextChunk } from '../../../platform/index.js';
import { predictReason } from './predict-reason.js';

export const PREDICT_OPEN_JOB = 'reason_model.predict_open';
const FIRST_CHUNK = 50;

type Part = { afterId: number; chunk: number };

/**
 * A model that just became active reads the work already waiting, not only what arrives next: the open
 * conversations (new, open, pending, on hold) with a customer message, no reason, no "none fits" and no
 * prediction yet get one from their first customer message, exactly as a new conversation would (applied when
 * the model is sure enough). A workspace that starts predicting (the first model; the demo, whose history
 * is bulk-loaded) does not leave its queue without suggestions. In chunks, one job each, in id order.
 */
export async function queuePredictOpen(tx: Executor, workspaceId: number, now: Date, part?: Part) {
  await enqueueJob(
    tx,
    {
      workspaceId,
      type: PREDICT_OPEN_JOB,
      payload: part ?? { afterId: 0, chunk: FIRST_CHUNK },
      runAt: now,
      dedupeKey: `reason-predict-open:${workspaceId}`,
    },
    now,
  );
}

export const predictOpenHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const started = performance.now();
    const ws = job.workspaceId;
    const p = job.payload as Partial<Part>;
    const afterId = typeof p.afterId === 'number' ? p.afterId : 0;
    const chunk = typeof p.chunk === 'number' ? p.chunk : FIRST_CHUNK;
    const { rows } = await tx.execute(sql`
      select c.id, m.body_text from conversations c
      join lateral (
        select body_text from messages m
        where m.workspace_id = c.workspace_id and m.conversation_id = c.id and m.direction = 'inbound'
        order by m.created_at, m.id limit 1
      ) m on true
      where c.workspace_id = ${ws} and c.id > ${afterId}
        and c.status in ('new', 'open', 'pending', 'on_hold') and c.merged_into_id is null
        and c.contact_reason_id is null and not c.contact_reason_none_fits
        and not exists (
          select 1 from reason_predictions p where p.workspace_id = c.workspace_id and p.conversation_id = c.id
        )
      order by c.id limit ${chunk}`);
    const now = ctx.clock.now();
    const open = rows as Array<{ id: string | number; body_text: string }>;
    for (const row of open) await predictReason(tx, ws, Number(row.id), row.body_text, now);
    const last = open.at(-1);
    if (open.length === chunk && last)
      await queuePredictOpen(tx, ws, now, {
        afterId: Number(last.id),
        // The job has no database kind at hand: the embedded database's pace suits both.
        chunk: nextChunk(chunk, performance.now() - started, CHUNK_MS.pglite),
      });
  },
};
