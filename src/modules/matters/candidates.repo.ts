import { and, desc, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { RankedReason } from '../../db/schema/understanding.js';
import type { MatterCandidate } from './decide.js';

const m = schema.matters;
const DAY = 86_400_000;
/** How many of a matter's customer messages the text comparison reads (its latest contacts). */
const TEXTS_PER_MATTER = 5;
/** How many of the customer's recent matters a new conversation is compared with. */
const CANDIDATES = 20;
/** How much of one message the comparison reads. */
export const TEXT_CHARS = 2000;

/**
 * The customer's matters that a new contact at `at` may join: open, or last contacted within the window
 * (newest first, at most CANDIDATES), with the reasons and predicted reasons of their conversations and the
 * customer's latest messages on them. Three index range reads, whatever the size of the workspace.
 */
export async function loadCandidates(
  db: Executor,
  workspaceId: number,
  customerId: number,
  at: Date,
  windowDays: number,
  excludeMatterId: number | null = null,
): Promise<(MatterCandidate & { firstConversationId: number })[]> {
  const since = new Date(at.getTime() - windowDays * DAY);
  const rows = await db
    .select({ id: m.id, status: m.status, last: m.lastContactAt, first: m.firstConversationId })
    .from(m)
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        eq(m.customerId, customerId),
        sql`(${m.status} = 'open' or ${m.lastContactAt} >= ${since.toISOString()})`,
        excludeMatterId === null ? undefined : sql`${m.id} <> ${excludeMatterId}`,
      ),
    )
    .orderBy(desc(m.lastContactAt))
    .limit(CANDIDATES);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const convs = await db.execute(sql`
    select cm.matter_id, c.contact_reason_id, p.ranked
    from conversation_matters cm
    join conversations c on c.workspace_id = cm.workspace_id and c.id = cm.conversation_id
    left join reason_predictions p on p.workspace_id = cm.workspace_id and p.conversation_id = cm.conversation_id
    where cm.workspace_id = ${workspaceId} and cm.matter_id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const texts = await db.execute(sql`
    select matter_id, body from (
      select ct.matter_id, left(msg.body_text, ${TEXT_CHARS}) as body,
        row_number() over (partition by ct.matter_id order by ct.at desc, ct.id desc) as n
      from contacts ct
      join messages msg on msg.workspace_id = ct.workspace_id and msg.id = ct.message_id
      where ct.workspace_id = ${workspaceId} and ct.matter_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})
    ) t where n <= ${TEXTS_PER_MATTER}`);
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        matterId: r.id,
        open: r.status === 'open',
        lastContactAt: r.last,
        firstConversationId: r.first,
        reasonIds: [] as number[],
        texts: [] as string[],
        predicted: [] as RankedReason[][],
      },
    ]),
  );
  for (const row of convs.rows as Array<{
    matter_id: number | string;
    contact_reason_id: number | string | null;
    ranked: RankedReason[] | string | null;
  }>) {
    const c = byId.get(Number(row.matter_id));
    if (!c) continue;
    if (row.contact_reason_id !== null) c.reasonIds.push(Number(row.contact_reason_id));
    const ranked = typeof row.ranked === 'string' ? (JSON.parse(row.ranked) as RankedReason[]) : row.ranked;
    if (ranked && ranked.length > 0) c.predicted.push(ranked);
  }
  for (const row of texts.rows as Array<{ matter_id: number | string; body: string | null }>)
    if (row.body) byId.get(Number(row.matter_id))?.texts.push(row.body);
  return [...byId.values()];
}
