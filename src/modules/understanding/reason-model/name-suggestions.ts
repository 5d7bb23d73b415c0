import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/index.js';
import type { Conversation } from '../../conversations/index.js';
import { rankByDescription } from '../classifier/name-match.js';

/**
 * With no model yet (no labels, or too few to validate one), a conversation without a reason is matched
 * against the reasons' names and descriptions: the three closest, as suggestions only, never applied (the
 * scores are similarities, not calibrated probabilities). Reasons that group others are left out; the
 * customer's first message is the text, as for the model. Computed when asked: nothing is stored.
 */
export async function suggestFromNames(
  db: Executor,
  conversation: Conversation,
): Promise<{ reasonId: number; score: number }[]> {
  if (conversation.contactReasonId !== null || conversation.contactReasonNoneFits) return [];
  const ws = conversation.workspaceId;
  const [first] = (
    await db.execute(sql`select body_text from messages
      where workspace_id = ${ws} and conversation_id = ${conversation.id} and direction = 'inbound'
      order by created_at, id limit 1`)
  ).rows as Array<{ body_text: string }>;
  if (!first) return [];
  const reasons = (
    await db.execute(sql`select r.id, r.name, r.description from contact_reasons r
      where r.workspace_id = ${ws} and r.status = 'active' and not exists (
        select 1 from contact_reasons child where child.workspace_id = r.workspace_id
          and child.parent_id = r.id and child.status = 'active')`)
  ).rows as Array<{ id: string | number; name: string; description: string }>;
  return rankByDescription(
    first.body_text,
    reasons.map((r) => ({ label: String(r.id), text: `${r.name}. ${r.description}` })),
  ).map((r) => ({ reasonId: Number(r.label), score: r.score }));
}
