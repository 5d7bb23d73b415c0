import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type CommitmentStatus = 'suggested' | 'open' | 'kept' | 'broken' | 'dismissed';
export type Commitment = {
  id: number;
  conversationId: number;
  ownerId: number;
  teamId: number | null;
  text: string;
  dueAt: string;
  status: CommitmentStatus;
  overdue: boolean;
  sourceMessageId: number | null;
  note: string | null;
  createdById: number | null;
  createdAt: string;
  updatedAt: string;
  keptAt: string | null;
  brokenAt: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
};
export type OverdueCommitment = Commitment & { conversationSubject: string; ownerName: string };
export type RateRow = {
  id: number | null;
  name: string | null;
  due: number;
  kept: number;
  rate: number | null;
};
export type KeptRate = { from: string; to: string; workspace: RateRow; agents: RateRow[]; teams: RateRow[] };
/** A due time as an instant, or in words ("in 5 business days") read by the server with the team's calendar. */
export type DueInput = { dueAt?: string; due?: string };

const base = (conversationId: number) => `/conversations/${conversationId}/commitments`;

/** `period`: a `from=…&to=…` query. */
const keptRateOf = (period: string) => api<KeptRate>('GET', `/commitments/kept-rate?${period}`);

export const commitmentsApi = {
  list: (conversationId: number) => api<{ items: Commitment[] }>('GET', base(conversationId)),
  create: (conversationId: number, body: { text: string; ownerId?: number } & DueInput) =>
    api<Commitment>('POST', base(conversationId), body),
  update: (conversationId: number, id: number, body: { text?: string; ownerId?: number } & DueInput) =>
    api<Commitment>('PATCH', `${base(conversationId)}/${id}`, body),
  fulfil: (conversationId: number, id: number, note?: string) =>
    api<Commitment>('POST', `${base(conversationId)}/${id}/fulfil`, note ? { note } : {}),
  break: (conversationId: number, id: number, note: string) =>
    api<Commitment>('POST', `${base(conversationId)}/${id}/break`, { note }),
  confirm: (conversationId: number, id: number, body: { text?: string } & DueInput = {}) =>
    api<Commitment>('POST', `${base(conversationId)}/${id}/confirm`, body),
  dismiss: (conversationId: number, id: number) =>
    api<Commitment>('POST', `${base(conversationId)}/${id}/dismiss`, {}),
  preview: (conversationId: number, due: string) =>
    api<{ dueAt: string }>('GET', `${base(conversationId)}/due-preview?due=${encodeURIComponent(due)}`),
  overdue: () => api<{ items: OverdueCommitment[] }>('GET', '/commitments/overdue'),
  keptRate: (from: string, to: string) =>
    keptRateOf(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  keptRateOf,
};

/** Under ['conversation', id]: a realtime push about the conversation re-fetches it too. */
export function useConversationCommitments(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'commitments'],
    queryFn: () => commitmentsApi.list(conversationId),
    refetchInterval: 60_000,
  });
}

export const rateText = (r: RateRow) =>
  r.rate === null ? '—' : `${(r.rate * 100).toFixed(r.rate * 100 === Math.round(r.rate * 100) ? 0 : 1)} %`;
