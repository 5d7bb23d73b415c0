import { and, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, executePrepared, inIds, returningOf, schema } from '../../db/index.js';
import type { ConversationStatus } from '../../db/schema/conversations.js';
import { eventColumns, eventValues, type NewEvent } from '../../platform/index.js';
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

/** Reads a conversation's columns in raw statements (`sql` templates), as a row of the table. */
export const conversationRow = returningOf<Conversation>(getTableColumns(c));
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
