import type { Executor } from '../../db/index.js';
import { calendarFor } from './calendar-of.js';

/**
 * The time zone a promise's due time is shown to its customer in: the one its words were read in (its team's
 * calendar, else the workspace default, else the workspace's time zone, else UTC). Cached per team for a list.
 */
export function promiseZones(db: Executor, workspaceId: number) {
  const zones = new Map<number | null, Promise<string>>();
  return (teamId: number | null): Promise<string> => {
    let zone = zones.get(teamId);
    if (!zone) {
      zone = calendarFor(db, workspaceId, teamId).then((c) => c.timeZone);
      zones.set(teamId, zone);
    }
    return zone;
  };
}

/** "Thu, 5 Mar 2026, 18:00 (Europe/Berlin)": a due time as the customer reads it, in their language. */
export function dueForCustomer(at: Date, zone: string, lang: string): string {
  const text = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  }).format(at);
  return `${text} (${zone})`;
}
