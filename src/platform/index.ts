export { type Clock, fakeClock, systemClock } from './clock.js';
export type { AppSettings, Deps, WebhookSettings } from './deps.js';
export {
  type ErrorCode,
  errorStatus,
  type Failure,
  fail,
  HttpError,
  ok,
  type Result,
  unwrap,
} from './errors.js';
export {
  createEventDispatcher,
  type EventConsumer,
  type EventConsumerContext,
  type EventDispatcher,
  skipEventsSoFar,
} from './event-dispatch.js';
export {
  type Actor,
  type EventBrief,
  type EventInStatement,
  eventColumns,
  eventValues,
  listEntitiesHistory,
  listEntityEvents,
  type NewEvent,
  recordEvent,
  recordEvents,
  routingActor,
  type StoredEvent,
  scrubEventData,
  systemActor,
} from './events.js';
export { sanitizeMessageHtml } from './html.js';
export * from './http/index.js';
export * from './jobs/index.js';
export {
  addressOf,
  createMailer,
  isPermanentMailFailure,
  type Mailer,
  type MailerOptions,
  MailNotConfigured,
  type MailSettings,
  type OutgoingMail,
  type SentMail,
} from './mailer.js';
export { createMetrics, type Metrics } from './metrics.js';
export { deleteUnlessReferenced, FOREIGN_KEY_VIOLATION, pgErrorCode, UNIQUE_VIOLATION } from './pg-errors.js';
export {
  AUTH_REVOKED,
  decodeRealtime,
  encodeRealtime,
  flushRealtimeAfterCommit,
  publishRealtime,
  publishRealtimeAfterCommit,
  publishRealtimeMany,
  REALTIME_CHANNEL,
  type RealtimeMessage,
  type RealtimePayload,
} from './realtime.js';
export { createRealtimeHub, type RealtimeHub } from './realtime-hub.js';
export { originAllowed, REALTIME_TYPES, registerRealtimeStream } from './realtime-stream.js';
export { loadSecretKey, openSecret, randomSecret, safeEqual, sealSecret, sha256 } from './secrets.js';
export { inTransaction } from './tx.js';
export { defaultWebDir, registerWebApp } from './web-app.js';
export { runWorker, startWorker, type WorkerOutcome } from './worker-thread.js';
