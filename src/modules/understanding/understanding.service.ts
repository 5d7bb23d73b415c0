import type { DistressSignal, SentimentLabel } from '../../db/schema/understanding.js';
import {
  type Deps,
  fail,
  inTransaction,
  ok,
  type Principal,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { findConversation, findMessage } from '../conversations/index.js';
import { findDistress } from './distress.js';
import { moodScore } from './sentiment.js';
import { retrainOnCorrections } from './sentiment-model/sentiment-training.service.js';
import {
  findSentiment,
  type MessageSentiment,
  type ScoredMessage,
  scoredMessagesOf,
  updateSentiment,
} from './understanding.repo.js';

export type SignalReason = { signal: DistressSignal; messageId: number; phrase: string | null };

export type ConversationSentiment = {
  first: ScoredMessage | null;
  last: ScoredMessage | null;
  /** The last customer message's mood score minus the first's (`moodScore`): how the mood moved (-2..2). */
  change: number | null;
  signals: SignalReason[];
  messages: ScoredMessage[];
};

/**
 * A conversation's customer messages as read: each one's sentiment and signals, the first and the last, and
 * for each distress signal the message and the words that raised it (found again in its text now: an erased
 * message shows none).
 */
export async function conversationSentiment(
  deps: Deps,
  workspaceId: number,
  conversationId: number,
): Promise<Result<ConversationSentiment>> {
  if (!(await findConversation(deps.db, workspaceId, conversationId)))
    return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  const messages = await scoredMessagesOf(deps.db, workspaceId, conversationId);
  const first = messages[0] ?? null;
  const last = messages.at(-1) ?? null;
  const signals: SignalReason[] = [];
  for (const m of messages) {
    if (m.signals.length === 0) continue;
    const phrases = new Map(findDistress(m.bodyText, m.score).map((f) => [f.signal, f.phrase]));
    for (const signal of m.signals)
      if (!signals.some((s) => s.signal === signal))
        signals.push({ signal, messageId: m.messageId, phrase: phrases.get(signal) ?? null });
  }
  const mood = (m: ScoredMessage) => moodScore(m.score, m.label);
  const change = first && last ? Math.round((mood(last) - mood(first)) * 10_000) / 10_000 : null;
  return ok({ first, last, change, signals, messages });
}

/**
 * An agent's reading of a customer message's sentiment: the label changes (the lexicon's stays on record),
 * it is kept as a label to learn from, and `message.sentiment_corrected` goes on the conversation's timeline.
 */
export async function correctSentiment(
  deps: Deps,
  p: Principal,
  messageId: number,
  label: SentimentLabel,
): Promise<Result<MessageSentiment>> {
  return inTransaction(deps.db, async (tx) => {
    const message = await findMessage(tx, p.workspaceId, messageId);
    if (!message) return fail('MESSAGE_NOT_FOUND', 'Message not found');
    const before = await findSentiment(tx, p.workspaceId, messageId);
    if (!before)
      return fail('SENTIMENT_NOT_FOUND', "Only a customer's message has a sentiment, once it has been read");
    const now = deps.clock.now();
    const after = await updateSentiment(tx, p.workspaceId, messageId, {
      label,
      source: 'agent',
      correctedById: p.personId,
      correctedAt: now,
    });
    if (!after) return fail('SENTIMENT_NOT_FOUND', 'Message not found');
    await recordEvent(tx, {
      workspaceId: p.workspaceId,
      type: 'message.sentiment_corrected',
      entityType: 'conversation',
      entityId: message.conversationId,
      actor: { type: 'person', id: p.personId },
      data: { messageId, before: { label: before.label, source: before.source }, after: { label } },
      at: now,
    });
    await retrainOnCorrections(tx, p.workspaceId, now);
    return ok(after);
  });
}
