import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channels } from '../../db/schema/conversations.js';
import { surveySkipReasons, surveyStatuses } from '../../db/schema/surveys.js';
import {
  commonErrors,
  type Deps,
  idParam,
  iso,
  isoDateTime,
  isoTime,
  optionalIsoTime,
  principalOf,
  recordEvent,
  reportPeriod,
} from '../../platform/index.js';
import { requireConversation } from '../conversations/index.js';
import { figureGroups, surveyFigures } from './figures.repo.js';
import { listConversationSurveys, readSettings, writeSettings } from './surveys.repo.js';

const tags = ['surveys'];
const questions = z.strictObject({
  csat: z.boolean(),
  ces: z.boolean(),
  nps: z.boolean(),
  comment: z.boolean(),
});
const partialQuestions = questions.partial();
const override = z.strictObject({
  channel: z.enum(channels).optional(),
  tier: z.string().trim().min(1).max(50).optional(),
  questions: partialQuestions,
});
const settingsFields = {
  enabled: z.boolean(),
  delayMinutes: z
    .number()
    .int()
    .min(1)
    .max(525_600)
    .describe('Minutes after solving that the check-in goes out'),
  reminderMinutes: z
    .number()
    .int()
    .min(1)
    .max(525_600)
    .nullable()
    .describe('Minutes after the check-in that the one reminder goes out; null: none'),
  expireMinutes: z
    .number()
    .int()
    .min(60)
    .max(525_600)
    .describe('How long after the check-in answers are taken'),
  fatigueDays: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .describe('A customer is surveyed at most once in this many days'),
  questions,
  overrides: z.array(override).max(50).describe('Questions per channel and/or tier; later entries win'),
  reopenOnNotFixed: z.boolean(),
  reopenAtOrBelowCsat: z.number().int().min(1).max(5).nullable().describe('null: no CSAT reopens'),
};
const settingsSchema = z.object(settingsFields).describe('FollowUpSettings');

const surveySchema = z
  .object({
    id: z.number(),
    conversationId: z.number(),
    customerId: z.number(),
    agentId: z.number().nullable(),
    teamId: z.number().nullable(),
    channel: z.string(),
    questions,
    status: z.enum(surveyStatuses),
    skipReason: z.enum(surveySkipReasons).nullable(),
    solvedAt: isoTime,
    dueAt: isoTime,
    sentAt: optionalIsoTime,
    remindedAt: optionalIsoTime,
    expiresAt: optionalIsoTime,
    answeredAt: optionalIsoTime,
    reopenedAt: optionalIsoTime,
    response: z
      .object({
        fixed: z.boolean().nullable(),
        csat: z.number().nullable(),
        ces: z.number().nullable(),
        nps: z.number().nullable(),
        comment: z.string().nullable(),
        source: z.string(),
        answeredAt: isoTime,
        updatedAt: isoTime,
      })
      .nullable(),
  })
  .describe('Survey');

const period = z.strictObject({
  from: isoDateTime.optional().describe('Start (inclusive); default 30 days before `to`'),
  to: isoDateTime.optional().describe('End (exclusive); default now'),
  by: z.enum(figureGroups).optional().describe('Also give the figure per agent, team or channel'),
});

const definitions = {
  csat: 'CSAT: share of 4 and 5 among the 1-5 answers, in percent',
  ces: 'CES: mean of the 1-7 answers to "how easy was it to get your issue resolved?"',
  nps: 'NPS: % promoters (9-10) minus % detractors (0-6) among the 0-10 answers',
} as const;

const figure = z.object({
  key: z
    .union([z.number(), z.string(), z.null()])
    .describe('The agent or team id, or the channel; null: none'),
  count: z.number().describe('Answers to this question'),
  value: z.number().nullable().describe('The figure; null when nobody answered'),
  satisfied: z.number().optional(),
  promoters: z.number().optional(),
  detractors: z.number().optional(),
});
const figureResponse = z.object({
  metric: z.enum(['csat', 'ces', 'nps']),
  definition: z.string(),
  from: isoTime,
  to: isoTime,
  overall: figure,
  groups: z.array(figure),
});

export function registerSurveyRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/survey-settings',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: 'The follow-up after resolution: when, which questions, what reopens',
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => readSettings(deps.db, principalOf(request).workspaceId),
  );

  r.patch(
    '/survey-settings',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change the follow-up settings (the fields given)',
        body: z.strictObject(settingsFields).partial(),
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const now = deps.clock.now();
      return deps.db.transaction(async (tx) => {
        const next = { ...(await readSettings(tx, p.workspaceId)), ...request.body };
        await writeSettings(tx, p.workspaceId, next, now);
        await recordEvent(tx, {
          workspaceId: p.workspaceId,
          type: 'survey_settings.changed',
          entityType: 'workspace',
          entityId: p.workspaceId,
          actor: { type: 'person', id: p.personId },
          data: { after: request.body },
          at: now,
        });
        return next;
      });
    },
  );

  r.get(
    '/conversations/:id/surveys',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "A conversation's follow-up surveys and their answers, newest first",
        params: idParam,
        response: { 200: z.object({ items: z.array(surveySchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      await requireConversation(deps.db, ws, request.params.id);
      const rows = await listConversationSurveys(deps.db, ws, request.params.id);
      return {
        items: rows.map(({ survey: s, response: a }) => ({
          id: s.id,
          conversationId: s.conversationId,
          customerId: s.customerId,
          agentId: s.agentId,
          teamId: s.teamId,
          channel: s.channel,
          questions: s.questions,
          status: s.status,
          skipReason: s.skipReason,
          solvedAt: iso(s.solvedAt)!,
          dueAt: iso(s.dueAt)!,
          sentAt: iso(s.sentAt),
          remindedAt: iso(s.remindedAt),
          expiresAt: iso(s.expiresAt),
          answeredAt: iso(s.answeredAt),
          reopenedAt: iso(s.reopenedAt),
          response: a
            ? {
                fixed: a.fixed,
                csat: a.csat,
                ces: a.ces,
                nps: a.nps,
                comment: a.comment,
                source: a.source,
                answeredAt: iso(a.answeredAt)!,
                updatedAt: iso(a.updatedAt)!,
              }
            : null,
        })),
      };
    },
  );

  for (const metric of ['csat', 'ces', 'nps'] as const) {
    r.get(
      `/survey-figures/${metric}`,
      {
        config: { action: 'analytics.read' },
        schema: {
          tags,
          summary: `${definitions[metric]}; for a period, overall and by agent, team or channel`,
          querystring: period,
          response: { 200: figureResponse, ...commonErrors },
        },
      },
      async (request) => {
        const ws = principalOf(request).workspaceId;
        const { from, to } = reportPeriod(request.query, deps.clock.now());
        const pick = (row: Awaited<ReturnType<typeof surveyFigures>>[number]) =>
          metric === 'csat'
            ? { key: row.key, count: row.csatCount, value: row.csat, satisfied: row.csatSatisfied }
            : metric === 'ces'
              ? { key: row.key, count: row.cesCount, value: row.ces }
              : {
                  key: row.key,
                  count: row.npsCount,
                  value: row.nps,
                  promoters: row.promoters,
                  detractors: row.detractors,
                };
        const [overall] = await surveyFigures(deps.db, ws, from, to);
        const groups = request.query.by ? await surveyFigures(deps.db, ws, from, to, request.query.by) : [];
        return {
          metric,
          definition: definitions[metric],
          from: from.toISOString(),
          to: to.toISOString(),
          overall: pick(overall!),
          groups: groups.map(pick).filter((g) => g.count > 0),
        };
      },
    );
  }
}
