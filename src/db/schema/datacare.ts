import { bigint, foreignKey, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

export const exportStatuses = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/** A workspace export: built by a job, stored in the blob store, purged when it expires. */
export const workspaceExports = pgTable(
  'workspace_exports',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    status: text('status', { enum: exportStatuses }).notNull().default('queued'),
    requestedById: bigint('requested_by_id', { mode: 'number' }).notNull(),
    rowsDone: bigint('rows_done', { mode: 'number' }).notNull().default(0),
    rowsTotal: bigint('rows_total', { mode: 'number' }).notNull().default(0),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    blobKey: text('blob_key'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('workspace_exports_created_idx').on(t.workspaceId, t.createdAt),
    foreignKey({
      columns: [t.workspaceId, t.requestedById],
      foreignColumns: [people.workspaceId, people.id],
    }),
  ],
);
