import { sql } from 'drizzle-orm';
import type { Executor } from '../../../db/index.js';
import type { Conversation } from '../../conversations/index.js';
import { type PreparedDescriptions, prepareDescriptions, rankPrepared } from '../classifier/name-match.js';

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
          and child.parent_id = r.id and child.status = 'active')
      order by r.id`)
  ).rows as Array<{ id: string | number; name: string; description: string }>;
  const described = reasons.map((r) => ({ label: String(r.id), text: `${r.name}. ${r.description}` }));
  return rankPrepared(first.body_text, preparedFor(ws, described)).map((r) => ({
    reasonId: Number(r.label),
    score: r.score,
  }));
}

/**
 * The taxonomy's prepared vectors per workspace, kept while its reasons read the same (a renamed, added or
 * archived reason prepares them again): preparing a hundred reasons costs about 8 ms of the event loop,
 * ranking one text against them a fraction of that.
 */
const prepared = new Map<number, { key: string; value: PreparedDescriptions }>();
const PREPARED_WORKSPACES = 200;

function preparedFor(
  workspaceId: number,
  described: { label: string; text: string }[],
): PreparedDescriptions {
  const key = described.map((d) => `${d.label}\u0001${d.text}`).join('\u0002');
  const hit = prepared.get(workspaceId);
  if (hit?.key === key) return hit.value;
  const value = prepareDescriptions(described);
  prepared.delete(workspaceId);
  prepared.set(workspaceId, { key, value });
  // The least recently prepared workspace goes first (a Map keeps insertion order).
  if (prepared.size > PREPARED_WORKSPACES) prepared.delete(prepared.keys().next().value as number);
  return value;
}
