import { DateTime } from 'luxon';
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from '../calendars/index.js';

/**
 * Natural-language due times ("in 5 business days", "tomorrow at 10", "by Friday"): a pure function of
 * (phrase, now, calendar). Wall-clock times are read in the calendar's time zone; business days are the
 * calendar's open days (holidays and closed weekdays skipped).
 *
 * - `in N business|working days`: the close of business of the N-th business day after today;
 * - `in N business|working hours`: N hours of open time from now;
 * - `in N minutes|hours|days|weeks`: calendar time from now;
 * - `today|tonight|tomorrow|<weekday>|by <weekday>|on <weekday>`, optionally `at H[:MM][am|pm]`: that day at
 *   that time, else at its close of business (end of the day when it has no business hours); a weekday is the
 *   nearest one whose moment is still ahead;
 * - `end of day|eod`, `end of next business day`;
 * - an ISO date-time (with an offset or Z), or an ISO date (its close of business).
 * Anything else is not understood: null.
 */

const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  thirty: 30,
};
const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MAX_DAYS = 366;

function count(word: string): number | undefined {
  const n = /^\d+$/.test(word) ? Number(word) : numberWords[word];
  return n !== undefined && n >= 0 && n <= MAX_DAYS * 24 ? n : undefined;
}

const localDay = (calendar: Calendar, t: Date) =>
  DateTime.fromMillis(t.getTime(), { zone: calendar.timeZone }).startOf('day');

/** Minutes the calendar is open on the local day `day`. */
function openMinutes(calendar: Calendar, day: DateTime): number {
  const start = new Date(day.toMillis());
  const end = new Date(day.plus({ days: 1 }).startOf('day').toMillis());
  return businessMinutesBetween(calendar, start, end);
}

/** The close of business of a local day (its last open moment); the end of the day when it is closed. */
function closeOf(calendar: Calendar, day: DateTime): Date {
  const minutes = openMinutes(calendar, day);
  if (minutes <= 0) return new Date(day.plus({ days: 1 }).startOf('day').toMillis() - 60_000);
  return addBusinessMinutes(calendar, new Date(day.toMillis()), minutes);
}

/** The close of business of the n-th business day after the one containing `now` (n = 0: today's, if open). */
export function closeOfBusinessDays(calendar: Calendar, now: Date, n: number): Date | null {
  let day = localDay(calendar, now);
  let left = n;
  for (let i = 0; i <= MAX_DAYS * 2; i++) {
    if (i > 0 || n === 0) {
      if (openMinutes(calendar, day) > 0 && (n > 0 || closeOf(calendar, day) > now)) {
        if (left <= 1) return closeOf(calendar, day);
        left--;
      }
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return null;
}

/** `10`, `10:30`, `3pm`, `3:15 pm`, `15h` → minutes after midnight. */
function timeOfDay(text: string): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?$/.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if (min > 59) return undefined;
  if (m[3] === 'am' || m[3] === 'pm') {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[3] === 'pm' ? 12 : 0);
  } else if (h > 23) return undefined;
  return h * 60 + min;
}

function at(calendar: Calendar, day: DateTime, minutes: number | undefined): Date {
  if (minutes === undefined) return closeOf(calendar, day);
  return new Date(day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis());
}

export function parseDuePhrase(phrase: string, now: Date, calendar: Calendar): Date | null {
  const text = phrase.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]$/, '');
  if (text === '' || text.length > 100) return null;

  const iso = DateTime.fromISO(phrase.trim(), { setZone: true });
  if (iso.isValid && /^\d{4}-\d\d-\d\d/.test(phrase.trim())) {
    if (/^\d{4}-\d\d-\d\d$/.test(phrase.trim()))
      return closeOf(calendar, DateTime.fromISO(phrase.trim(), { zone: calendar.timeZone }).startOf('day'));
    if (!/(z|[+-]\d\d:?\d\d)$/i.test(phrase.trim())) return null;
    return new Date(iso.toMillis());
  }

  const relative =
    /^(?:with)?in (\d+|[a-z]+) (business |working )?(minute|hour|day|week)s?$/.exec(text) ?? undefined;
  if (relative) {
    const n = count(relative[1]!);
    if (n === undefined) return null;
    const business = relative[2] !== undefined;
    const unit = relative[3]!;
    if (business && unit === 'day') return n > MAX_DAYS ? null : closeOfBusinessDays(calendar, now, n);
    if (business && unit === 'hour') return addBusinessMinutes(calendar, now, n * 60);
    if (business) return null;
    const ms = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[unit]!;
    if (n * ms > MAX_DAYS * 86_400_000) return null;
    if (unit === 'day' || unit === 'week')
      return new Date(
        DateTime.fromMillis(now.getTime(), { zone: calendar.timeZone })
          .plus({ days: unit === 'week' ? n * 7 : n })
          .toMillis(),
      );
    return new Date(now.getTime() + n * ms);
  }

  if (/^(by )?(the )?(end of (the )?(business )?day|eod|close of business|cob)$/.test(text)) {
    return closeOfBusinessDays(calendar, now, 0) ?? closeOfBusinessDays(calendar, now, 1);
  }
  if (/^(by )?(the )?end of (the )?next (business|working) day$/.test(text))
    return closeOfBusinessDays(calendar, now, 1);

  const dayed = /^(?:by |on |before )?(today|tonight|tomorrow|[a-z]+day)(?: (?:at|by) (.+))?$/.exec(text);
  if (dayed) {
    const word = dayed[1]!;
    const minutes = dayed[2] === undefined ? undefined : timeOfDay(dayed[2]);
    if (dayed[2] !== undefined && minutes === undefined) return null;
    const today = localDay(calendar, now);
    if (word === 'today' || word === 'tonight')
      return at(calendar, today, minutes ?? (word === 'tonight' ? 20 * 60 : undefined));
    if (word === 'tomorrow') return at(calendar, today.plus({ days: 1 }), minutes);
    const index = weekdays.indexOf(word);
    if (index < 0) return null;
    for (let d = 0; d <= 7; d++) {
      const day = today.plus({ days: d });
      if (day.weekday !== index + 1) continue;
      const due = at(calendar, day, minutes);
      if (due > now) return due;
    }
    return null;
  }
  return null;
}
