import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Channel, Priority } from './conversations.js';
import { conversations } from './conversations.js';
import { workspaces } from './workspaces.js';

/** Which conversations a policy applies to: every listed field must match; an empty or absent one is "any". */
export type SlaConditions = {
  priorities?: Priority[];
  /** Customer tiers (customers.tier), compared case-insensitively. */
  tiers?: string[];
  channels?: Channel[];
  teamIds?: number[];
  /** The conversation has at least one of these tags. */
  tags?: string[];
};

/** What a breach does besides the event and the notifications. */
export type SlaBreachActions = {
  /** Raise the priority to this one (never lowers it). */
  raisePriority?: 'high' | 'urgent';
  /** Take it from its assignee and put it back in its team's queue. */
  reassignToTeam?: boolean;
};

export const slaTargets = ['first_response', 'next_response', 'resolution'] as const;
export type SlaTarget = (typeof slaTargets)[number];

/**
 * SLA policies, ordered by `position` (first match wins). Targets are minutes of business time (the calendar
 * of the conversation's team, else the workspace default) or of calendar time; a null target is not measured.
 */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    conditions: jsonb('conditions').$type<SlaConditions>().notNull().default(sql`'{}'::jsonb`),
    firstResponseMinutes: integer('first_response_minutes'),
    nextResponseMinutes: integer('next_response_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    businessHours: boolean('business_hours').notNull().default(true),
    /** `pending` always pauses the clock; `on_hold` does when this is set. */
    pauseOnHold: boolean('pause_on_hold').notNull().default(true),
    /** The share of a target after which a warning fires (percent, 1-99). */
    warnPercent: integer('warn_percent').notNull().default(75),
    breachActions: jsonb('breach_actions').$type<SlaBreachActions>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/**
 * One conversation's clock for one target, computed from its history by the `sla` consumer (sla-clock.ts).
 * `due_at` is null while the clock is paused (`paused_at`, with `remaining_minutes` left); `warned_at` and
 * `breached_at` are set by the jobs that fire at the warning and the deadline, for the cycle `started_at`.
 * Minutes are of the policy's measure (business or calendar). `policy_id` has no foreign key: a deleted
 * policy's clocks stay until the conversation's next change recomputes them.
 */
export const slaClocks = pgTable(
  'sla_clocks',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    target: text('target', { enum: slaTargets }).notNull(),
    policyId: bigint('policy_id', { mode: 'number' }).notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    metAt: timestamp('met_at', { withTimezone: true }),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    remainingMinutes: doublePrecision('remaining_minutes').notNull(),
    pausedMinutes: doublePrecision('paused_minutes').notNull().default(0),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.target] }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    // The deadline sweep (deadlines.job.ts): warnings and deadlines still to fire, soonest first.
    index('sla_clocks_warn_idx')
      .on(t.workspaceId, t.warnAt)
      .where(sql`warned_at is null and breached_at is null and met_at is null and due_at is not null`),
    index('sla_clocks_due_idx')
      .on(t.workspaceId, t.dueAt)
      .where(sql`breached_at is null and met_at is null and due_at is not null`),
  ],
);

/**
 * Every decided cycle of a clock, kept for the attainment figures: a `next_response` clock restarts with each
 * customer message, so the clock row alone would only know the last cycle. A cycle is decided when it is met
 * (`met_at`, in time or late) or when its deadline passes unmet (`breached`, `met_at` null until it is met).
 * `decided_at` is the deadline for a breach and the met time otherwise: the figure counts cycles by it. The
 * team, assignee and channel are the conversation's when the cycle was decided.
 */
export const slaOutcomes = pgTable(
  'sla_outcomes',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    target: text('target', { enum: slaTargets }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    policyId: bigint('policy_id', { mode: 'number' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    metAt: timestamp('met_at', { withTimezone: true }),
    breached: boolean('breached').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    teamId: bigint('team_id', { mode: 'number' }),
    assigneeId: bigint('assignee_id', { mode: 'number' }),
    channel: text('channel').$type<Channel>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.conversationId, t.target, t.startedAt] }),
    foreignKey({
      columns: [t.workspaceId, t.conversationId],
      foreignColumns: [conversations.workspaceId, conversations.id],
    }).onDelete('cascade'),
    index('sla_outcomes_decided_idx').on(t.workspaceId, t.decidedAt),
  ],
);
