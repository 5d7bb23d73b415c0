import type { Tx } from '../../../db/index.js';
import type { SentimentLabel } from '../../../db/schema/understanding.js';
import { predict } from '../classifier/classifier.js';
import { type ClassifierModel, deserializeModel, type SerializedModel } from '../classifier/model.js';
import { lexiconFeatures } from '../sentiment.js';
import { activeSentimentModel, storedSentimentModel } from './sentiment-models.repo.js';

/** Loaded models by workspace: read from the database once per model, not per message. */
const loaded = new Map<number, { id: number; model: ClassifierModel }>();

/**
 * The label the workspace's active sentiment model gives a customer's text (the words and the lexicon's
 * scores), or null when there is no active model: the lexicon's label stands.
 */
export async function modelSentiment(
  tx: Tx,
  workspaceId: number,
  text: string,
): Promise<SentimentLabel | null> {
  const active = await activeSentimentModel(tx, workspaceId);
  if (!active) return null;
  let hit = loaded.get(workspaceId);
  if (hit?.id !== active.id) {
    const stored = await storedSentimentModel(tx, workspaceId, active.id);
    if (!stored) return null;
    hit = { id: active.id, model: deserializeModel(stored as SerializedModel) };
    loaded.set(workspaceId, hit);
  }
  const p = predict(hit.model, { text, dense: lexiconFeatures(text) }, { top: 1 });
  return p.ranked[0]!.label as SentimentLabel;
}
