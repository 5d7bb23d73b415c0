import { bigint, foreignKey, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { people } from './people.js';

/**
 * `suggested`: Steward saw a promise in an outbound reply and waits for an agent to confirm (-> open) or
 * dismiss (-> dismissed) it; only `open`, `kept` and `broken` are commitments the figures count.
 */
export const commitmentStatuses = ['suggested', 'open', 'kept', 'broken', 'dismissed'] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

/**
 * Promises made to a customer on a conversation (the commitments ledger): what, by whom (owner), due when,
 * and how it ended. The customer it is made to is the conversation's customer. `team_id` is the
 * conversation's team when it was recorded: the team the promise is counted for. `reminded_at` and
 * `escalated_at` are set by the jobs that fire at the due time, for the due time they were scheduled for.
 */
export const commitments = pgTable(
  'commitments',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    teamId: bigint('team_id', { mode: 'number' }),
    text: text('text').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: commitmentStatuses }).notNull(),
    /** The outbound message a suggestion was found in. */
    sourceMessageId: bigint('source_message_id', { mode: 'number' }),
    /** A fulfilment's note, or the reason it was broken. */
    note: text('note'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    keptAt: timestamp('kept_at', { withTimezone: true }),
    brokenAt: timestamp('broken_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('commitments_conversation_idx').on(t.workspaceId, t.conversationId),
    index('commitments_due_idx').on(t.workspaceId, t.status, t.dueAt),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.ownerId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);
