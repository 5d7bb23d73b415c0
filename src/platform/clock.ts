/** Time is injected everywhere it matters (jobs, SLAs, auto-close), so tests can move it. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. Only for tests and benchmarks. */
export function fakeClock(start: Date | string = '2026-01-05T09:00:00Z'): Clock & {
  set(t: Date | string): void;
  advance(ms: number): void;
} {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (t) => {
      current = new Date(t).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
