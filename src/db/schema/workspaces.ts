import { sql } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export type WorkspaceSettings = {
  /** ISO 3166 alpha-2, used to read phone numbers typed without a country code. */
  defaultCountry?: string;
  locale?: string;
  timeZone?: string;
  autoCloseDays?: number;
};

/** The tenant itself: the only table without a workspace_id. */
export const workspaces = pgTable(
  'workspaces',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('workspaces_slug_key').on(t.slug)],
);
