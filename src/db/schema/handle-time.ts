import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

/**
 * Handle time as PRODUCT.md defines it: the time a conversation is open and active in an agent's app (focused,
 * with activity in the last 2 minutes), per conversation, agent and UTC day. The app reports activity every
 * 20 s (and at once when they become active or idle); the server adds the time between two reports, by its
 * own clock, when both said "active" and they came less than a minute apart (a gap means the agent was away:
 * nothing is counted for it). Never inferred from message gaps.
 */
export const handleTimes = pgTable(
  'handle_times',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** Active time in milliseconds (a day holds at most 86.4M: an integer is enough). */
    activeMs: integer('active_ms').notNull().default(0),
    /** The agent's latest report, and whether they were active then. */
    lastReportAt: timestamp('last_report_at', { withTimezone: true }).notNull(),
    active: boolean('active').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.personId, t.day] }),
    index('handle_times_person_idx').on(t.workspaceId, t.personId, t.day),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

export const presenceStates = ['viewing', 'typing'] as const;
export type PresenceState = (typeof presenceStates)[number];

/**
 * Who has a conversation open right now, and whether they are typing (the collision warning). A row is
 * fresh while its `seen_at` is recent; leaving deletes it. In the database, so every process sees it.
 */
export const conversationViewers = pgTable(
  'conversation_viewers',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    state: text('state', { enum: presenceStates }).notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.personId] }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);
