import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type ErrorCode, errorStatus, HttpError } from '../errors.js';

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
};

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'RATE_LIMITED',
};

/** Zod's issues, reduced to what a client needs: where and what. */
function issuesOf(validation: unknown): Array<{ path: string; message: string }> {
  if (!Array.isArray(validation)) return [];
  return validation.map(
    (v: { instancePath?: string; message?: string; params?: { issue?: { path?: unknown[] } } }) => {
      const path =
        v.params?.issue?.path?.join('.') ?? v.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      return { path, message: v.message ?? 'invalid' };
    },
  );
}

/** The one mapper from failures to HTTP: every error leaves as `{ error: { code, message, details } }`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const send = (code: ErrorCode, message: string, details?: unknown) => {
      const body: ErrorBody = { error: { code, message, details } };
      if (errorStatus[code] >= 500) body.error.requestId = request.id;
      return reply.status(errorStatus[code]).send(body);
    };
    if (err instanceof HttpError) return send(err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      return send('VALIDATION_FAILED', `The ${where} is not valid`, { issues: issuesOf(err.validation) });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return send('INTERNAL', 'Something went wrong on our side; the request id identifies it');
    }
    const mapped = err.code ? fastifyCodes[err.code] : undefined;
    if (mapped) return send(mapped, err.message);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      if (err instanceof SyntaxError) return send('MALFORMED_JSON', 'The body is not valid JSON');
      if (err.statusCode === 429) return send('RATE_LIMITED', err.message);
      return send('VALIDATION_FAILED', err.message);
    }
    request.log.error({ err }, 'unexpected error');
    return send('INTERNAL', 'Something went wrong on our side; the request id identifies it');
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` },
    };
    return reply.status(404).send(body);
  });
}
