import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Channel, ConversationStatus, Priority } from './conversations.js';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

/** The filters of a saved inbox view; `me` and `mine` are read for whoever opens the view. */
export type SavedViewFilters = {
  statuses?: ConversationStatus[];
  priority?: Priority;
  teamId?: number | 'mine';
  assigneeId?: number | 'none' | 'me';
  channel?: Channel;
  tag?: string;
  tier?: string;
  /** A contact reason id, `none` (no reason yet) or `none_fits` (a person said no reason fits). */
  contactReasonId?: number | 'none' | 'none_fits';
  /** Only conversations whose customer showed distress. */
  distressed?: true;
};

/**
 * A custom inbox view: filters and a sort, kept by name. Shared with the workspace when `owner_id` is null
 * (kept by leads and admins), else one agent's own.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<SavedViewFilters>().notNull(),
    sort: text('sort', { enum: ['newest', 'waiting', 'priority', 'deadline', 'distress'] })
      .notNull()
      .default('newest'),
    position: integer('position').notNull().default(0),
    ownerId: bigint('owner_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('saved_views_owner_idx').on(t.workspaceId, t.ownerId),
    foreignKey({
      columns: [t.workspaceId, t.ownerId],
      foreignColumns: [people.workspaceId, people.id],
    }).onDelete('cascade'),
  ],
);
