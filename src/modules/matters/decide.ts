/**
 * Which matter a new conversation belongs to (PRODUCT.md "Matter"; issue 7). Pure: the module loads the
 * customer's recent matters and applies the decision; the matter fixture test replays a labelled timeline
 * through the same function.
 *
 * A matter is a candidate when it is open, or its last contact was within the repeat window of the new
 * contact. Among candidates, the same contact reason decides first (the most recent such matter); otherwise the
 * most similar customer text, when similar enough; otherwise the conversation starts a matter of its own.
 */
import type { RankedReason } from '../../db/schema/index.js';
import { profileOf, SIMILAR_ENOUGH, textSimilarity } from './similarity.js';

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

export function decideMatter(input: {
  reasonId: number | null;
  texts: string[];
  /** The reason model's top three for the new conversation (empty: no model). */
  predicted: RankedReason[];
  at: Date;
  candidates: MatterCandidate[];
  windowDays: number;
}): MatterDecision {
  const eligible = input.candidates
    .filter((c) => isCandidate(c, input.at, input.windowDays))
    .sort((a, b) => b.lastContactAt.getTime() - a.lastContactAt.getTime());
  if (eligible.length === 0) return { kind: 'new', rule: 'no_candidate', score: null };
  if (input.reasonId !== null) {
    const same = eligible.find((c) => c.reasonIds.includes(input.reasonId as number));
    if (same) return { kind: 'join', matterId: same.matterId, rule: 'same_reason', score: null };
  }
  const mine = profileOf(input.texts);
  let best: { matterId: number; score: number } | null = null;
  for (const c of eligible) {
    // Both have a reason and they differ: another problem, however alike the words.
    if (input.reasonId !== null && c.reasonIds.length > 0) continue;
    const score = textSimilarity(mine, profileOf(c.texts));
    if (!best || score > best.score) best = { matterId: c.matterId, score };
  }
  if (best && best.score >= SIMILAR_ENOUGH)
    return { kind: 'join', matterId: best.matterId, rule: 'similar_text', score: best.score };
  return { kind: 'new', rule: 'not_similar', score: best?.score ?? null };
}
