import { and, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { publishConversationUpdated } from './conversation-realtime.js';

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
