import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.js';

/** A 64-bit transaction id (PostgreSQL 13+): orders events by the transaction that wrote them. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const actorTypes = ['person', 'customer', 'system', 'token', 'routing'] as const;
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
    /**
     * The writing transaction. Ids are handed out before commit, so on PostgreSQL an event with a smaller id
     * can become visible after one with a larger id; event consumers read in (tx_id, id) order, and only
     * transactions older than every running one, so they never skip an event that commits late.
     */
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('events_dispatch_idx').on(t.txId, t.id),
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

/** How far each event consumer (notifications, webhooks, …) has read the event log. Instance-wide. */
export const eventConsumers = pgTable('event_consumers', {
  name: text('name').primaryKey(),
  txId: xid8('tx_id').notNull(),
  eventId: bigint('event_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Events a consumer failed on and skipped, so one bad event never stalls the others behind it. */
export const eventConsumerFailures = pgTable(
  'event_consumer_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    consumer: text('consumer').notNull(),
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    error: text('error').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('event_consumer_failures_consumer_idx').on(t.consumer, t.failedAt)],
);
