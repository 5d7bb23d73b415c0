import type { Tx } from '../../db/index.js';
import {
  type AppSettings,
  type EventConsumer,
  enqueueJob,
  publishRealtime,
  type StoredEvent,
} from '../../platform/index.js';
import { findPerson } from '../people/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { countUnread, findPreferences, insertNotification } from './notifications.repo.js';
import { effectivePreferences, emailModeFor, nextDigestAt } from './preferences.js';
import { recipientsOf } from './recipients.js';

export const NOTIFICATIONS_CONSUMER = 'notifications';
export const EMAIL_JOB = 'notifications.email';
export const DIGEST_JOB = 'notifications.digest';

export const digestKey = (personId: number, at: Date) =>
  `notification-digest:${personId}:${at.toISOString()}`;

/** Whether e-mail can be sent at all on this instance. */
export const mailConfigured = (settings: Pick<AppSettings, 'smtpUrl' | 'mailFrom'>) =>
  Boolean(settings.smtpUrl && settings.mailFrom);

async function actorName(tx: Tx, event: StoredEvent): Promise<string | undefined> {
  if (event.actorType !== 'person' || event.actorId === null) return undefined;
  return (await findPerson(tx, event.workspaceId, event.actorId))?.name;
}

/**
 * Turns events into notifications (exactly once per event: it runs in the transaction that moves the
 * consumer's cursor). For each person concerned who is active in the event's own workspace: store the
 * notification, push `notification.created` to them on commit, and enqueue its e-mail (a job per mail, or
 * the person's digest for the period) when their preferences and the instance's mail settings say so.
 */
export function notificationConsumer(settings: Pick<AppSettings, 'smtpUrl' | 'mailFrom'>): EventConsumer {
  const mailOn = mailConfigured(settings);
  return {
    async handle(tx, event, ctx) {
      // Cheap first pass without names; most events concern nobody.
      if (recipientsOf(event).length === 0) return;
      const recipients = recipientsOf(event, { actorName: await actorName(tx, event) });
      const now = ctx.clock.now();
      let workspaceZone: string | undefined | null = null;
      for (const r of recipients) {
        // Looked up in the event's workspace: an id of another workspace is simply nobody here.
        const person = await findPerson(tx, event.workspaceId, r.personId);
        if (person?.status !== 'active') continue;
        let mode: 'off' | 'immediate' | 'digest' = 'off';
        let digestAt: Date | undefined;
        if (mailOn) {
          if (workspaceZone === null)
            workspaceZone = (await findWorkspaceById(tx, event.workspaceId))?.settings.timeZone;
          const prefs = effectivePreferences(
            await findPreferences(tx, event.workspaceId, person.id),
            workspaceZone,
          );
          mode = emailModeFor(prefs, r.kind);
          if (mode === 'digest') digestAt = nextDigestAt(now, prefs.digest);
        }
        const row = await insertNotification(tx, {
          workspaceId: event.workspaceId,
          personId: person.id,
          kind: r.kind,
          title: r.title,
          link: r.link,
          entityType: r.entityType,
          entityId: r.entityId,
          eventId: event.id,
          emailVia: mode === 'off' ? null : mode,
          createdAt: now,
        });
        if (!row) continue;
        await publishRealtime(tx, {
          workspaceId: event.workspaceId,
          personIds: [person.id],
          type: 'notification.created',
          data: {
            id: row.id,
            kind: row.kind,
            title: row.title,
            link: row.link,
            unreadCount: await countUnread(tx, event.workspaceId, person.id),
          },
        });
        if (mode === 'immediate') {
          await enqueueJob(
            tx,
            {
              workspaceId: event.workspaceId,
              type: EMAIL_JOB,
              payload: { notificationId: row.id },
              runAt: now,
            },
            now,
          );
        } else if (mode === 'digest' && digestAt) {
          // One digest job per person and period: later notifications of the period find it queued.
          await enqueueJob(
            tx,
            {
              workspaceId: event.workspaceId,
              type: DIGEST_JOB,
              payload: { personId: person.id },
              runAt: digestAt,
              dedupeKey: digestKey(person.id, digestAt),
            },
            now,
          );
        }
      }
    },
  };
}
