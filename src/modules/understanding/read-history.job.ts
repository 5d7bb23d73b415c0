import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.js';
import { idWalk, type JobHandler } from '../../platform/index.js';
import { setConversationDistress } from '../conversations/index.js';
import { readCustomerMessage } from './read-message.js';
import { signalsOfConversation } from './understanding.repo.js';

export const READ_HISTORY_JOB = 'understanding.read_history';

/**
 * The customer messages stored before Steward read sentiment (a database upgraded from an earlier version;
 * migration 0033 queues this job once for every workspace with messages) get what a new one gets as it
 * arrives: a sentiment score and label and distress signals, and their conversations' distress becomes the
 * union of their messages' signals again. In chunks of the workspace's messages in id order, one job each;
 * a message already read (live, or by an earlier run) is left as it is, so running it again changes nothing.
 */
const walk = idWalk(READ_HISTORY_JOB, 'understanding-read-history', 500);
export const queueReadHistory = walk.queue;

export const readHistoryHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const started = performance.now();
    const ws = job.workspaceId;
    const { afterId, chunk } = walk.part(job);
    // The span of the next `chunk` messages of any kind bounds the work of a chunk, however few of them need
    // reading (an up-to-date database is walked through once, cheaply, and nothing is written).
    const span = await tx.execute(sql`select max(id) as last, count(*) as n from (
        select id from messages where workspace_id = ${ws} and id > ${afterId} order by id limit ${chunk}
      ) s`);
    const head = span.rows[0] as { last: string | number | null; n: string | number };
    if (head.last === null) return;
    const last = Number(head.last);
    const now = ctx.clock.now();
    await readMessages(tx, ws, afterId, last, now);
    if (Number(head.n) === chunk) await walk.queue(tx, ws, now, walk.next(last, chunk, started));
  },
};

/** The unread customer messages with afterId < id <= last: read, stored, their conversations' distress set. */
async function readMessages(tx: Tx, ws: number, afterId: number, last: number, now: Date) {
  const { rows } = await tx.execute(sql`
    select m.id, m.conversation_id, m.body_text from messages m
    where m.workspace_id = ${ws} and m.id > ${afterId} and m.id <= ${last} and m.direction = 'inbound'
      and not exists (
        select 1 from message_sentiments s where s.workspace_id = m.workspace_id and s.message_id = m.id
      )
    order by m.id`);
  const unread = rows as Array<{ id: string | number; conversation_id: string | number; body_text: string }>;
  const touched = new Set<number>();
  for (const row of unread) {
    const signals = await readCustomerMessage(tx, ws, Number(row.id), row.body_text, now);
    if (signals.length > 0) touched.add(Number(row.conversation_id));
  }
  for (const id of touched)
    await setConversationDistress(tx, ws, id, await signalsOfConversation(tx, ws, id));
}
