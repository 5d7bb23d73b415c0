import { bigint, foreignKey, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { teams } from './people.js';
import { workspaces } from './workspaces.js';

export const bridgeChannels = ['sms', 'whatsapp', 'social'] as const;
export type BridgeChannel = (typeof bridgeChannels)[number];

/**
 * A messaging bridge: a small service of the company's that connects a provider (an SMS gateway, WhatsApp,
 * Messenger, X) to Steward. It posts what customers send, signed with the bridge's secret; replies go back
 * to its reply URL as signed calls. The secret is stored as is: it signs and verifies, so it can't be a hash.
 */
export const messagingBridges = pgTable(
  'messaging_bridges',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    channel: text('channel', { enum: bridgeChannels }).notNull(),
    secret: text('secret').notNull(),
    /** Where replies are sent; none: the bridge only receives. */
    replyUrl: text('reply_url'),
    teamId: bigint('team_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
  ],
);
