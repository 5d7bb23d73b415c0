import { and, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { type DistressSignal, distressLevelOf } from '../../db/schema/understanding.js';
import { publishConversationUpdated } from './conversation-realtime.js';

const c = schema.conversations;

/**
 * The understanding module's one write to conversations: the distress its customer's messages showed, for
 * the inbox's "most distressed" sort, its Distressed view and its marks. Not an activity: `updated_at` stays.
 * Writes only a change; pushes a change, or with `announce` also no change (a message was read: its
 * sentiment is new even when the distress is not).
 */
export async function setConversationDistress(
  tx: Executor,
  workspaceId: number,
  conversationId: number,
  signals: readonly DistressSignal[],
  options: { announce?: boolean } = {},
): Promise<void> {
  const list = [...new Set(signals)].sort();
  const [row] = await tx
    .update(c)
    .set({ distressSignals: list, distressLevel: distressLevelOf(list) })
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        eq(c.id, conversationId),
        sql`${c.distressSignals} is distinct from ${sql`array[${sql.join(
          list.map((x) => sql`${x}`),
          sql`, `,
        )}]::text[]`}`,
      ),
    )
    .returning();
  if (row) await publishConversationUpdated(tx, row, ['distress', 'sentiment']);
  else if (options.announce) {
    const [current] = await tx
      .select()
      .from(c)
      .where(and(eq(c.workspaceId, workspaceId), eq(c.id, conversationId)));
    if (current) await publishConversationUpdated(tx, current, ['sentiment']);
  }
}
