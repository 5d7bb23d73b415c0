import sanitizeHtml from 'sanitize-html';
import type { SurveySkipReason } from '../../db/schema/surveys.js';
import {
  type Deps,
  enqueueJob,
  inTransaction,
  type JobContext,
  type JobHandler,
  type JobRow,
  ok,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import { addMessage, changeConversation, findConversation } from '../conversations/index.js';
import { findCustomer } from '../customers/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { SURVEY_REOPEN_JOB } from './answer.service.js';
import { newNonce, surveyToken, surveyUrl, tokenHash } from './link.js';
import { expiryTime, fatigueSince, reminderTime, surveyChannels } from './rules.js';
import { SURVEY_SEND_JOB } from './surveys.consumer.js';
import {
  findSurvey,
  isOpen,
  lockSurvey,
  readSettings,
  recentSurveyOf,
  type Survey,
  updateSurvey,
} from './surveys.repo.js';

export const SURVEY_REMIND_JOB = 'survey.remind';
export const SURVEY_EXPIRE_JOB = 'survey.expire';

/** Links keep their text and show their address, for channels that carry plain text (chat, SMS). */
export function plainText(html: string): string {
  const linked = html.replace(
    /<a [^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/gi,
    (_m, href: string, label: string) => (label === href ? href : `${label}: ${href}`),
  );
  return sanitizeHtml(linked.replace(/<\/(p|div|li)>|<br\s*\/?>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The survey's status changed under us between the check and the message's transaction: do nothing. */
class StaleSurvey extends Error {}

async function skip(deps: Deps, survey: Survey, reason: SurveySkipReason, now: Date) {
  await inTransaction(deps.db, async (tx) => {
    const locked = await lockSurvey(tx, survey.workspaceId, survey.id);
    if (locked?.status !== 'scheduled') return ok(null);
    await updateSurvey(tx, survey.workspaceId, survey.id, {
      status: 'skipped',
      skipReason: reason,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId: survey.workspaceId,
      type: 'survey.skipped',
      entityType: 'conversation',
      entityId: survey.conversationId,
      actor: systemActor,
      data: { surveyId: survey.id, reason },
      at: now,
    });
    return ok(null);
  });
}

/** Why a check-in due now must not go out, if it must not. */
async function reasonToSkip(deps: Deps, survey: Survey, now: Date): Promise<SurveySkipReason | null> {
  const ws = survey.workspaceId;
  const settings = await readSettings(deps.db, ws);
  if (!settings.enabled) return 'disabled';
  const conversation = await findConversation(deps.db, ws, survey.conversationId);
  if (!conversation || conversation.mergedIntoId) return 'merged';
  if (conversation.status === 'closed') return 'closed';
  if (conversation.status !== 'solved' || conversation.solvedAt?.getTime() !== survey.solvedAt.getTime())
    return 'reopened';
  if (conversation.tags.includes('spam')) return 'spam';
  if (!surveyChannels.includes(conversation.channel)) return 'channel_unsupported';
  if (!deps.settings.publicUrl) return 'no_public_url';
  if (await recentSurveyOf(deps.db, ws, survey.customerId, fatigueSince(now, settings), survey.id))
    return 'fatigue';
  return null;
}

/**
 * The check-in (or the one reminder) as an outbound message of the conversation, on its channel: the
 * channel's module carries it to the customer as it does any reply (e-mail through `email.send`, threaded
 * into the conversation; chat through the visitor's socket; SMS and social through their bridge). The
 * survey's state changes in the message's own transaction, so a retried job never sends twice.
 */
async function send(deps: Deps, job: JobRow, ctx: JobContext, kind: 'check_in' | 'reminder') {
  const ws = job.workspaceId;
  const survey = await findSurvey(deps.db, ws, Number(job.payload.surveyId));
  const expected = kind === 'check_in' ? 'scheduled' : 'sent';
  if (survey?.status !== expected) return; // answered, skipped, reminded already: never more
  const now = ctx.clock.now();
  if (kind === 'check_in') {
    const reason = await reasonToSkip(deps, survey, now);
    if (reason) return skip(deps, survey, reason, now);
  }
  const conversation = await findConversation(deps.db, ws, survey.conversationId);
  // A reminder only while the conversation is still solved: a customer who wrote back has answered in words.
  if (conversation?.status !== 'solved' || !deps.settings.publicUrl) return;
  const secretKey = deps.settings.secretKey;
  if (!secretKey) throw new Error('No instance secret key (STEWARD_SECRET_KEY) to sign survey links with');
  const settings = await readSettings(deps.db, ws);
  const nonce = survey.tokenNonce ?? newNonce();
  const token = surveyToken(secretKey, ws, survey.id, nonce);
  const customer = await findCustomer(deps.db, ws, survey.customerId);
  const rendered = await renderCustomerTemplate(
    deps.db,
    ws,
    kind === 'check_in' ? 'follow_up.body' : 'follow_up_reminder.body',
    { customerLocale: customer?.locale },
    {
      customerName: customer?.name ?? '',
      subject: conversation.subject,
      reference: String(conversation.id),
      surveyUrl: surveyUrl(deps.settings.publicUrl, token),
    },
  );
  try {
    const added = await addMessage(
      deps,
      ws,
      conversation.id,
      { actor: systemActor, personId: 0, canReassign: false },
      {
        direction: 'outbound',
        body: plainText(rendered.text),
        html: rendered.text,
        within: async (tx, message) => {
          const locked = await lockSurvey(tx, ws, survey.id);
          if (locked?.status !== expected) throw new StaleSurvey();
          if (kind === 'check_in') {
            await updateSurvey(tx, ws, survey.id, {
              status: 'sent',
              sentAt: now,
              expiresAt: expiryTime(now, settings),
              tokenNonce: nonce,
              tokenHash: tokenHash(token),
              updatedAt: now,
            });
            const remindAt = reminderTime(now, settings);
            if (remindAt && remindAt < expiryTime(now, settings))
              await enqueueJob(
                tx,
                {
                  workspaceId: ws,
                  type: SURVEY_REMIND_JOB,
                  payload: { surveyId: survey.id },
                  runAt: remindAt,
                  dedupeKey: `survey-remind:${survey.id}`,
                },
                now,
              );
            await enqueueJob(
              tx,
              {
                workspaceId: ws,
                type: SURVEY_EXPIRE_JOB,
                payload: { surveyId: survey.id },
                runAt: expiryTime(now, settings),
                dedupeKey: `survey-expire:${survey.id}`,
              },
              now,
            );
          } else {
            await updateSurvey(tx, ws, survey.id, { status: 'reminded', remindedAt: now, updatedAt: now });
          }
          await recordEvent(tx, {
            workspaceId: ws,
            type: kind === 'check_in' ? 'survey.sent' : 'survey.reminded',
            entityType: 'conversation',
            entityId: conversation.id,
            actor: systemActor,
            data: { surveyId: survey.id, messageId: message.id, channel: conversation.channel },
            at: now,
          });
        },
      },
    );
    if (!added.ok && kind === 'check_in' && added.code === 'CONVERSATION_CLOSED')
      await skip(deps, survey, 'closed', now);
  } catch (err) {
    if (!(err instanceof StaleSurvey)) throw err;
  }
}

export function surveyJobHandlers(deps: Deps): Record<string, JobHandler> {
  return {
    [SURVEY_SEND_JOB]: { kind: 'external', run: (job, ctx) => send(deps, job, ctx, 'check_in') },
    [SURVEY_REMIND_JOB]: { kind: 'external', run: (job, ctx) => send(deps, job, ctx, 'reminder') },
    [SURVEY_EXPIRE_JOB]: {
      kind: 'db',
      async run(tx, job, ctx) {
        const survey = await lockSurvey(tx, job.workspaceId, Number(job.payload.surveyId));
        const now = ctx.clock.now();
        if (!survey || !isOpen(survey) || !survey.expiresAt || survey.expiresAt > now) return;
        await updateSurvey(tx, job.workspaceId, survey.id, { status: 'expired', updatedAt: now });
      },
    },
    [SURVEY_REOPEN_JOB]: {
      kind: 'external',
      // "Not fixed" or a low score: back to open, in front of its assignee (who was notified by the answer's
      // event). Idempotent: a conversation no longer solved is left as it is; a closed one cannot reopen.
      async run(job) {
        const survey = await findSurvey(deps.db, job.workspaceId, Number(job.payload.surveyId));
        if (!survey) return;
        const conversation = await findConversation(deps.db, job.workspaceId, survey.conversationId);
        if (conversation?.status !== 'solved') return;
        await changeConversation(
          deps,
          job.workspaceId,
          conversation.id,
          { actor: { type: 'customer', id: survey.customerId }, personId: 0, canReassign: false },
          { status: 'open' },
        );
      },
    },
  };
}
