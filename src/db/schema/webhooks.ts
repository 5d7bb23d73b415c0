import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

const workspaceId = () =>
  bigint('workspace_id', { mode: 'number' })
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/** A 64-bit transaction id (see events.tx_id). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const webhookStatuses = ['active', 'paused'] as const;

/**
 * Outbound webhook subscriptions: which event types go to which URL, signed with a secret Steward generated.
 * The secret is stored as is (it signs every delivery, so it can't be a hash) and is never returned by
 * list/get: it is shown on creation and on an explicit rotation only.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    description: text('description'),
    url: text('url').notNull(),
    /** Exact types (`conversation.solved`), prefixes (`conversation.*`) or `*`. */
    eventTypes: text('event_types').array().notNull(),
    status: text('status', { enum: webhookStatuses }).notNull().default('active'),
    pausedReason: text('paused_reason'),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    /** The person who created it: told when it is paused automatically. */
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    secret: text('secret').notNull(),
    /** After a rotation the old secret still signs (a second v1) until this time. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    /** Deliveries that failed for good since the last success (or resume): the pause rule counts these. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /**
     * The transaction that created or last resumed it: only events of later transactions are delivered
     * (not the history before it existed, nor what happened while it was paused).
     */
    activeSinceTxId: xid8('active_since_tx_id').notNull().default(sql`pg_current_xact_id()`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('webhook_subscriptions_status_idx').on(t.workspaceId, t.status),
    foreignKey({ columns: [t.workspaceId, t.ownerId], foreignColumns: [people.workspaceId, people.id] }),
  ],
);

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One signed call: an event for a subscription, a test ping, or a direct call of another module
 * (`enqueueSignedCall`: channels' bridges, billing systems) to a URL and secret of its own. Its id is the
 * receiver's idempotency key (`Steward-Delivery`), the same on every attempt.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    /** Absent for a direct call to a URL and secret of the calling module. */
    subscriptionId: bigint('subscription_id', { mode: 'number' }),
    targetUrl: text('target_url'),
    targetSecret: text('target_secret'),
    eventId: bigint('event_id', { mode: 'number' }),
    eventType: text('event_type').notNull(),
    /** The exact JSON body sent on every attempt (signed with a fresh timestamp each time). */
    body: text('body').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('webhook_deliveries_subscription_idx').on(t.workspaceId, t.subscriptionId, t.createdAt, t.id),
    foreignKey({
      columns: [t.workspaceId, t.subscriptionId],
      foreignColumns: [webhookSubscriptions.workspaceId, webhookSubscriptions.id],
    }).onDelete('cascade'),
  ],
);

/** Every attempt of a delivery: when, how long, what came back. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    workspaceId: workspaceId(),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    url: text('url').notNull(),
    /** A redelivery someone asked for, rather than a scheduled attempt. */
    manual: boolean('manual').notNull().default(false),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    /** The first 4 KB of the response body. */
    responseBody: text('response_body'),
    error: text('error'),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('webhook_attempts_delivery_idx').on(t.workspaceId, t.deliveryId, t.id),
    foreignKey({
      columns: [t.workspaceId, t.deliveryId],
      foreignColumns: [webhookDeliveries.workspaceId, webhookDeliveries.id],
    }).onDelete('cascade'),
  ],
);
