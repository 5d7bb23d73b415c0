import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { teams } from './people.js';
import { workspaces } from './workspaces.js';

/** `HH:MM` wall-clock times in the calendar's zone; `end` may be `24:00`. */
export type StoredInterval = { start: string; end: string };
/** ISO weekday (`"1"` = Monday … `"7"` = Sunday) → its open intervals; a missing or empty day is closed. */
export type StoredWeek = Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', StoredInterval[]>>;
export type StoredHoliday = { date: string; yearly?: boolean; name?: string };

/**
 * Business calendars. The week and the holidays are read and written whole (a calendar is one admin form),
 * so they are jsonb, validated by `calendarProblems` before every write. At most one calendar per workspace
 * is its default (`is_default`), the calendar of every team that has none of its own.
 */
export const calendars = pgTable(
  'calendars',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' })
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    alwaysOpen: boolean('always_open').notNull().default(false),
    week: jsonb('week').$type<StoredWeek>().notNull().default(sql`'{}'::jsonb`),
    holidays: jsonb('holidays').$type<StoredHoliday[]>().notNull().default(sql`'[]'::jsonb`),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('calendars_name_key').on(t.workspaceId, sql`lower(${t.name})`),
    uniqueIndex('calendars_default_key').on(t.workspaceId).where(sql`is_default`),
  ],
);

/** The calendar a team works by, when it is not the workspace's default. */
export const teamCalendars = pgTable(
  'team_calendars',
  {
    workspaceId: bigint('workspace_id', { mode: 'number' }).notNull(),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    calendarId: bigint('calendar_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.teamId] }),
    index('team_calendars_calendar_idx').on(t.workspaceId, t.calendarId),
    foreignKey({
      columns: [t.workspaceId, t.teamId],
      foreignColumns: [teams.workspaceId, teams.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.workspaceId, t.calendarId],
      foreignColumns: [calendars.workspaceId, calendars.id],
    }),
  ],
);
