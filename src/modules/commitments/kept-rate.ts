/**
 * Promise-kept rate (PRODUCT.md): commitments fulfilled by their due time / commitments due.
 *
 * For a period [from, to) at the moment `now`:
 * - a commitment is *due in the period* when its due time is in [from, to) and its outcome is known: its due
 *   time has come (due_at <= now), or it was already kept or broken. An open one not yet due is not counted;
 *   suggestions and dismissed suggestions are never commitments.
 * - it is *kept* when it was fulfilled at or before its due time (kept_at <= due_at). Kept late, broken, or
 *   still open past its due time: due, not kept.
 * The rate is kept / due, null when nothing was due. Per agent: by the commitment's owner; per team: by the
 * conversation's team when the promise was recorded.
 */
export function keptRate(counts: { due: number; kept: number }): number | null {
  return counts.due === 0 ? null : counts.kept / counts.due;
}
