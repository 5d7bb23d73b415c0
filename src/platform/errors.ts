/**
 * Stable error codes and their HTTP statuses. Expected failures are returned values (`Result`); one mapper
 * (the HTTP error handler) turns a code into a status and the one error shape
 * `{ "error": { "code", "message", "details" } }`.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  MALFORMED_MULTIPART: 400,
  FILE_MISSING: 400,
  INVALID_CURSOR: 400,
  RESET_LINK_INVALID: 400,
  INVITATION_LINK_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  SCOPE_EXCEEDS_ROLE: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  TEAM_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  IDENTITY_NOT_FOUND: 404,
  CONVERSATION_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  EXPORT_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  CALENDAR_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  CONTACT_REASON_NOT_FOUND: 404,
  MACRO_NOT_FOUND: 404,
  SLA_POLICY_NOT_FOUND: 404,
  COMMITMENT_NOT_FOUND: 404,
  ESCALATION_NOT_FOUND: 404,
  RESOLUTION_ACTION_NOT_FOUND: 404,
  RESOLUTION_NOT_FOUND: 404,
  SENTIMENT_NOT_FOUND: 404,
  REASON_MODEL_NOT_FOUND: 404,
  SENTIMENT_MODEL_NOT_FOUND: 404,
  SURVEY_NOT_FOUND: 404,
  CHAT_WIDGET_NOT_FOUND: 404,
  VIEW_NOT_FOUND: 404,
  INVITATION_NOT_FOUND: 404,
  CONTACT_FORM_NOT_FOUND: 404,
  MAILBOX_NOT_FOUND: 404,
  BRIDGE_NOT_FOUND: 404,
  BLOCKED_SENDER_NOT_FOUND: 404,
  SPAM_NOT_FOUND: 404,
  IMAP_NOT_CONFIGURED: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  TRAINING_RUNNING: 409,
  REASON_ALREADY_SET: 409,
  TEAM_NAME_TAKEN: 409,
  IDENTITY_TAKEN: 409,
  DUPLICATE_EXTERNAL_ID: 409,
  LAST_OWNER: 409,
  CONVERSATION_ALREADY_ASSIGNED: 409,
  SETUP_DONE: 409,
  PERSON_IN_USE: 409,
  PERSON_INVITED: 409,
  ATTACHMENT_ALREADY_ATTACHED: 409,
  EXPORT_NOT_READY: 409,
  ALREADY_MERGED: 409,
  CALENDAR_NAME_TAKEN: 409,
  CALENDAR_IN_USE: 409,
  DEPARTMENT_NAME_TAKEN: 409,
  DEPARTMENT_IN_USE: 409,
  CONTACT_REASON_NAME_TAKEN: 409,
  CONTACT_REASON_IN_USE: 409,
  MAILBOX_ADDRESS_TAKEN: 409,
  BLOCKED_SENDER_EXISTS: 409,
  SURVEY_CLOSED: 409,
  BODY_TOO_LARGE: 413,
  ATTACHMENT_TOO_LARGE: 413,
  ATTACHMENTS_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  INVALID_STATUS_TRANSITION: 422,
  COMMITMENT_NOT_OPEN: 409,
  INVALID_DUE: 422,
  CONVERSATION_CLOSED: 422,
  INVALID_MERGE: 422,
  INVALID_SPLIT: 422,
  CANNOT_MERGE_INTO_ITSELF: 422,
  INVALID_IDENTITY: 422,
  INVALID_REFERENCE: 422,
  INVALID_WEBHOOK_URL: 422,
  INVALID_CALENDAR: 422,
  CALENDAR_NEVER_OPEN: 422,
  INVALID_PARENT: 422,
  CONTACT_REASON_ARCHIVED: 422,
  CSV_INVALID: 400,
  CSV_ROWS_INVALID: 422,
  INVALID_TEMPLATE: 422,
  INVALID_MACRO: 422,
  INVALID_VIEW: 422,
  INVALID_EMAIL: 422,
  SENDER_REFUSED: 422,
  INVALID_IMAP_SERVER: 422,
  NO_MATTER: 422,
  MATTER_ALONE: 422,
  NO_ESCALATION_TARGET: 422,
  ESCALATION_RESOLVED: 422,
  RESOLUTION_ACTION_DISABLED: 422,
  RESOLUTION_DECIDED: 422,
  OTHER_CUSTOMER: 422,
  IMAP_PASSWORD_REQUIRED: 422,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type Failure = { ok: false; code: ErrorCode; message: string; details?: unknown };
export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Failure => ({
  ok: false,
  code,
  message,
  details,
});

/** Thrown by routes to leave through the error mapper; services return `Failure` instead. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Unwraps a Result in a route: the value, or an HttpError for the mapper. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new HttpError(result.code, result.message, result.details);
}

/**
 * Used inside a transaction: a failure must roll back what the transaction already did, so it is thrown
 * and caught by `inTransaction`, which returns it as a value again.
 */
export class RollbackFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}
