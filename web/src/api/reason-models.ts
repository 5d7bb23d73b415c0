import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type ReliabilityRow = {
  from: number;
  to: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
};
export type ReasonModel = {
  id: number;
  status: 'training' | 'active' | 'rejected' | 'retired' | 'failed';
  requestedById: number | null;
  examples: number;
  heldOut: number;
  reasons: number;
  accuracy: number | null;
  ece: number | null;
  macroF1: number | null;
  reliability: ReliabilityRow[];
  perReason: Array<{ reasonId: number; support: number; recall: number }>;
  selfLabelled: number;
  /** Held-out conversations a person said no reason fits, and the share the model found out of scope. */
  noneFits: { support: number; recall: number } | null;
  note: string | null;
  trainingMs: number | null;
  createdAt: string;
  finishedAt: string | null;
};
export type ReasonModels = { labelled: number; minimum: number; items: ReasonModel[] };

export const reasonModelsKey = ['reason-models'];

export type PredictionSettings = { applyAbove: number };

export const reasonModelsApi = {
  list: () => api<ReasonModels>('GET', '/reason-models'),
  train: () => api<ReasonModel>('POST', '/reason-models/train'),
  settings: () => api<PredictionSettings>('GET', '/reason-prediction-settings'),
  saveSettings: (body: PredictionSettings) =>
    api<PredictionSettings>('PUT', '/reason-prediction-settings', body),
};

/** Re-read every two seconds while a model is being trained. */
export function useReasonModels() {
  return useQuery({
    queryKey: reasonModelsKey,
    queryFn: reasonModelsApi.list,
    refetchInterval: (q) => (q.state.data?.items.some((m) => m.status === 'training') ? 2000 : false),
  });
}
