import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type StoredCalendar = typeof schema.calendars.$inferSelect;
export type CalendarFields = Pick<StoredCalendar, 'name' | 'timeZone' | 'alwaysOpen' | 'week' | 'holidays'>;
const c = schema.calendars;
const tc = schema.teamCalendars;

export async function listCalendars(db: Executor, workspaceId: number): Promise<StoredCalendar[]> {
  return db.select().from(c).where(eq(c.workspaceId, workspaceId)).orderBy(asc(c.name), asc(c.id)).limit(500);
}

export async function findCalendar(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<StoredCalendar | undefined> {
  const [row] = await db
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
  return row;
}

export async function findDefaultCalendar(
  db: Executor,
  workspaceId: number,
): Promise<StoredCalendar | undefined> {
  const [row] = await db
    .select()
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.isDefault, true)));
  return row;
}

/** Undefined when the name is taken (case-insensitive). */
export async function insertCalendar(
  db: Executor,
  values: typeof c.$inferInsert,
): Promise<StoredCalendar | undefined> {
  const [row] = await db.insert(c).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateCalendar(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<CalendarFields & { isDefault: boolean }> & { updatedAt: Date },
): Promise<StoredCalendar | undefined> {
  const [row] = await db
    .update(c)
    .set(patch)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)))
    .returning();
  return row;
}

/** Clears the workspace's default flag; returns the calendar that had it. */
export async function clearDefault(db: Executor, workspaceId: number, now: Date) {
  const [row] = await db
    .update(c)
    .set({ isDefault: false, updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), eq(c.isDefault, true)))
    .returning({ id: c.id });
  return row?.id;
}

export async function deleteCalendar(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(c).where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
}

/** calendar id → the teams that work by it. */
export async function teamsByCalendar(
  db: Executor,
  workspaceId: number,
  calendarIds: number[],
): Promise<Map<number, number[]>> {
  const byCalendar = new Map<number, number[]>(calendarIds.map((id) => [id, []]));
  if (calendarIds.length === 0) return byCalendar;
  const rows = await db
    .select({ calendarId: tc.calendarId, teamId: tc.teamId })
    .from(tc)
    .where(and(eq(tc.workspaceId, workspaceId), inArray(tc.calendarId, calendarIds)))
    .orderBy(asc(tc.teamId));
  for (const r of rows) byCalendar.get(r.calendarId)?.push(r.teamId);
  return byCalendar;
}

export async function teamCalendarId(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<number | null> {
  const [row] = await db
    .select({ calendarId: tc.calendarId })
    .from(tc)
    .where(and(eq(tc.workspaceId, workspaceId), eq(tc.teamId, teamId)));
  return row?.calendarId ?? null;
}

export async function setTeamCalendarRow(
  db: Executor,
  workspaceId: number,
  teamId: number,
  calendarId: number | null,
  now: Date,
): Promise<void> {
  if (calendarId === null) {
    await db.delete(tc).where(and(eq(tc.workspaceId, workspaceId), eq(tc.teamId, teamId)));
    return;
  }
  await db
    .insert(tc)
    .values({ workspaceId, teamId, calendarId, createdAt: now })
    .onConflictDoUpdate({ target: [tc.workspaceId, tc.teamId], set: { calendarId, createdAt: now } });
}
