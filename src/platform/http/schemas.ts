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
