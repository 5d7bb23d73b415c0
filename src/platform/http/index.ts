export { type ErrorBody, registerErrorHandler } from './error-handler.js';
export { type Cursor, decodeCursor, encodeCursor, pageQuery } from './paging.js';
export { reportPeriod } from './period.js';
export { type Principal, principalOf } from './principal.js';
export {
  commonErrors,
  errorSchema,
  id,
  idParam,
  iso,
  isoDateTime,
  isoTime,
  optionalIsoTime,
} from './schemas.js';
