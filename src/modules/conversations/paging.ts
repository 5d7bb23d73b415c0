import { type Cursor, encodeCursor } from '../../platform/index.js';

/**
 * A page from `limit + 1` rows read: the extra row only tells whether there is a next page, so the last
 * page never costs an empty extra round trip.
 */
export function pageOf<T, P>(
  rows: Array<{ sortKey: Cursor } & T>,
  limit: number,
  present: (row: T) => P,
): { items: P[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    nextCursor: rows.length > limit && last ? encodeCursor(last.sortKey) : null,
  };
}
