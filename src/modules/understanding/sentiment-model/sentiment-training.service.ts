import type { Tx } from '../../../db/index.js';
import { type Actor, fail, ok, type Result, recordEvent, systemActor } from '../../../platform/index.js';
import {
  correctionsSince,
  insertSentimentModel,
  listSentimentModels,
  type SentimentModelSummary,
} from './sentiment-models.repo.js';
import { enqueueSentimentTraining } from './sentiment-train.job.js';

/** New corrections after which Steward trains the next sentiment model by itself. */
export const SENTIMENT_RETRAIN_AFTER = 30;

/** Asks for the workspace's next sentiment model: one at a time (`TRAINING_RUNNING` while one is trained). */
export async function requestSentimentTraining(
  tx: Tx,
  workspaceId: number,
  requestedById: number | null,
  now: Date,
): Promise<Result<SentimentModelSummary>> {
  const actor: Actor = requestedById === null ? systemActor : { type: 'person', id: requestedById };
  const running = (await listSentimentModels(tx, workspaceId, 5)).find((m) => m.status === 'training');
  if (running) return fail('TRAINING_RUNNING', 'A model is being trained already', { modelId: running.id });
  const model = await insertSentimentModel(tx, {
    workspaceId,
    status: 'training',
    requestedById,
    createdAt: now,
  });
  await enqueueSentimentTraining(tx, workspaceId, model.id, now);
  await recordEvent(tx, {
    workspaceId,
    type: 'sentiment_model.requested',
    entityType: 'sentiment_model',
    entityId: model.id,
    actor,
    data: {},
    at: now,
  });
  return ok(model);
}

/**
 * After an agent's correction: when SENTIMENT_RETRAIN_AFTER corrections came since the last model was asked
 * for (or since the start), Steward asks for the next one itself; while one is trained nothing more is asked.
 */
export async function retrainOnCorrections(tx: Tx, workspaceId: number, now: Date): Promise<void> {
  const [latest] = await listSentimentModels(tx, workspaceId, 1);
  if (latest?.status === 'training') return;
  const fresh = await correctionsSince(tx, workspaceId, latest?.createdAt ?? null);
  if (fresh >= SENTIMENT_RETRAIN_AFTER) await requestSentimentTraining(tx, workspaceId, null, now);
}
