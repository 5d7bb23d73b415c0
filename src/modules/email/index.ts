import type { FastifyInstance } from 'fastify';
import {
  createMailer,
  type Deps,
  type EventConsumer,
  type JobHandler,
  type Mailer,
} from '../../platform/index.js';
import { registerForwardRoutes } from './forward.routes.js';
import { IMAP_POLL_JOB, imapPollHandler } from './imap.poll.js';
import { registerImapRoutes } from './imap.routes.js';
import { registerEmailIntakeRoutes } from './intake.routes.js';
import { registerMailboxRoutes } from './mailboxes.routes.js';
import { EMAIL_CONSUMER, emailConsumer } from './outbound.consumer.js';
import { emailJobHandlers as handlers } from './outbound.jobs.js';

export { DEFAULT_EMAIL_MAX_BYTES, deliverToMailboxes } from './deliver.js';
export { IMAP_POLL_JOB, pollMailbox } from './imap.poll.js';
export { EMAIL_ACK_JOB, EMAIL_SEND_JOB } from './outbound.consumer.js';
export { type ParsedEmail, parseEmail } from './parse.js';
export { type MailListener, startMailListener } from './smtp-listener.js';

export function registerEmailRoutes(app: FastifyInstance, deps: Deps): void {
  registerMailboxRoutes(app, deps);
  registerEmailIntakeRoutes(app, deps);
  registerForwardRoutes(app, deps);
  registerImapRoutes(app, deps);
}

/** The module's job handlers (collected by boot.ts): replies and acknowledgements through the mailer, IMAP polls. */
export function emailJobHandlers(
  deps: Deps,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  return { ...handlers(deps, mailer), [IMAP_POLL_JOB]: imapPollHandler(deps) };
}

export const emailEventConsumers: Record<string, EventConsumer> = { [EMAIL_CONSUMER]: emailConsumer };
