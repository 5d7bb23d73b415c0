import { z } from 'zod';
import { errorStatus } from '../errors.js';

/** Shared pieces of request and response schemas. */
export const idParam = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export const id = z.number().int().positive();
export const isoTime = z.string().describe('ISO 8601 date-time');
export const optionalIsoTime = isoTime.nullable();

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .describe('The one error shape of every failure');

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  413: errorSchema,
  422: errorSchema,
  429: errorSchema,
} as const;

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * An ISO 8601 date-time with an offset, between 1970 and 9999: PostgreSQL rejects what JavaScript happily
 * parses (year 0, 30 February), and such a value must be a 400, not a 500.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const d = new Date(v);
    const y = d.getUTCFullYear();
    return !Number.isNaN(d.getTime()) && y >= 1970 && y <= 9999;
  }, 'a date-time between 1970 and 9999')
  .refine((v) => {
    // JavaScript rolls 2026-02-30 over into March; PostgreSQL refuses it. Refuse it here.
    const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(v);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  }, 'no such day');
