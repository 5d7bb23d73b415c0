import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type DistressSignal =
  | 'anger'
  | 'urgency'
  | 'churn_threat'
  | 'legal_threat'
  | 'repeat_contact'
  | 'high_effort';

export const signalLabel: Record<DistressSignal, string> = {
  anger: 'Angry',
  urgency: 'Urgent',
  churn_threat: 'Threatens to leave',
  legal_threat: 'Legal or public threat',
  repeat_contact: 'Repeat contact',
  high_effort: 'High effort',
};

export const sentimentText: Record<SentimentLabel, string> = {
  negative: 'Negative',
  neutral: 'Neutral',
  positive: 'Positive',
};

export type ScoredMessage = {
  messageId: number;
  score: number;
  label: SentimentLabel;
  lexiconLabel: SentimentLabel;
  /** Who labelled it: the lexicon, the workspace's sentiment model, or an agent's correction. */
  source: 'lexicon' | 'model' | 'agent';
  signals: DistressSignal[];
  correctedById: number | null;
  correctedAt: string | null;
  messageAt: string;
};
export type ConversationSentiment = {
  first: ScoredMessage | null;
  last: ScoredMessage | null;
  change: number | null;
  signals: Array<{ signal: DistressSignal; messageId: number; phrase: string | null }>;
  messages: ScoredMessage[];
};

export const sentimentApi = {
  ofConversation: (id: number) => api<ConversationSentiment>('GET', `/conversations/${id}/sentiment`),
  correct: (messageId: number, label: SentimentLabel) =>
    api<ScoredMessage>('PUT', `/messages/${messageId}/sentiment`, { label }),
};

/** Under ['conversation', id]: a realtime push about the conversation (a message read) re-fetches it too. */
export function useConversationSentiment(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'sentiment'],
    queryFn: () => sentimentApi.ofConversation(conversationId),
  });
}
