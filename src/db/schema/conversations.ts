import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers } from './customers.js';
import { people, teams } from './people.js';
import { contactReasons } from './reasons.js';
import { tsvector } from './types.js';
import { workspaces } from './workspaces.js';

export const conversationStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
/** Channels a message can travel on. `api` is an integration writing through the REST API. */
export const channels = ['email', 'chat', 'webform', 'phone', 'sms', 'whatsapp', 'social', 'api'] as const;
export type Channel = (typeof channels)[number];
/**
 * Who chose a conversation's contact reason: an agent, Steward's suggestion (accepted by a person), a rule, or
 * the reason model itself (a confident prediction, correctable).
 */
export const contactReasonSources = ['agent', 'suggestion', 'rule', 'model'] as const;
export type ContactReasonSource = (typeof contactReasonSources)[number];

/**
 * Since when the customer waits for us: their last message, when it came after our last answer; `infinity`
 * when nobody waits (sorted last). Written once here, for the index and the query to be the same expression.
 */
export const waitingKeySql =
  "coalesce(case when last_outbound_at >= last_inbound_at then null else last_inbound_at end, 'infinity'::timestamptz)";
/** Urgent first: 0 urgent, 1 high, 2 normal, 3 low. */
export const priorityRankSql =
  "case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end";
/** The next SLA deadline, soonest (most overdue) first; `infinity` when none is running (sorted last). */
export const slaDueKeySql = "coalesce(sla_next_due_at, 'infinity'::timestamptz)";

export const conversations = pgTable(
  'conversations',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    subject: text('subject').notNull(),
    status: text('status', { enum: conversationStatuses }).notNull(),
    priority: text('priority', { enum: priorities }).notNull().default('normal'),
    channel: text('channel', { enum: channels }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    assigneeId: bigint('assignee_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Why the customer got in touch: a reason of the taxonomy (reasons module); null until someone sets it. */
    contactReasonId: bigint('contact_reason_id', { mode: 'number' }),
    contactReasonSource: text('contact_reason_source', { enum: contactReasonSources }),
    /** The person who set it (an agent, or the one who accepted a suggestion); null for a rule. */
    contactReasonSetById: bigint('contact_reason_set_by_id', { mode: 'number' }),
    contactReasonSetAt: timestamp('contact_reason_set_at', { withTimezone: true }),
    /**
     * A person said no reason of the taxonomy fits (the reason id stays null): a problem the taxonomy does not
     * know yet, and for the reason model an example of "none of these".
     */
    contactReasonNoneFits: boolean('contact_reason_none_fits').notNull().default(false),
    /** A conversation started by a customer writing into a closed one points back to it. */
    previousConversationId: bigint('previous_conversation_id', { mode: 'number' }),
    /** Set when an agent merged this conversation into another: its messages moved there, it is closed. */
    mergedIntoId: bigint('merged_into_id', { mode: 'number' }),
    lastMessagePreview: text('last_message_preview').notNull().default(''),
    messageCount: integer('message_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    firstInboundAt: timestamp('first_inbound_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastOutboundAt: timestamp('last_outbound_at', { withTimezone: true }),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    reopenedCount: integer('reopened_count').notNull().default(0),
    /**
     * The soonest unmet SLA deadline whose clock runs, and when it becomes at risk (its warning): written by
     * the sla module through `setSlaDeadline`, for the inbox's "next deadline" sort and its marks.
     */
    slaNextDueAt: timestamp('sla_next_due_at', { withTimezone: true }),
    slaWarnAt: timestamp('sla_warn_at', { withTimezone: true }),
    /**
     * The distress its customer's messages showed (anger, a threat to leave, "third time"...: the
     * understanding module writes them through `setConversationDistress`), and how many kinds: the inbox's
     * "most distressed first" sort and its Distressed view.
     */
    distressSignals: text('distress_signals').array().notNull().default(sql`'{}'::text[]`),
    distressLevel: smallint('distress_level').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('conversations_status_idx').on(t.workspaceId, t.status, t.updatedAt.desc(), t.id.desc()),
    index('conversations_team_idx').on(t.workspaceId, t.teamId, t.status, t.updatedAt.desc(), t.id.desc()),
    index('conversations_assignee_idx').on(
      t.workspaceId,
      t.assigneeId,
      t.status,
      t.updatedAt.desc(),
      t.id.desc(),
    ),
    // Routing's queue: a team's unassigned open work, oldest first.
    index('conversations_unassigned_idx')
      .on(t.workspaceId, t.teamId, t.id)
      .where(sql`assignee_id is null and status in ('new', 'open')`),
    index('conversations_customer_idx').on(t.workspaceId, t.customerId, t.updatedAt.desc(), t.id.desc()),
    index('conversations_updated_idx').on(t.workspaceId, t.updatedAt.desc(), t.id.desc()),
    index('conversations_tags_idx').using('gin', t.tags),
    // The inbox's other sorts (conversations.repo.ts: waitingKey, priorityRank), keyset-paged per status.
    index('conversations_waiting_idx').on(t.workspaceId, t.status, sql`(${sql.raw(waitingKeySql)})`, t.id),
    index('conversations_priority_idx').on(
      t.workspaceId,
      t.status,
      sql`(${sql.raw(priorityRankSql)})`,
      t.updatedAt.desc(),
      t.id.desc(),
    ),
    index('conversations_sla_due_idx').on(t.workspaceId, t.status, sql`(${sql.raw(slaDueKeySql)})`, t.id),
    index('conversations_distress_idx').on(
      t.workspaceId,
      t.status,
      t.distressLevel.desc(),
      sql`(${sql.raw(waitingKeySql)})`,
      t.id,
    ),
    index('conversations_contact_reason_idx').on(
      t.workspaceId,
      t.contactReasonId,
      t.updatedAt.desc(),
      t.id.desc(),
    ),
    check(
      'conversations_reason_or_none_fits',
      sql`not (contact_reason_none_fits and contact_reason_id is not null)`,
    ),
    index('conversations_reason_none_fits_idx')
      .on(t.workspaceId, t.updatedAt.desc(), t.id.desc())
      .where(sql`contact_reason_none_fits`),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }),
    foreignKey({ columns: [t.workspaceId, t.assigneeId], foreignColumns: [people.workspaceId, people.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
    foreignKey({
      columns: [t.workspaceId, t.contactReasonId],
      foreignColumns: [contactReasons.workspaceId, contactReasons.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.contactReasonSetById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);

export const callOutcomes = ['resolved', 'follow_up', 'no_answer', 'voicemail', 'callback_agreed'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** Where an outgoing message is on its way to the customer (channels that deliver: e-mail, and later others). */
export const deliveryStates = ['queued', 'sent', 'failed', 'bounced'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * What the channel knows of a message beyond its text. E-mail: the addresses, the threading headers, the
 * mailbox, and the full original when the shown body was trimmed of quoted history and signature.
 */
export type ChannelMeta = {
  mailboxId?: number;
  from?: string;
  fromName?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  inReplyTo?: string;
  references?: string[];
  /** Outlook's Thread-Index, its first 22 bytes (the thread's root) in base64. */
  threadIndex?: string;
  /** The complete text before trimming, when it differs from the body. */
  fullText?: string;
  /** Forwarded to a third party rather than sent to the customer. */
  forward?: boolean;
  /** Messaging bridges: which bridge carried it, and the sender as the provider knows them. */
  bridgeId?: number;
  senderId?: string;
  /** A logged phone call: which way, how long, how it ended. */
  call?: { direction: 'inbound' | 'outbound'; durationSeconds: number; outcome: CallOutcome };
  /** Files the bridge pointed to (the provider's URLs), kept as links. */
  links?: { url: string; filename?: string; contentType?: string }[];
  autoSubmitted?: boolean;
};

/** What a message shows of each attachment (the attachments table has the rest). */
export type AttachmentMeta = { id: number; filename: string; contentType: string; size: number };

export const messages = pgTable(
  'messages',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound', 'note'] }).notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    authorCustomerId: bigint('author_customer_id', { mode: 'number' }),
    authorPersonId: bigint('author_person_id', { mode: 'number' }),
    bodyText: text('body_text').notNull(),
    /** Sanitized before storage; sanitized again by whoever renders it. */
    bodyHtml: text('body_html'),
    /** The channel's own id for the message (email Message-ID, chat client id...): intake is idempotent on it. */
    externalId: text('external_id'),
    attachments: jsonb('attachments').$type<AttachmentMeta[]>().notNull().default(sql`'[]'::jsonb`),
    channelMeta: jsonb('channel_meta').$type<ChannelMeta>(),
    /** Outgoing messages on a delivering channel only; null for the rest. */
    deliveryState: text('delivery_state', { enum: deliveryStates }),
    deliveryDetail: text('delivery_detail'),
    deliveryAt: timestamp('delivery_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('english', body_text)`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('messages_conversation_idx').on(t.workspaceId, t.conversationId, t.createdAt, t.id),
    uniqueIndex('messages_external_id_key').on(t.workspaceId, t.channel, t.externalId),
    index('messages_search_idx').using('gin', t.search),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.authorCustomerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.authorPersonId],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);

/**
 * Ground truth recorded by the data generator: the real matter and contact reason behind each generated
 * conversation, so that later features (matters, reason prediction) can be scored against it.
 */
export const generatedTruth = pgTable(
  'generated_truth',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    matterKey: text('matter_key').notNull(),
    reasonKey: text('reason_key').notNull(),
    source: text('source').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
  ],
);
