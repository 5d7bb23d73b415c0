import { z } from 'zod';
import { HttpError } from '../errors.js';

/**
 * Keyset pagination: the cursor is the sort key of the last row seen, opaque to clients (base64url JSON).
 * No OFFSET, no COUNT(*): page 40 costs what page 1 costs.
 */
export type Cursor = { t: string; id: number };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const cursorSchema = z.strictObject({ t: z.string().max(40), id: z.number().int().positive() });

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (Number.isNaN(Date.parse(parsed.t))) throw new Error('bad time');
    return parsed;
  } catch {
    throw new HttpError('INVALID_CURSOR', 'The cursor is not one this server issued');
  }
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};
