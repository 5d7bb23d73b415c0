import { bigint, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

/**
 * A workspace's own wording of a customer-facing text, for one locale. The defaults live in code
 * (src/modules/templates/defaults.ts); a row here overrides one of them, and deleting it resets to it.
 */
export const customerTemplates = pgTable(
  'customer_templates',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    key: text('key').notNull(),
    /** A BCP 47 tag as Steward normalises it: `de`, `de-AT`. */
    locale: text('locale').notNull(),
    body: text('body').notNull(),
    updatedById: bigint('updated_by_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('customer_templates_key_locale_key').on(t.workspaceId, t.key, t.locale),
    foreignKey({ columns: [t.workspaceId, t.updatedById], foreignColumns: [people.workspaceId, people.id] }),
  ],
);
