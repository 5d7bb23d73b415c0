import type { Tx } from '../../../db/index.js';
import { systemActor } from '../../../platform/index.js';
import { setContactReasonIn } from '../../conversations/index.js';
import { predict } from '../classifier/classifier.js';
import { type ClassifierModel, deserializeModel, type SerializedModel } from '../classifier/model.js';
import {
  activeModelId,
  insertPrediction,
  markApplied,
  readLearning,
  storedModel,
} from './reason-models.repo.js';

/** Loaded models by workspace: read from the database once per model, not per message. */
const loaded = new Map<number, { id: number; model: ClassifierModel }>();

async function activeModel(tx: Tx, workspaceId: number) {
  const id = await activeModelId(tx, workspaceId);
  if (id === undefined) return null;
  const hit = loaded.get(workspaceId);
  if (hit?.id === id) return hit;
  const stored = await storedModel(tx, workspaceId, id);
  if (!stored) return null;
  const entry = { id, model: deserializeModel(stored as SerializedModel) };
  loaded.set(workspaceId, entry);
  return entry;
}

/**
 * Predicts the reason of a new inbound conversation from the customer's first message with the workspace's
 * active model, once: the top three with their calibrated probabilities are kept as suggestions; when the
 * model is sure enough (at or above the workspace's `applyAbove`) and the text is not out of scope, it sets
 * the reason itself, marked as the model's (`source: 'model'`), which an agent corrects like any other.
 * No model yet: nothing is predicted.
 */
export async function predictReason(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  text: string,
  now: Date,
): Promise<void> {
  const active = await activeModel(tx, workspaceId);
  if (!active) return;
  const p = predict(active.model, text, { top: 3 });
  const ranked = p.ranked.map((r) => ({ reasonId: Number(r.label), probability: r.probability }));
  const { applyAbove } = await readLearning(tx, workspaceId);
  const recorded = await insertPrediction(tx, {
    workspaceId,
    conversationId,
    modelId: active.id,
    ranked,
    confidence: p.confidence,
    outOfScope: p.outOfScope,
    applied: false,
    createdAt: now,
  });
  const top = ranked[0];
  if (!recorded || !top || p.outOfScope || p.confidence < applyAbove) return;
  const set = await setContactReasonIn(
    tx,
    now,
    workspaceId,
    conversationId,
    { actor: systemActor, personId: null, source: 'model' },
    top.reasonId,
    { onlyIfUnset: true },
  );
  // Set by someone meanwhile, an archived reason (since the training), a closed conversation: a suggestion.
  if (set.ok) await markApplied(tx, workspaceId, conversationId);
}

/**
 * The active model's top three reasons for a text, with their calibrated probabilities (the matters module
 * compares them between conversations). Empty with no model yet, or when the text fits no known reason.
 */
export async function rankedReasonsFor(tx: Tx, workspaceId: number, text: string) {
  const active = await activeModel(tx, workspaceId);
  if (!active) return [];
  const p = predict(active.model, text, { top: 3 });
  if (p.outOfScope) return [];
  return p.ranked.map((r) => ({ reasonId: Number(r.label), probability: r.probability }));
}
