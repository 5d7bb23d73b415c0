import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

/** What applying a macro changes on the conversation; every field is optional. */
export type MacroActions = {
  status?: 'open' | 'pending' | 'on_hold' | 'solved';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  /** null unassigns. */
  assigneeId?: number | null;
  teamId?: number | null;
  addTags?: string[];
  removeTags?: string[];
};

/**
 * A canned reply with placeholders (`{{customer.first_name}}`) and actions. Shared with the workspace when
 * `owner_id` is null (managed by leads and admins), else one agent's own.
 */
export const macros = pgTable(
  'macros',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    body: text('body').notNull(),
    actions: jsonb('actions').$type<MacroActions>().notNull().default(sql`'{}'::jsonb`),
    ownerId: bigint('owner_id', { mode: 'number' }),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('macros_owner_idx').on(t.workspaceId, t.ownerId),
    foreignKey({ columns: [t.workspaceId, t.ownerId], foreignColumns: [people.workspaceId, people.id] }),
    foreignKey({ columns: [t.workspaceId, t.createdById], foreignColumns: [people.workspaceId, people.id] }),
  ],
);
