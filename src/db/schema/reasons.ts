import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.js';

/** The departments that own root causes: avoidable contacts are charged back to them. */
export const departments = pgTable(
  'departments',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('departments_name_key').on(t.workspaceId, sql`lower(${t.name})`),
  ],
);

export const contactReasonStatuses = ['active', 'archived'] as const;
export type ContactReasonStatus = (typeof contactReasonStatuses)[number];

/**
 * The contact-reason taxonomy: a tree. A reason with children is a group; a group may itself be set on a
 * conversation when nothing finer fits. Sibling names are unique (case-insensitive), so a path of names
 * (`Billing > Charged twice`) names one reason: what the CSV import matches on.
 */
export const contactReasons = pgTable(
  'contact_reasons',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    parentId: bigint('parent_id', { mode: 'number' }),
    departmentId: bigint('department_id', { mode: 'number' }),
    /** Failure demand ("where is my order", "charged twice"); false is value demand. */
    avoidable: boolean('avoidable').notNull().default(false),
    status: text('status', { enum: contactReasonStatuses }).notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('contact_reasons_sibling_name_key').on(
      t.workspaceId,
      sql`coalesce(${t.parentId}, 0)`,
      sql`lower(${t.name})`,
    ),
    index('contact_reasons_department_idx').on(t.workspaceId, t.departmentId),
    foreignKey({
      columns: [t.workspaceId, t.parentId],
      foreignColumns: [t.workspaceId, t.id],
    }),
    foreignKey({
      columns: [t.workspaceId, t.departmentId],
      foreignColumns: [departments.workspaceId, departments.id],
    }),
  ],
);
