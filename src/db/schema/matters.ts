import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channels, conversations, messages, priorities } from './conversations.js';
import { customers } from './customers.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

export const matterStatuses = ['open', 'solved'] as const;
export type MatterStatus = (typeof matterStatuses)[number];

/**
 * One customer's one problem (PRODUCT.md "Matter"; matters module). Every contact belongs to exactly one
 * matter; the figures are kept here as contacts arrive and conversations are solved:
 * - `contact_count`, `channels`, `first_contact_at`, `last_contact_at`: from its contacts;
 * - `status`: solved when every conversation of the matter is solved or closed; `solved_at` the latest solve;
 * - `first_solved_at` and `contacts_at_first_solve`: when it was first solved, and after how many contacts;
 *   `first_repeat_at`: the first contact after that (first-contact resolution looks at the 7 days after);
 * - `first_conversation_id`: the conversation of its first contact (whose agent, team, channel and reason the
 *   figures group by); `contact_reason_id`: that conversation's reason, else the first one set on the matter.
 */
export const matters = pgTable(
  'matters',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    status: text('status', { enum: matterStatuses }).notNull(),
    firstConversationId: bigint('first_conversation_id', { mode: 'number' }).notNull(),
    contactReasonId: bigint('contact_reason_id', { mode: 'number' }),
    contactCount: integer('contact_count').notNull().default(0),
    channels: text('channels', { enum: channels }).array().notNull().default(sql`'{}'::text[]`),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }).notNull(),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }).notNull(),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    firstSolvedAt: timestamp('first_solved_at', { withTimezone: true }),
    contactsAtFirstSolve: integer('contacts_at_first_solve'),
    firstRepeatAt: timestamp('first_repeat_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // A new conversation's candidates: the customer's matters, most recent contact first.
    index('matters_customer_idx').on(t.workspaceId, t.customerId, t.lastContactAt.desc()),
    // The figures: matters by first contact (repeat-contact rate) and by first solve (FCR).
    index('matters_first_contact_idx').on(t.workspaceId, t.firstContactAt),
    index('matters_first_solved_idx').on(t.workspaceId, t.firstSolvedAt),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }).onDelete('cascade'),
  ],
);

export const matterRules = [
  'no_candidate',
  'not_similar',
  'same_reason',
  'similar_text',
  'predicted_reason',
  'continued',
  'agent_link',
  'agent_split',
  'split_off',
  'customer_changed',
] as const;
export type MatterRule = (typeof matterRules)[number];

/**
 * Which matter a conversation belongs to, and why (every automatic decision shows its reason): the rule, the
 * similarity score when text decided, the conversation it was compared with or continued from, and who decided
 * (null: Steward). One row per conversation: contacts in one conversation share its matter.
 */
export const conversationMatters = pgTable(
  'conversation_matters',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    matterId: bigint('matter_id', { mode: 'number' }).notNull(),
    rule: text('rule', { enum: matterRules }).notNull(),
    score: real('score'),
    comparedConversationId: bigint('compared_conversation_id', { mode: 'number' }),
    decidedById: bigint('decided_by_id', { mode: 'number' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId] }),
    index('conversation_matters_matter_idx').on(t.workspaceId, t.matterId),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.matterId],
      foreignColumns: [matters.workspaceId, matters.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.decidedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);

export const contactKinds = ['opened', 'returned'] as const;
export type ContactKind = (typeof contactKinds)[number];

/**
 * Contacts (PRODUCT.md "Contact"): the customer opening a conversation (`opened`), or writing again after the
 * company's last reply (`returned`), other than an acknowledgement or an automatic reply. `message_id` is the
 * message that made the contact; messages before the next reply belong to the same contact.
 */
export const contacts = pgTable(
  'contacts',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    matterId: bigint('matter_id', { mode: 'number' }).notNull(),
    messageId: bigint('message_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: contactKinds }).notNull(),
    channel: text('channel', { enum: channels }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('contacts_conversation_idx').on(t.workspaceId, t.conversationId, t.at),
    index('contacts_matter_idx').on(t.workspaceId, t.matterId, t.at),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.matterId],
      foreignColumns: [matters.workspaceId, matters.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.messageId],
      foreignColumns: [messages.workspaceId, messages.id],
    }).onDelete('cascade'),
  ],
);

/** A workspace's matter settings: the repeat window (days) within which a new conversation may join a matter. */
export const matterSettings = pgTable('matter_settings', {
  workspaceId: bigint('workspace_id', { mode: 'number' })
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  repeatWindowDays: smallint('repeat_window_days').notNull().default(14),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const escalationTargets = ['team_lead', 'person', 'team'] as const;
export type EscalationTarget = (typeof escalationTargets)[number];

/**
 * A workspace's automatic escalation (README "Escalation"): when a matter reaches `contact_threshold` contacts,
 * its conversation goes up to `raise_priority`, to the target (the lead of the conversation's team, a named
 * person, or a senior team and its lead), with a call-back due `callback_business_hours` business hours later,
 * and the customer is told who will call and when (`tell_customer`). `executive_team_id`: the
 * executive-escalation queue of manual escalations.
 */
export const escalationSettings = pgTable('escalation_settings', {
  workspaceId: bigint('workspace_id', { mode: 'number' })
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  contactThreshold: smallint('contact_threshold').notNull().default(3),
  target: text('target', { enum: escalationTargets }).notNull().default('team_lead'),
  personId: bigint('person_id', { mode: 'number' }),
  teamId: bigint('team_id', { mode: 'number' }),
  executiveTeamId: bigint('executive_team_id', { mode: 'number' }),
  callbackBusinessHours: smallint('callback_business_hours').notNull().default(4),
  raisePriority: text('raise_priority', { enum: priorities }).notNull().default('urgent'),
  tellCustomer: boolean('tell_customer').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const escalationKinds = ['automatic', 'manual'] as const;
export const escalationLevels = ['lead', 'manager', 'executive'] as const;
export type EscalationLevel = (typeof escalationLevels)[number];
export const escalationStatuses = ['open', 'resolved'] as const;

/**
 * An escalation of a conversation (and its matter) to a senior person, with its call-back task: who owns it,
 * when the call-back is due and when it was done. Automatic ones are at most one per matter (the unique index
 * makes "exactly once" hold under concurrent contacts).
 */
export const escalations = pgTable(
  'escalations',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    matterId: bigint('matter_id', { mode: 'number' }),
    kind: text('kind', { enum: escalationKinds }).notNull(),
    level: text('level', { enum: escalationLevels }).notNull(),
    reason: text('reason').notNull(),
    ownerId: bigint('owner_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    status: text('status', { enum: escalationStatuses }).notNull().default('open'),
    callbackDueAt: timestamp('callback_due_at', { withTimezone: true }),
    callbackDoneAt: timestamp('callback_done_at', { withTimezone: true }),
    callbackNote: text('callback_note'),
    /** When the customer was told who will call back and when (at most once). */
    customerToldAt: timestamp('customer_told_at', { withTimezone: true }),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedById: bigint('resolved_by_id', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('escalations_automatic_key')
      .on(t.workspaceId, t.matterId)
      .where(sql`${t.kind} = 'automatic'`),
    index('escalations_open_idx').on(t.workspaceId, t.status, t.callbackDueAt),
    index('escalations_conversation_idx').on(t.workspaceId, t.conversationId),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.ownerId],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);
