import type { Interval, Week } from '../../../api/admin';

export const dayNames = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export const days = ['1', '2', '3', '4', '5', '6', '7'] as const;

const shortDay = (d: string) => dayNames[Number(d) - 1]!.slice(0, 3);
const hours = (list: Interval[]) => list.map((i) => `${i.start}–${i.end}`).join(', ');

/** "Mon–Fri 09:00–12:00, 13:00–17:00; Sat 10:00–14:00": runs of days with the same hours. */
export function weekSummary(week: Week): string {
  const parts: string[] = [];
  let i = 0;
  while (i < days.length) {
    const text = hours(week[days[i]!] ?? []);
    let j = i;
    while (j + 1 < days.length && hours(week[days[j + 1]!] ?? []) === text) j++;
    if (text) parts.push(`${shortDay(days[i]!)}${j > i ? `–${shortDay(days[j]!)}` : ''} ${text}`);
    i = j + 1;
  }
  return parts.length ? parts.join('; ') : 'Never open';
}

/** The zones this browser knows (the server checks against its own list and says when one is unknown). */
export function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {}
  const all = new Set(['UTC', ...zones]);
  if (current) all.add(current);
  return [...all].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A moment as the calendar's clock shows it: "Tuesday, 3 March 2026 at 14:00". */
export function inZone(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Date(iso).toLocaleString();
  }
}
