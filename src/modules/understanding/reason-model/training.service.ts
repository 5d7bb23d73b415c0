import type { Tx } from '../../../db/index.js';
import { type Actor, fail, ok, type Result, recordEvent, systemActor } from '../../../platform/index.js';
import {
  insertReasonModel,
  listReasonModels,
  type ReasonModelSummary,
  resetLabelCount,
} from './reason-models.repo.js';
import { enqueueTraining } from './train.job.js';

/**
 * Asks for the workspace's next contact-reason model: a `training` row and its background job, one at a time
 * (`TRAINING_RUNNING` while another is being trained). The count of new labels starts again.
 */
export async function requestTraining(
  tx: Tx,
  workspaceId: number,
  /** The person who asked; null: Steward itself, when enough new labels came. */
  requestedById: number | null,
  now: Date,
): Promise<Result<ReasonModelSummary>> {
  const actor: Actor = requestedById === null ? systemActor : { type: 'person', id: requestedById };
  const running = (await listReasonModels(tx, workspaceId, 5)).find((m) => m.status === 'training');
  if (running) return fail('TRAINING_RUNNING', 'A model is being trained already', { modelId: running.id });
  const model = await insertReasonModel(tx, {
    workspaceId,
    status: 'training',
    requestedById,
    createdAt: now,
  });
  await enqueueTraining(tx, workspaceId, model.id, now);
  await resetLabelCount(tx, workspaceId, now);
  await recordEvent(tx, {
    workspaceId,
    type: 'reason_model.requested',
    entityType: 'reason_model',
    entityId: model.id,
    actor,
    data: {},
    at: now,
  });
  return ok(model);
}
