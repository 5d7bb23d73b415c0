/** A query key as TanStack Query takes it. */
export type Key = readonly unknown[];

/** Invalidations that wait for the next flush: each key once, however many pushes asked for it. */
export type Invalidate = (queryKey: Key) => void;

/** At most one re-fetch of a query per this many milliseconds, whatever the rate of pushes. */
export const COALESCE_MS = 300;

type Timers = { now(): number; later(run: () => void, ms: number): unknown };
const realTimers: Timers = { now: () => Date.now(), later: (run, ms) => setTimeout(run, ms) };

/**
 * Invalidations, coalesced: the first after a quiet spell goes out at once, those that follow within
 * COALESCE_MS wait and go out together, each key once. Background work that changes thousands of
 * conversations (a model reading the open queue, a bulk change) then re-fetches each list shown a few times
 * a second instead of once per push, and no request is cancelled by the next one.
 */
export function coalescer(run: (queryKey: Key) => void, timers: Timers = realTimers): Invalidate {
  const waiting = new Map<string, Key>();
  let scheduled = false;
  let last = Number.NEGATIVE_INFINITY;
  const flush = () => {
    scheduled = false;
    last = timers.now();
    const keys = [...waiting.values()];
    waiting.clear();
    for (const key of keys) run(key);
  };
  return (queryKey) => {
    waiting.set(JSON.stringify(queryKey), queryKey);
    if (scheduled) return;
    scheduled = true;
    timers.later(flush, Math.max(0, last + COALESCE_MS - timers.now()));
  };
}
