/**
 * Wrong sign-ins for addresses that have no (active) account, counted in memory exactly as real accounts are
 * counted in the database, so that "locked" is no hint that an account exists. Per process and bounded: this
 * is about not leaking existence, not about stopping guessers (the per-address rate limit does that).
 */
type Entry = { failures: number; lockedUntil: number };
const entries = new Map<string, Entry>();
const MAX_ENTRIES = 10_000;

const keyOf = (workspace: string, email: string) => `${workspace.toLowerCase()}|${email.toLowerCase()}`;

export function unknownLockedUntil(workspace: string, email: string, now: Date): Date | undefined {
  const e = entries.get(keyOf(workspace, email));
  return e && e.lockedUntil > now.getTime() ? new Date(e.lockedUntil) : undefined;
}

export function recordUnknownFailure(
  workspace: string,
  email: string,
  now: Date,
  lockAfter: number,
  lockMs: number,
) {
  const key = keyOf(workspace, email);
  if (!entries.has(key) && entries.size >= MAX_ENTRIES) entries.clear();
  const e = entries.get(key) ?? { failures: 0, lockedUntil: 0 };
  e.failures += 1;
  if (e.failures >= lockAfter) {
    e.failures = 0;
    e.lockedUntil = now.getTime() + lockMs;
  }
  entries.set(key, e);
}
