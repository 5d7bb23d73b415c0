import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type SentimentModel = {
  id: number;
  status: 'training' | 'active' | 'rejected' | 'retired' | 'failed';
  requestedById: number | null;
  examples: number;
  heldOut: number;
  accuracy: number | null;
  lexiconAccuracy: number | null;
  ece: number | null;
  macroF1: number | null;
  perLabel: Array<{ label: 'negative' | 'neutral' | 'positive'; support: number; recall: number }>;
  note: string | null;
  trainingMs: number | null;
  createdAt: string;
  finishedAt: string | null;
};
export type SentimentModels = { corrections: number; minimum: number; items: SentimentModel[] };

export const sentimentModelsKey = ['sentiment-models'];

export const sentimentModelsApi = {
  list: () => api<SentimentModels>('GET', '/sentiment-models'),
  train: () => api<SentimentModel>('POST', '/sentiment-models/train'),
};

/** Re-read every two seconds while a model is being trained. */
export const useSentimentModels = () =>
  useQuery({
    queryKey: sentimentModelsKey,
    queryFn: sentimentModelsApi.list,
    refetchInterval: (q) => (q.state.data?.items.some((m) => m.status === 'training') ? 2000 : false),
  });
