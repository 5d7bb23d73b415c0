import type { Db, Tx } from '../db/index.js';
import { type Failure, type Result, RollbackFailure } from './errors.js';

/**
 * Runs a use-case in one transaction. The callback returns a Result; a failure rolls back everything the
 * transaction did (events and jobs included) and comes back as a value.
 */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await db.transaction(async (tx) => {
      const result = await fn(tx);
      if (!result.ok) throw new RollbackFailure(result);
      return result;
    });
  } catch (err) {
    if (err instanceof RollbackFailure) return err.failure as Failure;
    throw err;
  }
}
