import { DateTime } from 'luxon';
import { type Calendar, minutesOfDay, type Weekday } from './calendar.js';

/**
 * Business-time arithmetic: pure functions of (calendar, time). Times are instants (Date); business hours are
 * wall-clock times in the calendar's zone, converted per day by luxon, so DST changes are handled by the zone
 * database, not by hand-made offsets. Open intervals are half-open: [start, end).
 */

const MINUTE = 60_000;
/** How far ahead the functions look for an open moment before deciding the calendar is never open. */
const MAX_DAYS = 3_700;

type Span = { start: number; end: number };

function isHoliday(calendar: Calendar, day: DateTime): boolean {
  const iso = day.toISODate();
  const monthDay = iso?.slice(5);
  return calendar.holidays.some((h) => h.date === iso || (h.yearly === true && h.date.slice(5) === monthDay));
}

/** The open spans (as instants) of one local day. A wall time that does not exist (spring forward) moves on. */
function spansOf(calendar: Calendar, day: DateTime): Span[] {
  if (isHoliday(calendar, day)) return [];
  const intervals = calendar.week[day.weekday as Weekday] ?? [];
  const spans: Span[] = [];
  for (const i of intervals) {
    const at = (hhmm: string) => {
      const m = minutesOfDay(hhmm);
      return m === 1440
        ? day.plus({ days: 1 }).startOf('day').toMillis()
        : day.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 }).toMillis();
    };
    const span = { start: at(i.start), end: at(i.end) };
    if (span.end > span.start) spans.push(span);
  }
  return spans;
}

/** The open spans from the local day containing `t` onwards, day by day. */
function* spansFrom(calendar: Calendar, t: number): Generator<Span> {
  let day = DateTime.fromMillis(t, { zone: calendar.timeZone }).startOf('day');
  for (let n = 0; n < MAX_DAYS; n++) {
    yield* spansOf(calendar, day);
    day = day.plus({ days: 1 }).startOf('day');
  }
  throw new Error('the calendar has no open time in the next ten years');
}

export function isOpen(calendar: Calendar, t: Date): boolean {
  if (calendar.alwaysOpen) return true;
  const day = DateTime.fromMillis(t.getTime(), { zone: calendar.timeZone }).startOf('day');
  return spansOf(calendar, day).some((s) => s.start <= t.getTime() && t.getTime() < s.end);
}

/** `t` itself when open, else the start of the next open span. */
export function nextOpen(calendar: Calendar, t: Date): Date {
  if (calendar.alwaysOpen) return t;
  for (const s of spansFrom(calendar, t.getTime())) {
    if (s.end > t.getTime()) return new Date(Math.max(s.start, t.getTime()));
  }
  throw new Error('unreachable');
}

/**
 * `t` plus `minutes` of open time. The result is the moment the last of those minutes is used up: inside an
 * open span, or exactly at its end. Adding 0 gives the next open moment.
 */
export function addBusinessMinutes(calendar: Calendar, t: Date, minutes: number): Date {
  if (!(minutes >= 0) || !Number.isFinite(minutes))
    throw new RangeError('minutes must be a finite number >= 0');
  if (calendar.alwaysOpen) return new Date(t.getTime() + minutes * MINUTE);
  if (minutes === 0) return nextOpen(calendar, t);
  let left = minutes * MINUTE;
  for (const s of spansFrom(calendar, t.getTime())) {
    if (s.end <= t.getTime()) continue;
    const from = Math.max(s.start, t.getTime());
    if (left <= s.end - from) return new Date(from + left);
    left -= s.end - from;
  }
  throw new Error('unreachable');
}

/** Open time between `a` and `b`, in minutes (fractions kept); negative when `b` is before `a`. */
export function businessMinutesBetween(calendar: Calendar, a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -businessMinutesBetween(calendar, b, a);
  if (calendar.alwaysOpen) return (b.getTime() - a.getTime()) / MINUTE;
  let total = 0;
  let day = DateTime.fromMillis(a.getTime(), { zone: calendar.timeZone }).startOf('day');
  while (day.toMillis() < b.getTime()) {
    for (const s of spansOf(calendar, day)) {
      total += Math.max(0, Math.min(s.end, b.getTime()) - Math.max(s.start, a.getTime()));
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return total / MINUTE;
}
