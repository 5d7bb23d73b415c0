import { and, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type Executor, executePrepared, inIds, returningOf, schema } from '../../db/index.js';
import type { Channel, ConversationStatus, Priority } from '../../db/schema/conversations.js';
import { type Cursor, eventColumns, eventValues, type NewEvent } from '../../platform/index.js';
import { type CustomerSummary, customerSummaryJoin } from '../customers/index.js';
import { type InboxSort, rankedSorts, sorts } from './inbox-sorts.js';
import { type Message, type StoredMessage, storedMessageColumns } from './messages.repo.js';
import type { StatusFacts } from './status-rules.js';

export type Conversation = typeof schema.conversations.$inferSelect;
export type NewConversationRow = typeof schema.conversations.$inferInsert;
const c = schema.conversations;

export async function findConversation(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
  return row;
}

/** What SLA clocks are computed from and kept with: the policy's facts, the start, the deadline written. */
export type DeadlineSubject = Pick<
  Conversation,
  | 'id'
  | 'customerId'
  | 'priority'
  | 'channel'
  | 'teamId'
  | 'assigneeId'
  | 'tags'
  | 'createdAt'
  | 'firstInboundAt'
  | 'slaNextDueAt'
  | 'slaWarnAt'
>;

/**
 * Many conversations by id (those that exist), only the columns their SLA clocks need: a recompute reads
 * every conversation in progress, and mapping whole rows cost more CPU than the database's reads.
 */
export async function findDeadlineSubjects(
  db: Executor,
  workspaceId: number,
  ids: number[],
): Promise<DeadlineSubject[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: c.id,
      customerId: c.customerId,
      priority: c.priority,
      channel: c.channel,
      teamId: c.teamId,
      assigneeId: c.assigneeId,
      tags: c.tags,
      createdAt: c.createdAt,
      firstInboundAt: c.firstInboundAt,
      slaNextDueAt: c.slaNextDueAt,
      slaWarnAt: c.slaWarnAt,
    })
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), inIds(c.id, ids)));
}

/**
 * Ids of the conversations in these statuses after `afterId`, in id order: a walk over many (background work
 * in chunks) that a change of `updated_at` meanwhile cannot make skip or repeat one.
 */
export async function listConversationIds(
  db: Executor,
  workspaceId: number,
  statuses: ConversationStatus[],
  range: { afterId: number; upTo: number | null },
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: c.id })
    .from(c)
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        inArray(c.status, statuses),
        sql`${c.id} > ${range.afterId}`,
        range.upTo === null ? undefined : sql`${c.id} <= ${range.upTo}`,
      ),
    )
    .orderBy(c.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Ids that cut the conversations in these statuses into `parts` runs of about equal size (the last id of
 * each run but the last), for background work done in parallel.
 */
export async function splitConversationIds(
  db: Executor,
  workspaceId: number,
  statuses: ConversationStatus[],
  parts: number,
): Promise<number[]> {
  if (parts <= 1) return [];
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  const [row] = await db
    .select({
      cuts: sql<Array<
        number | string
      > | null>`percentile_disc(${sql.raw(`array[${fractions.join(',')}]::float8[]`)}) within group (order by ${c.id})`,
    })
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), inArray(c.status, statuses)));
  return [...new Set((row?.cuts ?? []).map(Number))];
}

/** The conversation, locked until the transaction ends: concurrent messages and changes apply one by one. */
export async function lockConversation(
  tx: Executor,
  workspaceId: number,
  id: number,
): Promise<Conversation | undefined> {
  const [row] = await tx
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .for('update');
  return row;
}

export async function insertConversation(tx: Executor, values: NewConversationRow): Promise<Conversation> {
  const [row] = await tx.insert(c).values(values).returning();
  if (!row) throw new Error('insert into conversations returned no row');
  return row;
}

const conversationRow = returningOf<Conversation>(getTableColumns(c));
const messageRow = returningOf<StoredMessage>(storedMessageColumns, 'message.');

export type FirstMessage = Pick<
  Message,
  | 'direction'
  | 'channel'
  | 'authorCustomerId'
  | 'authorPersonId'
  | 'bodyText'
  | 'bodyHtml'
  | 'externalId'
  | 'channelMeta'
  | 'deliveryState'
  | 'createdAt'
> & { attachments?: Message['attachments'] };

/**
 * An event of a new conversation: its entity is the conversation (whose id the statement assigns), and with
 * `withMessageId` its data also gets `messageId`, the first message's id.
 */
export type NewConversationEvent = Omit<NewEvent, 'entityId'> & { withMessageId?: boolean };

/**
 * Intake: a conversation, its first message and their events in one statement (one round trip). The message
 * is undefined when its external id is already stored on that channel (ON CONFLICT DO NOTHING, which waits
 * for a concurrent transaction inserting the same one): the caller must then roll back, as the conversation
 * and the events were written all the same.
 */
export async function insertConversationWithMessage(
  tx: Executor,
  v: Omit<
    NewConversationRow,
    | 'id'
    | 'contactReasonId'
    | 'contactReasonSource'
    | 'contactReasonSetById'
    | 'contactReasonSetAt'
    | 'contactReasonNoneFits'
    | 'previousConversationId'
  > &
    StatusFacts,
  message: FirstMessage,
  events: NewConversationEvent[],
): Promise<{ conversation: Conversation; message: StoredMessage | undefined }> {
  const ts = (d: Date | null) => d?.toISOString() ?? null;
  const rows = events.map(
    ({ withMessageId, ...e }) =>
      sql`(${eventValues({
        ...e,
        entityId: sql`(select id from conversation)`,
        moreData: withMessageId
          ? sql`jsonb_build_object('messageId', (select "message.id" from message))`
          : undefined,
      })})`,
  );
  const [row] = await executePrepared(
    tx,
    sql`
    with conversation as (
      insert into conversations (workspace_id, subject, status, priority, channel, customer_id, assignee_id,
        team_id, tags, last_message_preview, message_count, created_at, updated_at, first_inbound_at,
        first_response_at, last_inbound_at, last_outbound_at, solved_at, closed_at, reopened_count)
      values (${v.workspaceId}, ${v.subject}, ${v.status}, ${v.priority ?? 'normal'}, ${v.channel},
        ${v.customerId}, ${v.assigneeId ?? null}, ${v.teamId ?? null}, ${sql.param(v.tags ?? [], c.tags)},
        ${v.lastMessagePreview ?? ''}, ${v.messageCount ?? 0}, ${ts(v.createdAt)}, ${ts(v.updatedAt)},
        ${ts(v.firstInboundAt)}, ${ts(v.firstResponseAt)}, ${ts(v.lastInboundAt)}, ${ts(v.lastOutboundAt)},
        ${ts(v.solvedAt)}, ${ts(v.closedAt)}, ${v.reopenedCount})
      returning ${conversationRow.list()}
    ), message as (
      insert into messages (workspace_id, conversation_id, direction, channel, author_customer_id,
        author_person_id, body_text, body_html, external_id, channel_meta, delivery_state, attachments,
        created_at)
      select ${v.workspaceId}, conversation.id, ${message.direction}, ${message.channel},
        ${message.authorCustomerId}, ${message.authorPersonId}, ${message.bodyText}, ${message.bodyHtml},
        ${message.externalId}, ${message.channelMeta ? JSON.stringify(message.channelMeta) : null}::jsonb,
        ${message.deliveryState}, ${JSON.stringify(message.attachments ?? [])}::jsonb, ${ts(message.createdAt)}
      from conversation
      on conflict do nothing
      returning ${messageRow.list()}
    ), events as (
      insert into events ${eventColumns} values ${sql.join(rows, sql`, `)}
    )
    select * from conversation left join message on true`,
  );
  if (!row) throw new Error('insert into conversations returned no row');
  return {
    conversation: conversationRow.read(row),
    message: row['message.id'] === null ? undefined : messageRow.read(row),
  };
}

export type ConversationChanges = Partial<
  StatusFacts &
    Pick<
      Conversation,
      | 'subject'
      | 'priority'
      | 'assigneeId'
      | 'teamId'
      | 'tags'
      | 'messageCount'
      | 'lastMessagePreview'
      | 'contactReasonId'
      | 'contactReasonSource'
      | 'contactReasonSetById'
      | 'contactReasonSetAt'
      | 'contactReasonNoneFits'
      | 'mergedIntoId'
    >
> & { updatedAt: Date };

export async function updateConversation(
  tx: Executor,
  workspaceId: number,
  id: number,
  changes: ConversationChanges,
): Promise<Conversation> {
  const [row] = await tx
    .update(c)
    .set(changes)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .returning();
  if (!row) throw new Error(`conversation ${id} vanished while locked`);
  return row;
}

export type ConversationFilter = {
  statuses?: ConversationStatus[];
  assigneeId?: number | 'none';
  teamId?: number;
  /** Any of these teams (the "My teams" view); an empty list matches nothing. */
  teamIds?: number[];
  priority?: Priority;
  tag?: string;
  channel?: Channel;
  customerId?: number;
  contactReasonId?: number | 'none' | 'none_fits';
  /** The customer's tier (customers.tier). */
  tier?: string;
  updatedSince?: Date;
  /** Only conversations whose customer showed distress (distress_level > 0). */
  distressed?: boolean;
};

/**
 * A row, its customer's summary (what an inbox row shows), and its sort key at full (microsecond) precision,
 * so a cursor never skips or repeats a row.
 */
export type ListedConversation = { conversation: Conversation; customer: CustomerSummary; sortKey: Cursor };

/**
 * Newest activity first, keyset-paged on (updated_at, id). The conditions and the order match the indexes
 * (workspace, [team | assignee | customer,] status, updated_at desc, id desc), so a page reads `limit` index
 * entries whatever its depth. Several statuses are read as one ordered scan per status, merged (UNION ALL
 * of the per-status pages, then the page of those): a plain `status in (...)` would read and sort every
 * matching row. One statement, written with the `sql` template and prepared: the inbox is read often.
 * Each row's customer summary is joined to the page (already limited) on the customers' primary key, in the
 * same statement: one index lookup per row of the page, never per matching row, and no second round trip
 * (measured with pgbench on 50k conversations, 51-row pages: the join adds ~0.04-0.09 ms to the statement, a
 * second query for the page's customer ids ~0.04-0.17 ms plus a round trip from Node).
 */
/** The WHERE conditions of a list filter (without the page cursor). */
function filterConditions(workspaceId: number, filter: ConversationFilter): SQL[] {
  const base: SQL[] = [sql`workspace_id = ${workspaceId}`];
  if (filter.assigneeId === 'none') base.push(sql`assignee_id is null`);
  else if (filter.assigneeId !== undefined) base.push(sql`assignee_id = ${filter.assigneeId}`);
  if (filter.teamId !== undefined) base.push(sql`team_id = ${filter.teamId}`);
  if (filter.teamIds !== undefined)
    base.push(
      filter.teamIds.length
        ? sql`team_id in (${sql.join(
            filter.teamIds.map((t) => sql`${t}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (filter.customerId !== undefined) base.push(sql`customer_id = ${filter.customerId}`);
  if (filter.contactReasonId === 'none')
    base.push(sql`contact_reason_id is null and not contact_reason_none_fits`);
  // A conversation merged into another is no contact of its own any more.
  else if (filter.contactReasonId === 'none_fits')
    base.push(sql`contact_reason_none_fits and merged_into_id is null`);
  else if (filter.contactReasonId !== undefined)
    base.push(sql`contact_reason_id = ${filter.contactReasonId}`);
  if (filter.priority) base.push(sql`priority = ${filter.priority}`);
  if (filter.channel) base.push(sql`channel = ${filter.channel}`);
  if (filter.tag) base.push(sql`tags @> array[${filter.tag}]::text[]`);
  if (filter.tier !== undefined)
    base.push(sql`exists (select 1 from customers t where t.workspace_id = conversations.workspace_id
      and t.id = conversations.customer_id and t.tier = ${filter.tier})`);
  if (filter.updatedSince) base.push(sql`updated_at >= ${filter.updatedSince.toISOString()}`);
  if (filter.distressed) base.push(sql`distress_level > 0`);
  return base;
}

/**
 * How many conversations match, counted up to `cap` (then "cap or more"): never a count over the whole table,
 * so the inbox's counts cost the same at 1M conversations as at 1k. One bounded count per status, on the
 * (workspace, status, …) indexes.
 */
export async function countConversations(
  db: Executor,
  workspaceId: number,
  filter: ConversationFilter,
  cap: number,
): Promise<{ count: number; capped: boolean }> {
  const base = filterConditions(workspaceId, filter);
  const statuses = [...new Set(filter.statuses ?? [])];
  const parts = (statuses.length ? statuses : [null]).map(
    (s) =>
      sql`(select 1 from conversations where ${sql.join(s ? [...base, sql`status = ${s}`] : base, sql` and `)} limit ${cap + 1})`,
  );
  const statement = sql`select count(*)::int as n from (select 1 from (${sql.join(parts, sql` union all `)}) u limit ${cap + 1}) c`;
  const [row] = await executePrepared(db, statement);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, cap), capped: n > cap };
}

export async function listConversations(
  db: Executor,
  workspaceId: number,
  filter: ConversationFilter,
  after: Cursor | undefined,
  limit: number,
  sort: InboxSort = 'newest',
): Promise<ListedConversation[]> {
  const how = sorts[sort];
  const base = filterConditions(workspaceId, filter);
  if (after) base.push(how.after(after));

  const page = (conditions: SQL[]) =>
    sql`select ${conversationRow.list()}, ${how.key} from conversations
      where ${sql.join(conditions, sql` and `)} ${how.scan} limit ${limit}`;
  const statuses = [...new Set(filter.statuses ?? [])];
  const rows =
    statuses.length <= 1
      ? page(statuses[0] ? [...base, sql`status = ${statuses[0]}`] : base)
      : sql`select * from (${sql.join(
          statuses.map((s) => sql`(${page([...base, sql`status = ${s}`])})`),
          sql` union all `,
        )}) pages ${how.merge('')} limit ${limit}`;
  const statement = sql`select p.*, ${customerSummaryJoin.columns} from (${rows}) p
    ${customerSummaryJoin.join('p."workspaceId"', 'p."customerId"')}
    ${how.merge('p.')}`;
  return (await executePrepared(db, statement)).map((r) => {
    const conversation = conversationRow.read(r);
    const sortKey: Cursor = { t: r.t as string, id: conversation.id };
    if (rankedSorts.has(sort)) sortKey.r = Number(r.r);
    return { conversation, customer: customerSummaryJoin.read(r), sortKey };
  });
}

/** Moves every conversation of one customer to another (a merge). Returns the moved ids. */
/** All the customer's conversations move to another; or only `onlyIds` of them (a customer split). */
export async function moveConversationsToCustomer(
  tx: Executor,
  workspaceId: number,
  fromCustomerId: number,
  toCustomerId: number,
  now: Date,
  onlyIds?: number[],
): Promise<number[]> {
  const rows = await tx
    .update(c)
    .set({ customerId: toCustomerId, updatedAt: now })
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        eq(c.customerId, fromCustomerId),
        onlyIds ? inArray(c.id, onlyIds) : undefined,
      ),
    )
    .returning({ id: c.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * The customer's conversation still in progress on a channel without threads (SMS, WhatsApp, social): a
 * message there continues it; when there is none (or it is solved or closed), the message starts a new one.
 */
export async function findOpenConversationOn(
  db: Executor,
  workspaceId: number,
  customerId: number,
  channel: Conversation['channel'],
): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(c)
    .where(
      and(
        eq(c.workspaceId, workspaceId),
        eq(c.customerId, customerId),
        eq(c.channel, channel),
        inArray(c.status, ['new', 'open', 'pending', 'on_hold']),
        isNull(c.mergedIntoId),
      ),
    )
    .orderBy(desc(c.updatedAt), desc(c.id))
    .limit(1);
  return row;
}
