import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers } from './customers.js';
import { teams } from './people.js';
import { workspaces } from './workspaces.js';

/**
 * A live-chat widget a workspace puts on its pages. `public_key` is in the page's source, so it is not a
 * secret: it names the widget (and so the workspace), and `allowed_origins` (when not empty) says which sites
 * may open its visitor socket.
 */
export const chatWidgets = pgTable(
  'chat_widgets',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    publicKey: text('public_key').notNull(),
    name: text('name').notNull(),
    greeting: text('greeting').notNull(),
    color: text('color').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    /** Conversations from this widget go to this team (its calendar and its agents' availability apply). */
    teamId: bigint('team_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('chat_widgets_public_key_key').on(t.publicKey),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
  ],
);

/**
 * A browser that opened a widget: its public id and the hash of its secret token live in the visitor's
 * localStorage and come back on every connection. The customer is created with the first message (a page
 * view creates none); `conversation_ids` are the conversations this visitor started (the history it may
 * read: never the rest of the customer's timeline, which an unverified e-mail address must not reveal).
 */
export const chatVisitors = pgTable(
  'chat_visitors',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    widgetId: bigint('widget_id', { mode: 'number' }).notNull(),
    publicId: text('public_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    name: text('name'),
    email: text('email'),
    customerId: bigint('customer_id', { mode: 'number' }),
    conversationIds: bigint('conversation_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'::bigint[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('chat_visitors_public_id_key').on(t.publicId),
    index('chat_visitors_customer_idx').on(t.workspaceId, t.customerId),
    foreignKey({
      columns: [t.workspaceId, t.widgetId],
      foreignColumns: [chatWidgets.workspaceId, chatWidgets.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }),
  ],
);
