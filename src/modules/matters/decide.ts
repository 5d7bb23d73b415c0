/**
 * Which matter a new conversation belongs to (PRODUCT.md "Matter"; issue 7). Pure: the module loads the
 * customer's recent matters and applies the decision; the matter fixture test replays a labelled timeline
 * through the same function.
 *
 * A matter is a candidate when it is open, or its last contact was within the repeat window of the new
 * contact. Among candidates, the same contact reason decides first (the most recent such matter); then the
 * reason model: when its predictions for the new conversation and for one of the matter's agree enough, the
 * same problem however different the words; then the most similar customer text, when similar enough;
 * otherwise the conversation starts a matter of its own. A candidate whose known reasons differ from the new
 * conversation's known reason is never joined by prediction or text: another problem, however alike.
 */
import type { RankedReason } from '../../db/schema/index.js';
import {
  matterSimilarity,
  profileOf,
  reasonOverlap,
  SAME_PREDICTED_REASON,
  SIMILAR_ENOUGH,
} from './similarity.js';

export type MatterCandidate = {
  matterId: number;
  open: boolean;
  lastContactAt: Date;
  /** Contact reasons of the matter's conversations (those that have one). */
  reasonIds: number[];
  /** The customer's messages on the matter, newest first (the module passes a bounded number). */
  texts: string[];
  /** What the workspace's reason model predicted for each of the matter's conversations (top three each). */
  predicted: RankedReason[][];
};

export type MatterDecision =
  | { kind: 'join'; matterId: number; rule: 'same_reason'; score: null }
  | { kind: 'join'; matterId: number; rule: 'similar_text' | 'predicted_reason'; score: number }
  | { kind: 'new'; rule: 'no_candidate' | 'not_similar'; score: number | null };

export const DEFAULT_REPEAT_WINDOW_DAYS = 14;
const DAY = 86_400_000;

export function isCandidate(candidate: MatterCandidate, at: Date, windowDays: number): boolean {
  return candidate.open || at.getTime() - candidate.lastContactAt.getTime() <= windowDays * DAY;
}

/** A known reason counts as a certain prediction of it. */
function asPredictions(candidate: MatterCandidate): RankedReason[][] {
  if (candidate.reasonIds.length === 0) return candidate.predicted;
  return [...candidate.predicted, ...candidate.reasonIds.map((reasonId) => [{ reasonId, probability: 1 }])];
}

export function decideMatter(input: {
  reasonId: number | null;
  texts: string[];
  /** The reason model's top three for the new conversation (empty: no model). */
  predicted: RankedReason[];
  at: Date;
  candidates: MatterCandidate[];
  windowDays: number;
  /** Overrides of the two thresholds (default SAME_PREDICTED_REASON and SIMILAR_ENOUGH). */
  thresholds?: { predicted?: number; text?: number };
}): MatterDecision {
  const predictedAt = input.thresholds?.predicted ?? SAME_PREDICTED_REASON;
  const textAt = input.thresholds?.text ?? SIMILAR_ENOUGH;
  const eligible = input.candidates
    .filter((c) => isCandidate(c, input.at, input.windowDays))
    .sort((a, b) => b.lastContactAt.getTime() - a.lastContactAt.getTime());
  if (eligible.length === 0) return { kind: 'new', rule: 'no_candidate', score: null };
  if (input.reasonId !== null) {
    const same = eligible.find((c) => c.reasonIds.includes(input.reasonId as number));
    if (same) return { kind: 'join', matterId: same.matterId, rule: 'same_reason', score: null };
  }
  // Both have a reason and they differ: another problem, however alike the words or the predictions.
  const open = eligible.filter((c) => input.reasonId === null || c.reasonIds.length === 0);
  let byReason: { matterId: number; score: number } | null = null;
  if (input.predicted.length > 0)
    for (const c of open) {
      const score = reasonOverlap(input.predicted, asPredictions(c));
      if (!byReason || score > byReason.score) byReason = { matterId: c.matterId, score };
    }
  if (byReason && byReason.score >= predictedAt)
    return { kind: 'join', matterId: byReason.matterId, rule: 'predicted_reason', score: byReason.score };
  const mine = profileOf(input.texts);
  let best: { matterId: number; score: number } | null = null;
  for (const c of open) {
    const score = matterSimilarity(mine, c.texts);
    if (!best || score > best.score) best = { matterId: c.matterId, score };
  }
  if (best && best.score >= textAt)
    return { kind: 'join', matterId: best.matterId, rule: 'similar_text', score: best.score };
  return { kind: 'new', rule: 'not_similar', score: best?.score ?? null };
}
