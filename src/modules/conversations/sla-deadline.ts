import { and, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { publishConversationsUpdated, publishConversationUpdated } from './conversation-realtime.js';

const c = schema.conversations;

/**
 * The SLA module's one write to conversations: the next deadline and when it becomes at risk, for the inbox's
 * "next deadline" sort and marks. Not an activity: `updated_at` stays. Writes (and pushes) only a change.
 */
export async function setSlaDeadline(
  tx: Executor,
  workspaceId: number,
  conversationId: number,
  next: { dueAt: Date | null; warnAt: Date | null },
): Promise<void> {
  const due = next.dueAt?.toISOString() ?? null;
  const warn = next.warnAt?.toISOString() ?? null;
  const [row] = await tx
    .update(c)
    .set({ slaNextDueAt: next.dueAt, slaWarnAt: next.warnAt })
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        eq(c.id, conversationId),
        sql`(${c.slaNextDueAt} is distinct from ${due}::timestamptz or ${c.slaWarnAt} is distinct from ${warn}::timestamptz)`,
      ),
    )
    .returning();
  if (row) await publishConversationUpdated(tx, row, ['sla']);
}

/**
 * `setSlaDeadline` for many conversations of one workspace at once (the SLA recompute after a change of
 * business hours): one statement writes the ones that changed, one pushes them.
 */
export async function setSlaDeadlines(
  tx: Executor,
  workspaceId: number,
  next: Array<{ conversationId: number; dueAt: Date | null; warnAt: Date | null }>,
): Promise<void> {
  for (let i = 0; i < next.length; i += 5000) {
    const rows = JSON.stringify(
      next.slice(i, i + 5000).map((n) => ({
        id: n.conversationId,
        due: n.dueAt?.toISOString() ?? null,
        warn: n.warnAt?.toISOString() ?? null,
      })),
    );
    const changed = await tx
      .update(c)
      .set({ slaNextDueAt: sql`v.due`, slaWarnAt: sql`v.warn` })
      .from(sql`json_to_recordset(${rows}::json) as v(id bigint, due timestamptz, warn timestamptz)`)
      .where(
        and(
          eq(c.workspaceId, workspaceId),
          sql`${c.id} = v.id`,
          sql`(${c.slaNextDueAt} is distinct from v.due or ${c.slaWarnAt} is distinct from v.warn)`,
        ),
      )
      // Only what the push says: a whole row per conversation would cost more than the update.
      .returning({
        workspaceId: c.workspaceId,
        id: c.id,
        status: c.status,
        assigneeId: c.assigneeId,
        priority: c.priority,
        teamId: c.teamId,
        mergedIntoId: c.mergedIntoId,
      });
    await publishConversationsUpdated(tx, changed, ['sla']);
  }
}
