import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { tsvector } from './types.js';
import { workspaces } from './workspaces.js';

export const customers = pgTable(
  'customers',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    company: text('company'),
    locale: text('locale'),
    timeZone: text('time_zone'),
    customerSince: timestamp('customer_since', { withTimezone: true }),
    tier: text('tier'),
    lifetimeValue: numeric('lifetime_value', { precision: 14, scale: 2, mode: 'number' }),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    notes: text('notes'),
    /** Set when this customer was merged into another; the row stays so old links resolve. */
    mergedIntoId: bigint('merged_into_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(company, ''))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('customers_search_idx').using('gin', t.search),
    index('customers_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`),
    index('customers_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
  ],
);

export const identityKinds = ['email', 'phone', 'chat', 'social', 'external'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** How a customer is recognised on a channel. Values are normalised (emails case-folded, phones E.164). */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: identityKinds }).notNull(),
    value: text('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('customer_identities_value_key').on(t.workspaceId, t.kind, t.value),
    index('customer_identities_customer_idx').on(t.workspaceId, t.customerId),
    index('customer_identities_value_trgm_idx').using('gin', sql`${t.value} gin_trgm_ops`),
    foreignKey({
      columns: [t.workspaceId, t.customerId],
      foreignColumns: [customers.workspaceId, customers.id],
    }),
  ],
);
