import { type Failure, ok, type Result } from './errors.js';

/** The SQLSTATE of a database error, whichever driver raised it and however Drizzle wrapped it. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/**
 * A delete that other rows may still refer to: the foreign key decides (no race between a check and the
 * delete), and its violation becomes `inUse` instead of an error.
 */
export async function deleteUnlessReferenced(
  remove: () => Promise<unknown>,
  inUse: Failure,
): Promise<Result<null>> {
  try {
    await remove();
    return ok(null);
  } catch (err) {
    if (pgErrorCode(err) === FOREIGN_KEY_VIOLATION) return inUse;
    throw err;
  }
}
