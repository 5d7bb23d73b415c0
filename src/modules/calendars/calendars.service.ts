import { isDeepStrictEqual } from 'node:util';
import type { Executor } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  pgErrorCode,
  type Result,
  recordEvent,
  UNIQUE_VIOLATION,
} from '../../platform/index.js';
import { findTeam } from '../people/index.js';
import { ALWAYS_OPEN, type Calendar, calendarProblems } from './calendar.js';
import {
  type CalendarFields,
  clearDefault,
  deleteCalendar,
  findCalendar,
  findDefaultCalendar,
  insertCalendar,
  type StoredCalendar,
  setTeamCalendarRow,
  teamCalendarId,
  teamsByCalendar,
  updateCalendar,
} from './calendars.repo.js';

export type CalendarInput = Partial<CalendarFields> & { isDefault?: boolean };

/** The business-time view of a stored calendar (what addBusinessMinutes and friends take). */
export const toCalendar = (row: StoredCalendar): Calendar => ({
  timeZone: row.timeZone,
  alwaysOpen: row.alwaysOpen,
  week: row.week as Calendar['week'],
  holidays: row.holidays,
});

const fieldsOf = (row: StoredCalendar) => ({
  name: row.name,
  timeZone: row.timeZone,
  alwaysOpen: row.alwaysOpen,
  week: row.week,
  holidays: row.holidays,
  isDefault: row.isDefault,
});

/** Drops closed days (empty lists), so an unchanged week compares equal and is stored one way. */
const tidyWeek = (week: CalendarFields['week']): CalendarFields['week'] =>
  Object.fromEntries(Object.entries(week).filter(([, list]) => (list ?? []).length > 0));

function invalid(fields: CalendarFields): Result<null> {
  const problems = calendarProblems({ ...fields, week: fields.week as Calendar['week'] });
  return problems.length === 0
    ? ok(null)
    : fail('INVALID_CALENDAR', `The calendar is not usable: ${problems.join('; ')}`, { problems });
}

const event = (workspaceId: number, id: number, actor: Actor, type: string, data: object, at: Date) => ({
  workspaceId,
  type,
  entityType: 'calendar',
  entityId: id,
  actor,
  data: data as Record<string, unknown>,
  at,
});

/** Takes the default flag away from whichever calendar has it, recording that change too. */
async function releaseDefault(tx: Executor, workspaceId: number, actor: Actor, now: Date) {
  const previous = await clearDefault(tx, workspaceId, now);
  if (previous !== undefined) {
    await recordEvent(
      tx,
      event(
        workspaceId,
        previous,
        actor,
        'calendar.updated',
        { before: { isDefault: true }, after: { isDefault: false } },
        now,
      ),
    );
  }
}

export async function createCalendar(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: CalendarInput & { name: string; timeZone: string },
): Promise<Result<StoredCalendar>> {
  const fields: CalendarFields = {
    name: input.name,
    timeZone: input.timeZone,
    alwaysOpen: input.alwaysOpen ?? false,
    week: tidyWeek(input.week ?? {}),
    holidays: input.holidays ?? [],
  };
  const checked = invalid(fields);
  if (!checked.ok) return checked;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    if (input.isDefault) await releaseDefault(tx, workspaceId, actor, now);
    const row = await insertCalendar(tx, {
      workspaceId,
      ...fields,
      isDefault: input.isDefault ?? false,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) return fail('CALENDAR_NAME_TAKEN', `A calendar named ${input.name} exists already`);
    await recordEvent(
      tx,
      event(workspaceId, row.id, actor, 'calendar.created', { after: fieldsOf(row) }, now),
    );
    return ok(row);
  });
}

export async function changeCalendar(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  input: CalendarInput,
): Promise<Result<StoredCalendar>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findCalendar(tx, workspaceId, id);
    if (!before) return fail('CALENDAR_NOT_FOUND', 'Calendar not found');
    const fields: CalendarFields = {
      name: input.name ?? before.name,
      timeZone: input.timeZone ?? before.timeZone,
      alwaysOpen: input.alwaysOpen ?? before.alwaysOpen,
      week: input.week ? tidyWeek(input.week) : before.week,
      holidays: input.holidays ?? before.holidays,
    };
    const checked = invalid(fields);
    if (!checked.ok) return checked;
    const now = deps.clock.now();
    const isDefault = input.isDefault ?? before.isDefault;
    // jsonb hands keys back in its own order: compare values, not text.
    if (isDeepStrictEqual(fieldsOf(before), fieldsOf({ ...before, ...fields, isDefault }))) return ok(before);
    if (isDefault && !before.isDefault) await releaseDefault(tx, workspaceId, actor, now);
    let after: StoredCalendar | undefined;
    try {
      after = await updateCalendar(tx, workspaceId, id, { ...fields, isDefault, updatedAt: now });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION)
        return fail('CALENDAR_NAME_TAKEN', `A calendar named ${fields.name} exists already`);
      throw err;
    }
    if (!after) return fail('CALENDAR_NOT_FOUND', 'Calendar not found');
    await recordEvent(
      tx,
      event(
        workspaceId,
        id,
        actor,
        'calendar.updated',
        { before: fieldsOf(before), after: fieldsOf(after) },
        now,
      ),
    );
    return ok(after);
  });
}

/** A calendar still in use (the default, or a team's) is refused: deleting it would silently move deadlines. */
export async function removeCalendar(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findCalendar(tx, workspaceId, id);
    if (!before) return fail('CALENDAR_NOT_FOUND', 'Calendar not found');
    const teamIds = (await teamsByCalendar(tx, workspaceId, [id])).get(id) ?? [];
    if (before.isDefault || teamIds.length > 0)
      return fail(
        'CALENDAR_IN_USE',
        before.isDefault
          ? "This is the workspace's default calendar: make another one the default first"
          : 'Teams work by this calendar: give them another one first',
        { isDefault: before.isDefault, teamIds },
      );
    await deleteCalendar(tx, workspaceId, id);
    await recordEvent(
      tx,
      event(workspaceId, id, actor, 'calendar.deleted', { before: fieldsOf(before) }, deps.clock.now()),
    );
    return ok(null);
  });
}

export type CalendarSource = 'team' | 'workspace_default' | 'always_open';
export type ResolvedCalendar = { calendar: Calendar; calendarId: number | null; source: CalendarSource };

/**
 * The calendar that applies to a team's work: the team's own, else the workspace's default, else always open
 * (a workspace that has set up no hours measures in calendar time). `teamId` null asks for the default.
 */
export async function resolveCalendar(
  db: Executor,
  workspaceId: number,
  teamId: number | null,
): Promise<ResolvedCalendar> {
  if (teamId !== null) {
    const own = await teamCalendarId(db, workspaceId, teamId);
    const row = own === null ? undefined : await findCalendar(db, workspaceId, own);
    if (row) return { calendar: toCalendar(row), calendarId: row.id, source: 'team' };
  }
  const fallback = await findDefaultCalendar(db, workspaceId);
  if (fallback)
    return { calendar: toCalendar(fallback), calendarId: fallback.id, source: 'workspace_default' };
  return { calendar: ALWAYS_OPEN, calendarId: null, source: 'always_open' };
}

/** What later SLA work asks: which calendar applies to this conversation's team (or to no team). */
export async function calendarForTeam(
  db: Executor,
  workspaceId: number,
  teamId: number | null,
): Promise<Calendar> {
  return (await resolveCalendar(db, workspaceId, teamId)).calendar;
}

/** A team's own calendar (null: it follows the default) and the one that applies. */
export type TeamCalendar = {
  teamId: number;
  calendarId: number | null;
  effectiveCalendarId: number | null;
  source: CalendarSource;
};

export async function readTeamCalendar(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<Result<TeamCalendar>> {
  if (!(await findTeam(db, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
  const resolved = await resolveCalendar(db, workspaceId, teamId);
  return ok({
    teamId,
    calendarId: resolved.source === 'team' ? resolved.calendarId : null,
    effectiveCalendarId: resolved.calendarId,
    source: resolved.source,
  });
}

/** Gives a team its own calendar, or (null) lets it follow the workspace's default again. */
export async function setTeamCalendar(
  deps: Deps,
  workspaceId: number,
  teamId: number,
  actor: Actor,
  calendarId: number | null,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    if (!(await findTeam(tx, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
    if (calendarId !== null && !(await findCalendar(tx, workspaceId, calendarId)))
      return fail('CALENDAR_NOT_FOUND', 'The calendar is not a calendar of this workspace', { calendarId });
    const before = await teamCalendarId(tx, workspaceId, teamId);
    if (before === calendarId) return ok(null);
    const now = deps.clock.now();
    await setTeamCalendarRow(tx, workspaceId, teamId, calendarId, now);
    await recordEvent(tx, {
      workspaceId,
      type: 'team.calendar_changed',
      entityType: 'team',
      entityId: teamId,
      actor,
      data: { before: { calendarId: before }, after: { calendarId } },
      at: now,
    });
    return ok(null);
  });
}
