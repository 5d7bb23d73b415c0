import type { Tx } from '../../db/index.js';
import type { DistressSignal } from '../../db/schema/understanding.js';
import { analyseMessage, signalsOf } from './analyse.js';
import { modelSentiment } from './sentiment-model/predict-sentiment.js';
import { insertSentiment } from './understanding.repo.js';

/**
 * Reads one customer message and stores the reading (once: a message read already keeps its row): the
 * lexicon's score and label and the distress signals; the label is the workspace's sentiment model's once it
 * reads its customers better than the lexicon. The signals found, for the conversation's distress. What a
 * message gets as it arrives (the consumer) and what an older one gets later (read-history.job.ts).
 */
export async function readCustomerMessage(
  tx: Tx,
  workspaceId: number,
  messageId: number,
  text: string,
  now: Date,
): Promise<DistressSignal[]> {
  const analysis = analyseMessage(text);
  const signals = signalsOf(analysis);
  const learned = await modelSentiment(tx, workspaceId, text);
  await insertSentiment(tx, {
    workspaceId,
    messageId,
    score: analysis.score,
    label: learned ?? analysis.label,
    lexiconLabel: analysis.label,
    ...(learned ? { source: 'model' as const } : {}),
    signals,
    createdAt: now,
  });
  return signals;
}
