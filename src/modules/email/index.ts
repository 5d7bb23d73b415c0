import type { FastifyInstance } from 'fastify';
import {
  createMailer,
  type Deps,
  type EventConsumer,
  type JobHandler,
  type Mailer,
} from '../../platform/index.js';
import { registerEmailIntakeRoutes } from './intake.routes.js';
import { registerMailboxRoutes } from './mailboxes.routes.js';
import { EMAIL_CONSUMER, emailConsumer } from './outbound.consumer.js';
import { emailJobHandlers as handlers } from './outbound.jobs.js';

export { DEFAULT_EMAIL_MAX_BYTES, deliverToMailboxes } from './deliver.js';
export { EMAIL_ACK_JOB, EMAIL_SEND_JOB } from './outbound.consumer.js';
export { type ParsedEmail, parseEmail } from './parse.js';
export { type MailListener, startMailListener } from './smtp-listener.js';

export function registerEmailRoutes(app: FastifyInstance, deps: Deps): void {
  registerMailboxRoutes(app, deps);
  registerEmailIntakeRoutes(app, deps);
}

/** The module's job handlers (collected by boot.ts): replies and acknowledgements through the mailer. */
export function emailJobHandlers(
  deps: Deps,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  return handlers(deps, mailer);
}

export const emailEventConsumers: Record<string, EventConsumer> = { [EMAIL_CONSUMER]: emailConsumer };
