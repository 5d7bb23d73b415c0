import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

export const resolutionKinds = [
  'refund',
  'credit',
  'replacement',
  'discount',
  'fee_waiver',
  'upgrade',
  'gift',
] as const;
export type ResolutionKind = (typeof resolutionKinds)[number];
export const resolutionUnits = ['currency', 'count'] as const;
export type ResolutionUnit = (typeof resolutionUnits)[number];

/**
 * A workspace's catalogue of resolution actions (README "Front-line authority"): what an agent may grant on the
 * spot, each in its unit (money in the workspace's currency, or a count of items). `workspace_per_day`: a cap on
 * what the whole workspace grants of it in a day (null: none). Amounts are in minor units (cents) for money.
 */
export const resolutionActions = pgTable(
  'resolution_actions',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    kind: text('kind', { enum: resolutionKinds }).notNull(),
    name: text('name').notNull(),
    unit: text('unit', { enum: resolutionUnits }).notNull(),
    enabled: boolean('enabled').notNull().default(true),
    workspacePerDay: bigint('workspace_per_day', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('resolution_actions_kind_key').on(t.workspaceId, t.kind),
  ],
);

/**
 * How much of an action a role, or one person (which overrides their role), may grant on their own: per grant,
 * per conversation, per day and per month (null: no cap on that one). No limit for a role or person: every grant
 * of the action asks for approval.
 */
export const authorityLimits = pgTable(
  'authority_limits',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    actionId: bigint('action_id', { mode: 'number' }).notNull(),
    role: text('role'),
    personId: bigint('person_id', { mode: 'number' }),
    perAction: bigint('per_action', { mode: 'number' }),
    perConversation: bigint('per_conversation', { mode: 'number' }),
    perDay: bigint('per_day', { mode: 'number' }),
    perMonth: bigint('per_month', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('authority_limits_role_key')
      .on(t.workspaceId, t.actionId, t.role)
      .where(sql`${t.role} is not null`),
    uniqueIndex('authority_limits_person_key')
      .on(t.workspaceId, t.actionId, t.personId)
      .where(sql`${t.personId} is not null`),
    foreignKey({
      columns: [t.workspaceId, t.actionId],
      foreignColumns: [resolutionActions.workspaceId, resolutionActions.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.personId],
      foreignColumns: [people.workspaceId, people.id],
    }).onDelete('cascade'),
  ],
);

/** The workspace's currency (ISO 4217) and the approval SLA: a request waits this many business hours at most. */
export const authoritySettings = pgTable('authority_settings', {
  workspaceId: bigint('workspace_id', { mode: 'number' })
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  currency: text('currency').notNull().default('EUR'),
  approvalBusinessHours: smallint('approval_business_hours').notNull().default(4),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const resolutionStatuses = ['applied', 'pending', 'rejected'] as const;
export type ResolutionStatus = (typeof resolutionStatuses)[number];

/**
 * The ledger: every resolution action granted or asked for (who, for whom, what, how much, approved by whom, on
 * which conversation). `applied` on the spot within the agent's authority (`decided_by_id` null) or after a
 * lead's approval; `pending` until approved or `rejected`. `source`: the agent's own idea or the customer's
 * proposal (`proposal_id`).
 */
export const resolutions = pgTable(
  'resolutions',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    matterId: bigint('matter_id', { mode: 'number' }),
    actionId: bigint('action_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: resolutionKinds }).notNull(),
    unit: text('unit', { enum: resolutionUnits }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency'),
    note: text('note'),
    source: text('source', { enum: ['agent', 'customer_proposal'] }).notNull(),
    proposalId: bigint('proposal_id', { mode: 'number' }),
    status: text('status', { enum: resolutionStatuses }).notNull(),
    exceeded: text('exceeded').array().notNull().default(sql`'{}'::text[]`),
    requestedById: bigint('requested_by_id', { mode: 'number' }).notNull(),
    teamId: bigint('team_id', { mode: 'number' }),
    contactReasonId: bigint('contact_reason_id', { mode: 'number' }),
    approvalDueAt: timestamp('approval_due_at', { withTimezone: true }),
    decidedById: bigint('decided_by_id', { mode: 'number' }),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('resolutions_conversation_idx').on(t.workspaceId, t.conversationId),
    index('resolutions_pending_idx').on(t.workspaceId, t.status, t.createdAt),
    // An agent's own spending of an action (limits per day and month) and the workspace's per day.
    index('resolutions_spent_idx').on(t.workspaceId, t.actionId, t.requestedById, t.appliedAt),
    index('resolutions_applied_idx').on(t.workspaceId, t.appliedAt),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.actionId],
      foreignColumns: [resolutionActions.workspaceId, resolutionActions.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.requestedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);
