import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reasonModelStatuses, sentimentLabels } from '../../../db/schema/understanding.js';
import {
  commonErrors,
  type Deps,
  fail,
  idParam,
  iso,
  isoTime,
  ok,
  optionalIsoTime,
  principalOf,
  unwrap,
} from '../../../platform/index.js';
import { SENTIMENT_HELD_OUT_SHARE } from './measure-sentiment.js';
import {
  correctionsSince,
  findSentimentModel,
  listSentimentModels,
  type SentimentModelSummary,
} from './sentiment-models.repo.js';
import { MIN_CORRECTIONS } from './sentiment-train.job.js';
import { requestSentimentTraining, SENTIMENT_RETRAIN_AFTER } from './sentiment-training.service.js';

const tags = ['understanding'];
const rate = z.number().nullable();

const modelSchema = z
  .object({
    id: z.number(),
    status: z.enum(reasonModelStatuses),
    requestedById: z
      .number()
      .nullable()
      .describe(`Who asked for it; null: Steward, after ${SENTIMENT_RETRAIN_AFTER} new corrections`),
    examples: z.number().describe('Corrected customer messages it learned from'),
    heldOut: z
      .number()
      .describe(`How many were held out to measure it (${SENTIMENT_HELD_OUT_SHARE * 100} % of each label)`),
    accuracy: rate.describe('Held-out accuracy'),
    lexiconAccuracy: rate.describe("The lexicon's accuracy on the same held-out messages: what it must beat"),
    ece: rate.describe('Expected calibration error on the held-out share'),
    macroF1: rate,
    perLabel: z.array(z.object({ label: z.enum(sentimentLabels), support: z.number(), recall: z.number() })),
    note: z.string().nullable().describe('Why it was rejected or failed'),
    trainingMs: z.number().nullable(),
    createdAt: isoTime,
    finishedAt: optionalIsoTime,
  })
  .describe('SentimentModel');

const present = (r: SentimentModelSummary) => ({
  id: r.id,
  status: r.status,
  requestedById: r.requestedById,
  examples: r.examples,
  heldOut: r.heldOut,
  accuracy: r.accuracy,
  lexiconAccuracy: r.lexiconAccuracy,
  ece: r.ece,
  macroF1: r.metrics?.macroF1 ?? null,
  perLabel: (r.metrics?.perLabel ?? []) as Array<{
    label: (typeof sentimentLabels)[number];
    support: number;
    recall: number;
  }>,
  note: r.note,
  trainingMs: r.trainingMs,
  createdAt: iso(r.createdAt)!,
  finishedAt: iso(r.finishedAt),
});

export function registerSentimentModelRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/sentiment-models',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary:
          "The workspace's sentiment models, newest first, and how many corrections there are to learn from",
        response: {
          200: z.object({
            corrections: z.number().describe('Customer messages whose sentiment an agent corrected'),
            minimum: z.number().describe('Corrections needed before a model can be trained'),
            items: z.array(modelSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const [corrections, items] = await Promise.all([
        correctionsSince(deps.db, ws, null),
        listSentimentModels(deps.db, ws, 20),
      ]);
      return { corrections, minimum: MIN_CORRECTIONS, items: items.map(present) };
    },
  );

  r.get(
    '/sentiment-models/:id',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'One sentiment model and what it measured',
        params: idParam,
        response: { 200: modelSchema, ...commonErrors },
      },
    },
    async (request) => {
      const found = await findSentimentModel(deps.db, principalOf(request).workspaceId, request.params.id);
      return present(
        unwrap(found ? ok(found) : fail('SENTIMENT_MODEL_NOT_FOUND', 'Sentiment model not found')),
      );
    },
  );

  r.post(
    '/sentiment-models/train',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary:
          'Train a new sentiment model from the corrections now, in the background (it labels new messages once it beats the lexicon)',
        response: { 202: modelSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = await deps.db.transaction((tx) =>
        requestSentimentTraining(tx, p.workspaceId, p.personId, deps.clock.now()),
      );
      return reply.status(202).send(present(unwrap(created)));
    },
  );
}
