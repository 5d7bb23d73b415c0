import { DateTime, IANAZone } from 'luxon';

/** `HH:MM` in the calendar's own time zone; an interval may end at `24:00` (midnight of the next day). */
export type Interval = { start: string; end: string };
/** ISO weekday: 1 = Monday … 7 = Sunday. A day without intervals is closed. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type Holiday = { date: string; yearly?: boolean; name?: string };

export type Calendar = {
  timeZone: string;
  /** Open every minute of every day (holidays ignored). */
  alwaysOpen?: boolean;
  week: Partial<Record<Weekday, Interval[]>>;
  holidays: Holiday[];
};

export const ALWAYS_OPEN: Calendar = { timeZone: 'UTC', alwaysOpen: true, week: {}, holidays: [] };

const clock = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export const minutesOfDay = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Everything wrong with a calendar, in words for an admin; empty when it is usable. */
export function calendarProblems(calendar: Calendar): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(calendar.timeZone)) problems.push(`unknown time zone ${calendar.timeZone}`);
  for (const [day, intervals] of Object.entries(calendar.week)) {
    if (!/^[1-7]$/.test(day)) problems.push(`weekday ${day} is not 1 (Monday) to 7 (Sunday)`);
    let previousEnd = -1;
    for (const i of intervals ?? []) {
      if (!clock.test(i.start) || !clock.test(i.end) || i.start === '24:00') {
        problems.push(`day ${day}: ${i.start}-${i.end} is not HH:MM-HH:MM`);
        continue;
      }
      const [s, e] = [minutesOfDay(i.start), minutesOfDay(i.end)];
      if (e <= s) problems.push(`day ${day}: ${i.start}-${i.end} ends before it starts`);
      if (s < previousEnd) problems.push(`day ${day}: ${i.start}-${i.end} overlaps or is out of order`);
      previousEnd = e;
    }
  }
  for (const h of calendar.holidays) {
    // Date.parse rolls 2026-02-30 over into March; luxon refuses days that don't exist.
    if (!/^\d{4}-\d\d-\d\d$/.test(h.date) || !DateTime.fromISO(h.date, { zone: 'UTC' }).isValid) {
      problems.push(`holiday ${h.date} is not YYYY-MM-DD, or no such day`);
    } else if (h.yearly && h.date.slice(5) === '02-29') {
      problems.push(`holiday ${h.date}: a yearly holiday on 29 February would be missed three years in four`);
    }
  }
  if (!calendar.alwaysOpen && !Object.values(calendar.week).some((list) => (list ?? []).length > 0)) {
    problems.push('the calendar is never open: give it business hours or make it always open');
  }
  return problems;
}
