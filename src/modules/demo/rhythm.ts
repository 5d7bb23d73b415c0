/**
 * When customers write and when staff answer. The demo company keeps its clocks on UTC, so hours and
 * weekdays here are UTC ones (no daylight-saving jumps in the generated rhythm).
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

/** Relative contact volume by hour of day: quiet at night, a morning peak, a smaller after-lunch one. */
export const hourWeights: readonly number[] = [
  0.12, 0.08, 0.06, 0.05, 0.06, 0.1, 0.25, 0.55, 1.0, 1.45, 1.6, 1.55, 1.3, 1.35, 1.45, 1.4, 1.25, 1.05, 0.85,
  0.7, 0.62, 0.5, 0.35, 0.2,
];

/** Relative volume by weekday, Sunday first (Date#getUTCDay): Monday is the busiest day, weekends quiet. */
export const weekdayWeights: readonly number[] = [0.4, 1.3, 1.12, 1.05, 1.0, 0.92, 0.48];

export function hourOfDay(t: number): number {
  return new Date(t).getUTCHours();
}

export function weekday(t: number): number {
  return new Date(t).getUTCDay();
}

export function startOfDay(t: number): number {
  return t - (((t % DAY) + DAY) % DAY);
}

/** Contact volume weight of the hour starting at `t`. */
export function volumeWeight(t: number): number {
  return (hourWeights[hourOfDay(t)] as number) * (weekdayWeights[weekday(t)] as number);
}

/** Opening hours of a team: in-house teams work office hours, the outsourced vendor long hours all week. */
export type Shift = 'office' | 'extended';

export function isWorking(shift: Shift, t: number): boolean {
  const h = hourOfDay(t);
  if (shift === 'extended') return h >= 7 && h < 23;
  const d = weekday(t);
  if (d === 0) return false;
  if (d === 6) return h >= 9 && h < 13;
  return h >= 8 && h < 18;
}

/** The first working moment at or after `t` (scans hour by hour; at most a couple of days ahead). */
export function nextWorkingTime(shift: Shift, t: number): number {
  if (isWorking(shift, t)) return t;
  let hour = t - (t % HOUR) + HOUR;
  for (let i = 0; i < 24 * 8; i++, hour += HOUR) if (isWorking(shift, hour)) return hour;
  return t;
}

/** Customers rarely write between midnight and 7 am: a reply that would land then waits for the morning. */
export function customerAwake(t: number, jitter: number): number {
  const h = hourOfDay(t);
  if (h >= 7) return t;
  return startOfDay(t) + 7 * HOUR + Math.floor(jitter * 3 * HOUR);
}
