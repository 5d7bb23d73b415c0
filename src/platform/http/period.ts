import { fail, unwrap } from '../errors.js';

const DAY = 86_400_000;

/**
 * The period of a figures route, [from, to): `to` defaults to now, `from` to 30 days before `to`; `from` must be
 * before `to` (400 otherwise). The one reading of `?from=&to=` for every report.
 */
export function reportPeriod(query: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
  if (from.getTime() >= to.getTime()) unwrap(fail('VALIDATION_FAILED', '`from` must be before `to`'));
  return { from, to };
}
