import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.js';

export const actorTypes = ['person', 'customer', 'system', 'token'] as const;
export type ActorType = (typeof actorTypes)[number];

/** Append-only: every state change, who made it, before and after. The audit log and the raw material of metrics. */
export const events = pgTable(
  'events',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    type: text('type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: bigint('entity_id', { mode: 'number' }).notNull(),
    actorType: text('actor_type', { enum: actorTypes }).notNull(),
    actorId: bigint('actor_id', { mode: 'number' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('events_entity_idx').on(t.workspaceId, t.entityType, t.entityId, t.id),
    index('events_type_idx').on(t.workspaceId, t.type, t.createdAt),
  ],
);

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** The durable job queue (outbox): written in the same transaction as the change that causes the job. */
export const jobs = pgTable(
  'jobs',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    maxAttempts: bigint('max_attempts', { mode: 'number' }).notNull().default(8),
    dedupeKey: text('dedupe_key'),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('jobs_due_idx').on(t.runAt).where(sql`status in ('queued', 'running')`),
    // One *queued* job per key; a running one may coexist, so a change during a run is never lost.
    uniqueIndex('jobs_queued_dedupe_key')
      .on(t.workspaceId, t.dedupeKey)
      .where(sql`status = 'queued' and dedupe_key is not null`),
  ],
);
