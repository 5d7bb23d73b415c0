import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reasonModelStatuses } from '../../../db/schema/understanding.js';
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
import { HELD_OUT_SHARE } from './measure.js';
import {
  findReasonModel,
  labelledExamples,
  listReasonModels,
  type ReasonModelSummary,
} from './reason-models.repo.js';
import { MIN_EXAMPLES } from './train.job.js';
import { requestTraining } from './training.service.js';

const tags = ['understanding'];

const rate = z.number().nullable();
const reliabilityRow = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number(),
  confidence: rate.describe('Mean confidence of the held-out predictions in this bin'),
  accuracy: rate.describe('Share of them that were right'),
});
const modelSchema = z
  .object({
    id: z.number(),
    status: z.enum(reasonModelStatuses),
    requestedById: z
      .number()
      .nullable()
      .describe('Who asked for it; null: Steward, when enough new labels came'),
    examples: z.number().describe('Labelled conversations it learned from'),
    heldOut: z
      .number()
      .describe(`How many of them were held out to measure it (${HELD_OUT_SHARE * 100} % of each reason)`),
    reasons: z.number(),
    accuracy: rate.describe('Held-out accuracy'),
    ece: rate.describe('Expected calibration error on the held-out share'),
    macroF1: rate,
    reliability: z
      .array(reliabilityRow)
      .describe('Confidence against accuracy on the held-out share, in 10 bins'),
    perReason: z.array(z.object({ reasonId: z.number(), support: z.number(), recall: z.number() })),
    selfLabelled: z
      .number()
      .describe(
        'Conversations nobody labelled that the model gave a reason itself and learned from too (self-training)',
      ),
    noneFits: z
      .object({ support: z.number(), recall: z.number() })
      .nullable()
      .describe(
        'Held-out conversations a person said no reason fits (`none_fits`), and the share of them the model found out of scope; null when there were none',
      ),
    note: z.string().nullable().describe('Why it was rejected or failed'),
    trainingMs: z.number().nullable(),
    createdAt: isoTime,
    finishedAt: optionalIsoTime,
  })
  .describe('ReasonModel');

const present = (r: ReasonModelSummary) => ({
  id: r.id,
  status: r.status,
  requestedById: r.requestedById,
  examples: r.examples,
  heldOut: r.heldOut,
  reasons: r.reasons,
  accuracy: r.accuracy,
  ece: r.ece,
  macroF1: r.metrics?.macroF1 ?? null,
  reliability: r.metrics?.reliability ?? [],
  perReason: r.metrics?.perReason ?? [],
  selfLabelled: r.metrics?.selfLabelled ?? 0,
  noneFits: r.metrics?.noneFits ?? null,
  note: r.note,
  trainingMs: r.trainingMs,
  createdAt: iso(r.createdAt)!,
  finishedAt: iso(r.finishedAt),
});

export function registerReasonModelRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/reason-models',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary:
          "The workspace's contact-reason models, newest first, and how many labels there are to learn from",
        response: {
          200: z.object({
            labelled: z
              .number()
              .describe(
                'Conversations whose reason an agent set or confirmed, or said none fits (`none_fits`)',
              ),
            minimum: z.number().describe('Labelled conversations needed before a model can be trained'),
            items: z.array(modelSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const [labelled, items] = await Promise.all([
        labelledExamples(deps.db, ws),
        listReasonModels(deps.db, ws, 20),
      ]);
      return { labelled: labelled.length, minimum: MIN_EXAMPLES, items: items.map(present) };
    },
  );

  r.get(
    '/reason-models/:id',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'One contact-reason model and what it measured',
        params: idParam,
        response: { 200: modelSchema, ...commonErrors },
      },
    },
    async (request) => {
      const found = await findReasonModel(deps.db, principalOf(request).workspaceId, request.params.id);
      return present(unwrap(found ? ok(found) : fail('REASON_MODEL_NOT_FOUND', 'Reason model not found')));
    },
  );

  r.post(
    '/reason-models/train',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary:
          'Train a new contact-reason model now, in the background (it replaces the active one once validated)',
        response: { 202: modelSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = await deps.db.transaction((tx) =>
        requestTraining(tx, p.workspaceId, p.personId, deps.clock.now()),
      );
      return reply.status(202).send(present(unwrap(created)));
    },
  );
}
