import { sql } from 'drizzle-orm';
import { idWalk, type JobHandler } from '../../../platform/index.js';
import { predictReason } from './predict-reason.js';

export const PREDICT_OPEN_JOB = 'reason_model.predict_open';

/**
 * A model that just became active reads the work already waiting, not only what arrives next: the open
 * conversations (new, open, pending, on hold) with a customer message, no reason, no "none fits" and no
 * prediction yet get one from their first customer message, exactly as a new conversation would (applied when
 * the model is sure enough). A workspace that starts predicting (the first model; the demo, whose history
 * is bulk-loaded) does not leave its queue without suggestions. In chunks, one job each, in id order.
 */
const walk = idWalk(PREDICT_OPEN_JOB, 'reason-predict-open', 50);
export const queuePredictOpen = walk.queue;

export const predictOpenHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const started = performance.now();
    const ws = job.workspaceId;
    const { afterId, chunk } = walk.part(job);
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
      await walk.queue(tx, ws, now, walk.next(Number(last.id), chunk, started));
  },
};
