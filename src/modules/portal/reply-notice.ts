import sanitizeHtml from 'sanitize-html';
import {
  createMailer,
  type Deps,
  type EventConsumer,
  enqueueJob,
  isPermanentMailFailure,
  type JobHandler,
  type Mailer,
} from '../../platform/index.js';
import { findConversation, findMessage } from '../conversations/index.js';
import { findCustomer, listIdentities } from '../customers/index.js';
import { findPerson } from '../people/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { canSendPortalMail } from './portal-auth.service.js';

export const PORTAL_CONSUMER = 'portal';
export const PORTAL_REPLY_NOTICE_JOB = 'portal.reply_notice';

/**
 * A reply on the `webform` channel travels nowhere by itself: the customer reads it in the portal. This
 * consumer has them told by mail (`reply_notification.*`) with a link to the conversation there.
 */
export function portalEventConsumers(deps: Pick<Deps, 'settings'>): Record<string, EventConsumer> {
  return {
    [PORTAL_CONSUMER]: {
      types: ['message.sent'],
      async handle(tx, event, ctx) {
        if (event.data.channel !== 'webform' || !canSendPortalMail(deps.settings)) return;
        const now = ctx.clock.now();
        await enqueueJob(
          tx,
          {
            workspaceId: event.workspaceId,
            type: PORTAL_REPLY_NOTICE_JOB,
            payload: { conversationId: event.entityId, messageId: event.data.messageId },
            runAt: now,
            maxAttempts: 5,
          },
          now,
        );
      },
    },
  };
}

const htmlToText = (html: string) =>
  sanitizeHtml(html.replace(/<\/(p|div|li|h\d)>|<br\s*\/?>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();

export function replyNoticeJobHandlers(
  deps: Pick<Deps, 'db' | 'settings'>,
  mailer: Mailer = createMailer(deps.settings),
): Record<string, JobHandler> {
  const { db, settings } = deps;
  return {
    [PORTAL_REPLY_NOTICE_JOB]: {
      kind: 'external',
      async run(job, ctx) {
        if (!mailer.configured || !settings.publicUrl) return;
        const ws = job.workspaceId;
        const conversation = await findConversation(db, ws, Number(job.payload.conversationId));
        const message = await findMessage(db, ws, Number(job.payload.messageId));
        const workspace = await findWorkspaceById(db, ws);
        if (!conversation || !workspace || message?.direction !== 'outbound') return;
        const customer = await findCustomer(db, ws, conversation.customerId);
        const email = (await listIdentities(db, ws, [conversation.customerId])).find(
          (i) => i.kind === 'email',
        );
        if (!customer || !email) return;
        const agent = message.authorPersonId ? await findPerson(db, ws, message.authorPersonId) : undefined;
        const base = settings.publicUrl.replace(/\/+$/, '');
        const values = {
          customerName: customer.name ?? '',
          subject: conversation.subject,
          reference: String(conversation.id),
          agentName: agent?.name ?? '',
          portalUrl: `${base}/portal/${workspace.slug}/conversations/${conversation.id}`,
        };
        const context = { customerLocale: customer.locale };
        const subject = await renderCustomerTemplate(db, ws, 'reply_notification.subject', context, values);
        const body = await renderCustomerTemplate(db, ws, 'reply_notification.body', context, values);
        try {
          await mailer.send({
            to: email.value,
            subject: subject.text.replace(/[\r\n]+/g, ' '),
            html: body.text,
            text: htmlToText(body.text),
            messageId: mailer.messageIdFor(ctx.idempotencyKey),
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
        } catch (err) {
          if (!isPermanentMailFailure(err)) throw err;
          ctx.log.warn(
            { err, conversationId: conversation.id },
            'reply notice refused for good; not retried',
          );
        }
      },
    },
  };
}
