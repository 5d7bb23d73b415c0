import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Conversation } from './types';

/** GET /api/v1/contact-reasons: the taxonomy in path order. */
export type ContactReason = {
  id: number;
  name: string;
  description: string;
  parentId: number | null;
  departmentId: number | null;
  avoidable: boolean;
  status: 'active' | 'archived';
  path: string[];
  pathText: string;
  childIds: number[];
};

/** The whole taxonomy (archived reasons too: a conversation may still carry one). */
export function useContactReasons(enabled = true) {
  return useQuery({
    queryKey: ['contact-reasons'],
    queryFn: async () => (await api<{ items: ContactReason[] }>('GET', '/contact-reasons')).items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/**
 * `suggestion`: the agent accepted one of Steward's suggestions (it counts as a confirmed label).
 * `none_fits`: no reason of the taxonomy fits (a new problem; the reason model learns it as "none of these").
 */
export const setContactReason = (
  conversationId: number,
  contactReasonId: number | 'none_fits' | null,
  source: 'agent' | 'suggestion' = 'agent',
) => api<Conversation>('PUT', `/conversations/${conversationId}/contact-reason`, { contactReasonId, source });

export type ReasonPrediction = {
  modelId: number;
  ranked: Array<{ reasonId: number; probability: number }>;
  confidence: number;
  outOfScope: boolean;
  applied: boolean;
  createdAt: string;
};

/** With no reason model yet: a reason whose name and description match the text (a similarity, 0-1). */
export type NameMatch = { reasonId: number; score: number };

/** Under ['conversation', id]: a realtime push about the conversation re-fetches it too. */
export function useReasonPrediction(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'reason-prediction'],
    queryFn: () =>
      api<{ prediction: ReasonPrediction | null; nameMatches: NameMatch[] }>(
        'GET',
        `/conversations/${conversationId}/reason-prediction`,
      ),
  });
}
