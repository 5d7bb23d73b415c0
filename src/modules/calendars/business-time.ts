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

/** One local day of a calendar: [start, end) as instants, and its open spans. */
type Day = { start: number; end: number; spans: Span[] };

/**
 * Days already worked out, per calendar object: recomputing many conversations against one calendar asks
 * for the same few days again and again, and luxon's zone arithmetic is the expensive part. `byStart` holds
 * each day once; `byBucket` finds the day of an instant by its quarter hour (local midnights fall on quarter
 * hours in every zone in use), checked against the day's bounds, so an odd zone only misses the cache.
 */
type DayCache = { byStart: Map<number, Day>; byBucket: Map<number, Day> };
const dayCaches = new WeakMap<Calendar, DayCache>();
const BUCKET = 15 * MINUTE;

function cacheOf(calendar: Calendar): DayCache {
  let cache = dayCaches.get(calendar);
  if (!cache) {
    cache = { byStart: new Map(), byBucket: new Map() };
    dayCaches.set(calendar, cache);
  }
  return cache;
}

/** The local day containing `t`. */
function dayOf(calendar: Calendar, t: number): Day {
  const cache = cacheOf(calendar);
  const bucket = Math.floor(t / BUCKET);
  const hit = cache.byBucket.get(bucket);
  if (hit && hit.start <= t && t < hit.end) return hit;
  const local = DateTime.fromMillis(t, { zone: calendar.timeZone }).startOf('day');
  let day = cache.byStart.get(local.toMillis());
  if (!day) {
    day = {
      start: local.toMillis(),
      end: local.plus({ days: 1 }).startOf('day').toMillis(),
      spans: spansOf(calendar, local),
    };
    cache.byStart.set(day.start, day);
  }
  cache.byBucket.set(bucket, day);
  return day;
}

/** The open spans from the local day containing `t` onwards, day by day. */
function* spansFrom(calendar: Calendar, t: number): Generator<Span> {
  let day = dayOf(calendar, t);
  for (let n = 0; n < MAX_DAYS; n++) {
    yield* day.spans;
    day = dayOf(calendar, day.end);
  }
  throw new Error('the calendar has no open time in the next ten years');
}

export function isOpen(calendar: Calendar, t: Date): boolean {
  if (calendar.alwaysOpen) return true;
  return dayOf(calendar, t.getTime()).spans.some((s) => s.start <= t.getTime() && t.getTime() < s.end);
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
  let day = dayOf(calendar, a.getTime());
  while (day.start < b.getTime()) {
    for (const s of day.spans) {
      total += Math.max(0, Math.min(s.end, b.getTime()) - Math.max(s.start, a.getTime()));
    }
    day = dayOf(calendar, day.end);
  }
  return total / MINUTE;
}
