import type { Tx } from '../../db/index.js';
import type { SurveyAnswerSource } from '../../db/schema/surveys.js';
import {
  type Deps,
  enqueueJob,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { findConversation } from '../conversations/index.js';
import { tokenHash, tokenShape } from './link.js';
import { type Answers, readReplyAnswer, shouldReopen } from './rules.js';
import {
  findResponse,
  findSurveyByTokenHash,
  openSurveyOf,
  readSettings,
  type Survey,
  type SurveyResponse,
  updateSurvey,
  upsertResponse,
} from './surveys.repo.js';

/** "Not fixed" or a low score reopens the conversation through this job (surveys.jobs.ts runs it). */
export const SURVEY_REOPEN_JOB = 'survey.reopen';

const notFound = () => fail('SURVEY_NOT_FOUND', 'This survey link is unknown');

/** A survey the customer may answer now: sent (or reminded, or answered and being completed), not expired. */
function answerable(survey: Survey | undefined, now: Date): Result<Survey> {
  if (!survey || !['sent', 'reminded', 'answered', 'expired'].includes(survey.status)) return notFound();
  if (survey.status === 'expired' || (survey.expiresAt && survey.expiresAt <= now))
    return fail('SURVEY_CLOSED', 'This survey has closed');
  return ok(survey);
}

/** The survey behind a link, for its page: what it asks and what was answered so far. */
export async function openSurvey(
  deps: Deps,
  token: string,
): Promise<Result<{ survey: Survey; response: SurveyResponse | undefined }>> {
  if (!tokenShape.test(token)) return notFound();
  const survey = answerable(await findSurveyByTokenHash(deps.db, tokenHash(token)), deps.clock.now());
  if (!survey.ok) return survey;
  return ok({
    survey: survey.value,
    response: await findResponse(deps.db, survey.value.workspaceId, survey.value.id),
  });
}

/**
 * Records answers given through the link (or read from a reply). Later answers complete or change earlier
 * ones. "Not fixed" or a low CSAT (as the workspace configured) reopens the conversation once per survey —
 * the `survey.reopen` job, written here — and tells its assignee through the answer's event.
 */
export async function answerSurvey(
  deps: Deps,
  token: string,
  answers: Answers,
  source: SurveyAnswerSource,
): Promise<Result<{ survey: Survey; response: SurveyResponse; reopened: boolean }>> {
  if (!tokenShape.test(token)) return notFound();
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const found = answerable(await findSurveyByTokenHash(tx, tokenHash(token), true), now);
    if (!found.ok) return found;
    return recordAnswers(tx, now, found.value, answers, source);
  });
}

/**
 * A customer's reply to the check-in (e-mail, chat, SMS…) that is only an answer — "yes", "not fixed", a
 * lone 1-5 — answers the conversation's open survey (sent, reminded or answered, not expired). Anything else is a
 * message for the agent and answers nothing. The reply itself reopened the conversation, like any reply.
 */
export async function answerFromReply(
  tx: Tx,
  now: Date,
  workspaceId: number,
  conversationId: number,
  text: string,
  source: SurveyAnswerSource,
): Promise<boolean> {
  const answers = readReplyAnswer(text);
  if (!answers) return false;
  const survey = await openSurveyOf(tx, workspaceId, conversationId, now);
  if (!survey) return false;
  if (answers.csat !== undefined && !survey.questions.csat) return false;
  return (await recordAnswers(tx, now, survey, answers, source)).ok;
}

async function recordAnswers(
  tx: Tx,
  now: Date,
  survey: Survey,
  answers: Answers,
  source: SurveyAnswerSource,
): Promise<Result<{ survey: Survey; response: SurveyResponse; reopened: boolean }>> {
  const ws = survey.workspaceId;
  for (const q of ['csat', 'ces', 'nps', 'comment'] as const)
    if (answers[q] !== undefined && answers[q] !== null && !survey.questions[q])
      return fail('VALIDATION_FAILED', `This survey does not ask for ${q}`, { question: q });
  const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(given).length === 0) return fail('VALIDATION_FAILED', 'Answer at least one question');
  const before = await findResponse(tx, ws, survey.id);
  const response: SurveyResponse = {
    workspaceId: ws,
    surveyId: survey.id,
    conversationId: survey.conversationId,
    customerId: survey.customerId,
    agentId: survey.agentId,
    teamId: survey.teamId,
    channel: survey.channel,
    fixed: before?.fixed ?? null,
    csat: before?.csat ?? null,
    ces: before?.ces ?? null,
    nps: before?.nps ?? null,
    comment: before?.comment ?? null,
    source: before?.source ?? source,
    answeredAt: before?.answeredAt ?? now,
    updatedAt: now,
    ...given,
  };
  await upsertResponse(tx, response);
  const settings = await readSettings(tx, ws);
  const reopen = !survey.reopenedAt && shouldReopen(settings, response);
  const after = await updateSurvey(tx, ws, survey.id, {
    status: 'answered',
    answeredAt: survey.answeredAt ?? now,
    ...(reopen ? { reopenedAt: now } : {}),
    updatedAt: now,
  });
  const conversation = await findConversation(tx, ws, survey.conversationId);
  const assignee = conversation?.assigneeId ?? null;
  await recordEvent(tx, {
    workspaceId: ws,
    type: 'survey.answered',
    entityType: 'conversation',
    entityId: survey.conversationId,
    actor: { type: 'customer', id: survey.customerId },
    data: {
      surveyId: survey.id,
      source,
      fixed: response.fixed,
      csat: response.csat,
      ces: response.ces,
      nps: response.nps,
      reopen,
      ...(reopen && assignee !== null
        ? {
            notifyPersonIds: [assignee],
            notifyKind: 'survey_not_fixed',
            notifyTitle: `${response.fixed === false ? 'Not fixed' : `CSAT ${response.csat}`}: #${survey.conversationId} ${conversation?.subject.slice(0, 80) ?? ''}`,
          }
        : {}),
    },
    at: now,
  });
  if (reopen)
    await enqueueJob(
      tx,
      {
        workspaceId: ws,
        type: SURVEY_REOPEN_JOB,
        payload: { surveyId: survey.id },
        runAt: now,
        dedupeKey: `survey-reopen:${survey.id}`,
      },
      now,
    );
  return ok({ survey: after, response, reopened: reopen });
}
