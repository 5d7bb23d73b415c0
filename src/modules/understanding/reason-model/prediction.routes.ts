import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  idParam,
  iso,
  isoTime,
  principalOf,
  recordEvent,
} from '../../../platform/index.js';
import { requireConversation } from '../../conversations/index.js';
import { suggestFromNames } from './name-suggestions.js';
import { activeModelId, findPrediction, readLearning, writeApplyAbove } from './reason-models.repo.js';

const tags = ['understanding'];
const settingsSchema = z.object({
  applyAbove: z
    .number()
    .min(0.5)
    .max(1)
    .describe(
      'At or above this calibrated confidence the model sets the reason itself (1: never); below it suggests the top three',
    ),
});

export function registerPredictionRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/conversations/:id/reason-prediction',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          "What the reason model predicted from the customer's first message (null: nothing yet); with no model yet, the reasons whose names match it",
        params: idParam,
        response: {
          200: z.object({
            prediction: z
              .object({
                modelId: z.number(),
                ranked: z
                  .array(z.object({ reasonId: z.number(), probability: z.number() }))
                  .describe('The top three reasons by calibrated probability'),
                confidence: z.number(),
                outOfScope: z.boolean().describe('"None of these": the text fits no known reason well'),
                applied: z.boolean().describe('The model set the top reason itself'),
                createdAt: isoTime,
              })
              .nullable(),
            nameMatches: z
              .array(z.object({ reasonId: z.number(), score: z.number() }))
              .describe(
                "With no active model (no labels yet): up to three reasons whose name and description share most with the customer's first message, best first; a similarity in [0, 1], not a probability. Suggestions only, never applied. Empty once a model is active, or when the conversation has a reason.",
              ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const conversation = await requireConversation(deps.db, ws, request.params.id);
      const p = await findPrediction(deps.db, ws, request.params.id);
      const nameMatches =
        p || (await activeModelId(deps.db, ws)) !== undefined
          ? []
          : await suggestFromNames(deps.db, conversation);
      return {
        nameMatches,
        prediction: p
          ? {
              modelId: p.modelId,
              ranked: p.ranked,
              confidence: p.confidence,
              outOfScope: p.outOfScope,
              applied: p.applied,
              createdAt: iso(p.createdAt)!,
            }
          : null,
      };
    },
  );

  r.get(
    '/reason-prediction-settings',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'When the reason model sets a reason itself',
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => readLearning(deps.db, principalOf(request).workspaceId),
  );

  r.put(
    '/reason-prediction-settings',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Change when the reason model sets a reason itself',
        body: settingsSchema.strict(),
        response: { 200: settingsSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        await writeApplyAbove(tx, p.workspaceId, request.body.applyAbove, now);
        await recordEvent(tx, {
          workspaceId: p.workspaceId,
          type: 'reason_prediction_settings.changed',
          entityType: 'workspace',
          entityId: p.workspaceId,
          actor: { type: 'person', id: p.personId },
          data: { after: request.body },
          at: now,
        });
        return readLearning(tx, p.workspaceId);
      });
    },
  );
}
