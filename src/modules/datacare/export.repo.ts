import { and, desc, eq, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const x = schema.workspaceExports;
export type WorkspaceExport = typeof x.$inferSelect;

export async function insertExport(tx: Executor, values: typeof x.$inferInsert): Promise<WorkspaceExport> {
  const [row] = await tx.insert(x).values(values).returning();
  return row!;
}

export async function findExport(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select()
    .from(x)
    .where(and(eq(x.workspaceId, workspaceId), eq(x.id, id)));
  return row;
}

export async function listExports(db: Executor, workspaceId: number, limit: number) {
  return db
    .select()
    .from(x)
    .where(eq(x.workspaceId, workspaceId))
    .orderBy(desc(x.createdAt), desc(x.id))
    .limit(limit);
}

export async function updateExport(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<typeof x.$inferInsert>,
): Promise<WorkspaceExport | undefined> {
  const [row] = await db
    .update(x)
    .set(patch)
    .where(and(eq(x.workspaceId, workspaceId), eq(x.id, id)))
    .returning();
  return row;
}

/**
 * The tables of a workspace export, read read-only with explicit columns (never password hashes, session
 * or token secrets, blob keys or stored tsvectors). A documented departure from "one module owns each
 * table": the export reads every tenant table, writes none.
 */
export const exportTables = {
  people: (
    ws: number,
  ) => sql`select id, email, name, role, is_owner, status, created_at, updated_at, deactivated_at
    from people p where workspace_id = ${ws}`,
  teams: (ws: number) => sql`select id, name, lead_id, is_vendor, created_at, updated_at,
    coalesce((select json_agg(m.person_id order by m.person_id) from team_members m
      where m.workspace_id = t.workspace_id and m.team_id = t.id), '[]') as member_ids
    from teams t where workspace_id = ${ws}`,
  customers: (
    ws: number,
  ) => sql`select id, name, company, locale, time_zone, customer_since, tier, lifetime_value, attributes,
    notes, merged_into_id, created_at, updated_at,
    coalesce((select json_agg(json_build_object('id', i.id, 'kind', i.kind, 'value', i.value,
      'createdAt', i.created_at) order by i.id) from customer_identities i
      where i.workspace_id = c.workspace_id and i.customer_id = c.id), '[]') as identities
    from customers c where workspace_id = ${ws}`,
  conversations: (
    ws: number,
  ) => sql`select id, subject, status, priority, channel, customer_id, assignee_id, team_id, tags,
    contact_reason_id, contact_reason_none_fits, previous_conversation_id, merged_into_id, message_count, created_at,
    updated_at, first_inbound_at,
    first_response_at, last_inbound_at, last_outbound_at, solved_at, closed_at, reopened_count
    from conversations where workspace_id = ${ws}`,
  messages: (
    ws: number,
  ) => sql`select id, conversation_id, direction, channel, author_customer_id, author_person_id, body_text,
    body_html, external_id, attachments, channel_meta, delivery_state, delivery_detail, delivery_at, created_at
    from messages where workspace_id = ${ws}`,
  events: (ws: number) => sql`select id, type, entity_type, entity_id, actor_type, actor_id, data, created_at
    from events where workspace_id = ${ws}`,
  attachments: (
    ws: number,
  ) => sql`select id, status, filename, content_type, size, sha256, conversation_id, message_id,
    uploaded_by_id, created_at, attached_at, blob_key from attachments where workspace_id = ${ws}`,
  // Channels: never the inbound secret's hash, a bridge's secret or an IMAP password.
  mailboxes: (ws: number) => sql`select m.id, m.address, m.name, m.team_id, m.is_default, m.acknowledge,
    m.signature, m.promise_footer, m.created_at, m.updated_at, i.host as imap_host, i.username as imap_username
    from mailboxes m left join mailbox_imap i on i.workspace_id = m.workspace_id and i.mailbox_id = m.id
    where m.workspace_id = ${ws}`,
  messaging_bridges: (ws: number) => sql`select id, name, channel, reply_url, team_id, created_at, updated_at
    from messaging_bridges where workspace_id = ${ws}`,
  commitments: (ws: number) => sql`select id, conversation_id, owner_id, team_id, text, due_at, status,
    source_message_id, note, created_by_id, created_at, updated_at, kept_at, broken_at, reminded_at, escalated_at
    from commitments where workspace_id = ${ws}`,
  // A matter with why each of its conversations is on it; contacts with their matter.
  matters: (
    ws: number,
  ) => sql`select m.id, m.customer_id, m.status, m.first_conversation_id, m.contact_reason_id,
    m.contact_count, m.channels, m.first_contact_at, m.last_contact_at, m.solved_at, m.first_solved_at,
    m.contacts_at_first_solve, m.first_repeat_at, m.created_at, m.updated_at,
    coalesce((select json_agg(json_build_object('conversationId', cm.conversation_id, 'rule', cm.rule,
      'score', cm.score, 'comparedConversationId', cm.compared_conversation_id, 'decidedById', cm.decided_by_id,
      'decidedAt', cm.decided_at) order by cm.conversation_id) from conversation_matters cm
      where cm.workspace_id = m.workspace_id and cm.matter_id = m.id), '[]') as conversations
    from matters m where m.workspace_id = ${ws}`,
  contacts: (ws: number) => sql`select id, conversation_id, matter_id, message_id, kind, channel, at
    from contacts where workspace_id = ${ws}`,
};
export type ExportTable = keyof typeof exportTables;
export const tableNames: Record<ExportTable, string> = {
  people: 'people',
  teams: 'teams',
  customers: 'customers',
  conversations: 'conversations',
  messages: 'messages',
  events: 'events',
  attachments: 'attachments',
  mailboxes: 'mailboxes',
  messaging_bridges: 'messaging_bridges',
  commitments: 'commitments',
  matters: 'matters',
  contacts: 'contacts',
};

/** One keyset page (by id) of a table of the export: never the whole table in memory. */
export async function exportPage(
  db: Executor,
  table: ExportTable,
  workspaceId: number,
  afterId: number,
  limit: number,
): Promise<Array<Record<string, unknown>>> {
  const result = await db.execute(
    sql`select * from (${exportTables[table](workspaceId)}) q where id > ${afterId} order by id limit ${limit}`,
  );
  return result.rows as Array<Record<string, unknown>>;
}

/** Below this planner estimate a table's rows are counted exactly (cheap); above, the estimate stands. */
export const EXACT_COUNT_BELOW = 100_000;

/** The planner's estimate of a workspace's rows in a table (its statistics on workspace_id): no scan. */
async function plannedRows(db: Executor, table: string, workspaceId: number): Promise<number> {
  // EXPLAIN takes no bind parameters on every driver: the id is an integer, inlined.
  const result = await db.execute(
    sql`explain (format json) select 1 from ${sql.identifier(table)} where workspace_id = ${sql.raw(String(Math.trunc(workspaceId)))}`,
  );
  const cell = Object.values(result.rows[0] as Record<string, unknown>)[0];
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as Array<{
    Plan: { 'Plan Rows': number };
  }>;
  return Math.max(0, Math.round(Number(plan[0]?.Plan['Plan Rows'] ?? 0)));
}

/**
 * How many rows each table holds for a workspace, for the export's progress: `count(*)` where the planner
 * expects fewer than `exactBelow` rows (small workspaces get exact totals), else the planner's estimate, so a
 * very large workspace is not scanned once just to count it. An estimate may be low or high: the export
 * raises its total when it passes it and sets it to the rows written when done.
 */
export async function estimateRows(
  db: Executor,
  workspaceId: number,
  exactBelow = EXACT_COUNT_BELOW,
): Promise<{ totals: Record<ExportTable, number>; exact: boolean }> {
  const totals = {} as Record<ExportTable, number>;
  let exact = true;
  for (const table of Object.keys(tableNames) as ExportTable[]) {
    const planned = await plannedRows(db, tableNames[table], workspaceId);
    if (planned >= exactBelow) {
      totals[table] = planned;
      exact = false;
      continue;
    }
    const result = await db.execute(
      sql`select count(*)::int as n from ${sql.identifier(tableNames[table])} where workspace_id = ${workspaceId}`,
    );
    totals[table] = Number((result.rows[0] as { n: number }).n);
  }
  return { totals, exact };
}
