import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { people } from './people.js';
import { workspaces } from './workspaces.js';

export const emailModes = ['off', 'immediate', 'digest'] as const;
export type EmailMode = (typeof emailModes)[number];
export const digestFrequencies = ['hourly', 'daily'] as const;
export type DigestFrequency = (typeof digestFrequencies)[number];

/**
 * What one person is told about one event: stored per person, read or unread, perhaps e-mailed.
 * Written only by the notifications module's event consumer.
 */
export const notifications = pgTable(
  'notifications',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    /** `assigned`, `mention`, `sla_breached`, … (README "Notifications"). */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** Path inside the agent app (`/conversations/12`); e-mails prefix STEWARD_PUBLIC_URL. */
    link: text('link').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: bigint('entity_id', { mode: 'number' }).notNull(),
    /** The event it came from: one notification per person and event, however often the event is handled. */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    /** How it is e-mailed, decided from the person's preferences when it was created; null: not at all. */
    emailVia: text('email_via', { enum: ['immediate', 'digest'] }),
    readAt: timestamp('read_at', { withTimezone: true }),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.personId], foreignColumns: [people.workspaceId, people.id] }),
    uniqueIndex('notifications_event_person_key').on(t.workspaceId, t.eventId, t.personId),
    index('notifications_person_idx').on(t.workspaceId, t.personId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread_idx')
      .on(t.workspaceId, t.personId, t.createdAt.desc(), t.id.desc())
      .where(sql`read_at is null`),
  ],
);

/** A person's choices; absent row or absent kind: the defaults (README "Notifications"). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    personId: bigint('person_id', { mode: 'number' }).notNull(),
    /** kind -> e-mail mode, only the kinds the person changed. */
    email: jsonb('email').$type<Record<string, EmailMode>>().notNull().default(sql`'{}'::jsonb`),
    digestFrequency: text('digest_frequency', { enum: digestFrequencies }).notNull().default('daily'),
    /** Local hour (0-23) of the daily digest, in `time_zone`. */
    digestHour: integer('digest_hour').notNull().default(8),
    /** IANA zone; null: the workspace's time zone (or UTC). */
    timeZone: text('time_zone'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.personId] }),
    foreignKey({
      columns: [t.workspaceId, t.personId],
      foreignColumns: [people.workspaceId, people.id],
    }).onDelete('cascade'),
  ],
);
