import { IANAZone } from 'luxon';
import type { Executor } from '../../db/index.js';
import { type Calendar, resolveCalendar } from '../calendars/index.js';
import { findWorkspaceById } from '../workspaces/index.js';

/**
 * The calendar due words are read with: the conversation's team calendar, else the workspace default. With
 * no calendar at all every hour is business time, and wall-clock words ("tomorrow at 10") are read in the
 * workspace's time zone (settings.timeZone), else UTC.
 */
export async function calendarFor(
  db: Executor,
  workspaceId: number,
  teamId: number | null,
): Promise<Calendar> {
  const resolved = await resolveCalendar(db, workspaceId, teamId);
  if (resolved.source !== 'always_open') return resolved.calendar;
  const zone = (await findWorkspaceById(db, workspaceId))?.settings.timeZone;
  return zone && IANAZone.isValidZone(zone) ? { ...resolved.calendar, timeZone: zone } : resolved.calendar;
}
