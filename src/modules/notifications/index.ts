import {
  createMailer,
  type Deps,
  type EventConsumer,
  type JobHandler,
  type Mailer,
} from '../../platform/index.js';
import { notificationJobHandlers } from './email.jobs.js';
import { NOTIFICATIONS_CONSUMER, notificationConsumer } from './notify.consumer.js';

export { digestMail, immediateMail } from './email-texts.js';
export type { Notification } from './notifications.repo.js';
export {
  notificationSchema,
  presentNotification,
  registerNotificationRoutes,
} from './notifications.routes.js';
export {
  DIGEST_JOB,
  digestKey,
  EMAIL_JOB,
  mailConfigured,
  NOTIFICATIONS_CONSUMER,
} from './notify.consumer.js';
export { defaultEmail, effectivePreferences, nextDigestAt, type Preferences } from './preferences.js';
export {
  type EventFacts,
  kindLabel,
  MAX_RECIPIENTS,
  type NotificationKind,
  notificationKinds,
  type Recipient,
  recipientsOf,
} from './recipients.js';

/** The module's event consumer, by its cursor name (collected by boot.ts). */
export function notificationEventConsumers(deps: Pick<Deps, 'settings'>): Record<string, EventConsumer> {
  return { [NOTIFICATIONS_CONSUMER]: notificationConsumer(deps.settings) };
}

/** The module's job handlers (collected by boot.ts): e-mail through the shared mailer. */
export function notificationsJobHandlers(
  deps: Pick<Deps, 'db' | 'settings'>,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  return notificationJobHandlers(deps, mailer);
}
