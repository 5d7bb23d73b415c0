import {
  type Deps,
  isPermanentMailFailure,
  type JobContext,
  type JobHandler,
  type Mailer,
} from '../../platform/index.js';
import { findPerson } from '../people/index.js';
import { digestMail, immediateMail } from './email-texts.js';
import { findNotification, markEmailed, pendingDigest } from './notifications.repo.js';
import { DIGEST_JOB, EMAIL_JOB } from './notify.consumer.js';

/** A digest mails at most this many notifications at once (and lists fewer). */
const DIGEST_MAX = 500;

async function sendOrGiveUp(ctx: JobContext, send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    // A 5xx is the remote server's final word: retrying the same mail would be refused again.
    if (!isPermanentMailFailure(err)) throw err;
    ctx.log.warn({ err }, 'notification e-mail refused for good; not retried');
    return false;
  }
}

/**
 * E-mail is at least once: the mail goes out, then the notification is marked `emailed_at`; a crash between
 * the two sends it again under the same Message-ID (the job's idempotency key).
 */
export function notificationJobHandlers(
  deps: Pick<Deps, 'db' | 'settings'>,
  mailer: Mailer,
): Record<string, JobHandler> {
  const { db, settings } = deps;
  return {
    [EMAIL_JOB]: {
      kind: 'external',
      async run(job, ctx) {
        const id = Number(job.payload.notificationId);
        const notification = await findNotification(db, job.workspaceId, id);
        // Already mailed, or already seen in the app while the mail waited (a retry): nothing to say.
        if (!notification || notification.emailedAt || notification.readAt || !mailer.configured) return;
        const person = await findPerson(db, job.workspaceId, notification.personId);
        if (person?.status !== 'active') return;
        const mail = immediateMail(person, notification, settings.publicUrl);
        const sent = await sendOrGiveUp(ctx, () =>
          mailer.send({
            to: person.email,
            ...mail,
            messageId: mailer.messageIdFor(ctx.idempotencyKey),
            headers: {
              'Auto-Submitted': 'auto-generated',
              'X-Steward-Notification': String(notification.id),
            },
          }),
        );
        if (sent) await markEmailed(db, job.workspaceId, [notification.id], ctx.clock.now());
      },
    },
    [DIGEST_JOB]: {
      kind: 'external',
      async run(job, ctx) {
        const personId = Number(job.payload.personId);
        if (!mailer.configured) return;
        const person = await findPerson(db, job.workspaceId, personId);
        if (person?.status !== 'active') return;
        const items = await pendingDigest(db, job.workspaceId, personId, ctx.clock.now(), DIGEST_MAX);
        if (items.length === 0) return; // everything was read in the app meanwhile
        const mail = digestMail(person, items, settings.publicUrl);
        const sent = await sendOrGiveUp(ctx, () =>
          mailer.send({
            to: person.email,
            ...mail,
            messageId: mailer.messageIdFor(ctx.idempotencyKey),
            headers: { 'Auto-Submitted': 'auto-generated' },
          }),
        );
        if (sent)
          await markEmailed(
            db,
            job.workspaceId,
            items.map((i) => i.id),
            ctx.clock.now(),
          );
      },
    },
  };
}
