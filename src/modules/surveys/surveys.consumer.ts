import type { Tx } from '../../db/index.js';
import { surveyAnswerSources } from '../../db/schema/surveys.js';
import {
  cancelJob,
  type EventConsumer,
  enqueueJob,
  recordEvent,
  type StoredEvent,
  systemActor,
} from '../../platform/index.js';
import { findConversation, findMessage } from '../conversations/index.js';
import { findCustomer } from '../customers/index.js';
import { answerFromReply } from './answer.service.js';
import { checkInTime, fatigueSince, questionsFor } from './rules.js';
import {
  insertSurvey,
  moveSurveysToCustomer,
  readSettings,
  recentSurveyOf,
  scheduledSurveys,
  updateSurvey,
} from './surveys.repo.js';

export const SURVEYS_CONSUMER = 'surveys';
export const SURVEY_SEND_JOB = 'survey.send';
export const sendKey = (surveyId: number) => `survey-send:${surveyId}`;

/**
 * A solved conversation gets its follow-up: a survey row and the `survey.send` job at solved + delay (a
 * durable job at that time, never a scan). The fatigue guard is applied here (and again when it is sent).
 * Reopened, merged or closed before the check-in went out: the survey is skipped and its job cancelled.
 * A conversation that changes customer (a customer merge or split) takes its surveys and answers along.
 */
export const surveysConsumer: EventConsumer = {
  types: [
    'conversation.solved',
    'conversation.reopened',
    'conversation.merged',
    'conversation.customer_changed',
    'message.received',
  ],
  async handle(tx, event, ctx) {
    const now = ctx.clock.now();
    if (event.type === 'conversation.solved') return schedule(tx, event, now);
    if (event.type === 'message.received') return readReply(tx, event, now);
    if (event.type === 'conversation.customer_changed') {
      const customerId = (event.data as { after?: { customerId?: unknown } }).after?.customerId;
      if (typeof customerId === 'number')
        await moveSurveysToCustomer(tx, event.workspaceId, event.entityId, customerId);
      return;
    }
    const reason = event.type === 'conversation.reopened' ? 'reopened' : 'merged';
    for (const survey of await scheduledSurveys(tx, event.workspaceId, event.entityId)) {
      await updateSurvey(tx, event.workspaceId, survey.id, {
        status: 'skipped',
        skipReason: reason,
        updatedAt: now,
      });
      await cancelJob(tx, event.workspaceId, sendKey(survey.id), now);
    }
  },
};

/** A customer's reply on a conversation with an open survey may be an answer to it ("yes", "not fixed", "4"). */
async function readReply(tx: Tx, event: StoredEvent, now: Date) {
  const data = event.data as { messageId?: unknown; channel?: unknown };
  const source = surveyAnswerSources.find((x) => x !== 'link' && x === data.channel);
  if (!source || typeof data.messageId !== 'number') return;
  const message = await findMessage(tx, event.workspaceId, data.messageId);
  if (!message) return;
  await answerFromReply(tx, now, event.workspaceId, event.entityId, message.bodyText, source);
}

async function schedule(tx: Tx, event: StoredEvent, now: Date) {
  const ws = event.workspaceId;
  const settings = await readSettings(tx, ws);
  if (!settings.enabled) return;
  const conversation = await findConversation(tx, ws, event.entityId);
  // Only the solve the conversation is in now: one reopened (and perhaps solved again) since has moved on.
  if (conversation?.status !== 'solved' || conversation.solvedAt?.getTime() !== event.createdAt.getTime())
    return;
  const solvedAt = conversation.solvedAt;
  const customer = await findCustomer(tx, ws, conversation.customerId);
  const dueAt = checkInTime(solvedAt, settings);
  const skipReason = conversation.mergedIntoId
    ? 'merged'
    : conversation.tags.includes('spam')
      ? 'spam'
      : (await recentSurveyOf(tx, ws, conversation.customerId, fatigueSince(dueAt, settings)))
        ? 'fatigue'
        : null;
  const survey = await insertSurvey(tx, {
    workspaceId: ws,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    agentId: conversation.assigneeId,
    teamId: conversation.teamId,
    channel: conversation.channel,
    questions: questionsFor(settings, conversation.channel, customer?.tier ?? null),
    status: skipReason ? 'skipped' : 'scheduled',
    skipReason,
    solvedAt,
    dueAt,
    createdAt: now,
    updatedAt: now,
  });
  await recordEvent(tx, {
    workspaceId: ws,
    type: skipReason ? 'survey.skipped' : 'survey.scheduled',
    entityType: 'conversation',
    entityId: conversation.id,
    actor: systemActor,
    data: { surveyId: survey.id, dueAt: dueAt.toISOString(), ...(skipReason ? { reason: skipReason } : {}) },
    at: now,
  });
  if (skipReason) return;
  await enqueueJob(
    tx,
    {
      workspaceId: ws,
      type: SURVEY_SEND_JOB,
      payload: { surveyId: survey.id },
      runAt: dueAt,
      dedupeKey: sendKey(survey.id),
    },
    now,
  );
}
