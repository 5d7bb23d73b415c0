import { z } from 'zod';
import { HttpError } from '../errors.js';

/**
 * Keyset pagination: the cursor is the sort key of the last row seen, opaque to clients (base64url JSON).
 * No OFFSET, no COUNT(*): page 40 costs what page 1 costs.
 */
export type Cursor = {
  /** A UTC instant, or `infinity` (a sort key past every instant: conversations nobody waits on). */
  t: string;
  id: number;
  /** A rank sorted before `t` (the priority sort: 0 = urgent … 3 = low). */
  r?: number;
};

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Only the exact UTC form this server writes (milli- or microseconds): anything else could reach SQL. */
const cursorTime = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3}|\d{6})Z$/;
const cursorSchema = z.strictObject({
  t: z.union([z.string().regex(cursorTime), z.literal('infinity')]),
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  r: z.number().int().min(0).max(9).optional(),
});

/** True when the timestamp names a real instant between 1970 and 9999 (no 30 February, no year 0). */
function realInstant(t: string): boolean {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return false;
  const year = d.getUTCFullYear();
  return year >= 1970 && year <= 9999 && d.toISOString().slice(0, 19) === t.slice(0, 19);
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.t !== 'infinity' && !realInstant(parsed.t)) throw new Error('bad time');
    return parsed;
  } catch {
    throw new HttpError('INVALID_CURSOR', 'The cursor is not one this server issued');
  }
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};
