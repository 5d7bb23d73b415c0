import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type EscalationLevel = 'lead' | 'manager' | 'executive';
export type Escalation = {
  id: number;
  conversationId: number;
  matterId: number | null;
  kind: 'automatic' | 'manual';
  level: EscalationLevel;
  reason: string;
  ownerId: number | null;
  teamId: number | null;
  status: 'open' | 'resolved';
  callbackDueAt: string | null;
  callbackDoneAt: string | null;
  callbackNote: string | null;
  callbackOverdue: boolean;
  customerToldAt: string | null;
  createdById: number | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedById: number | null;
};
export type ListedEscalation = Escalation & {
  conversationSubject: string;
  customerId: number;
  customerName: string | null;
};
export type EscalationSettings = {
  enabled: boolean;
  contactThreshold: number;
  target: 'team_lead' | 'person' | 'team';
  personId: number | null;
  teamId: number | null;
  executiveTeamId: number | null;
  callbackBusinessHours: number;
  raisePriority: 'low' | 'normal' | 'high' | 'urgent';
  tellCustomer: boolean;
};
export type EscalateInput = {
  level: EscalationLevel;
  reason: string;
  personId?: number;
  teamId?: number;
  callbackHours?: number;
  tellCustomer?: boolean;
};

export const levelLabel: Record<EscalationLevel, string> = {
  lead: 'Team lead',
  manager: 'A manager',
  executive: 'Executive escalation',
};

export const escalationsApi = {
  ofConversation: (conversationId: number) =>
    api<{ items: Escalation[] }>('GET', `/conversations/${conversationId}/escalations`),
  escalate: (conversationId: number, body: EscalateInput) =>
    api<Escalation>('POST', `/conversations/${conversationId}/escalate`, body),
  list: (status: 'open' | 'resolved', ownerId?: number) =>
    api<{ items: ListedEscalation[] }>(
      'GET',
      `/escalations?status=${status}${ownerId !== undefined ? `&ownerId=${ownerId}` : ''}`,
    ),
  callbackDone: (id: number, note: string) =>
    api<Escalation>('POST', `/escalations/${id}/callback`, { note }),
  resolve: (id: number, note?: string) =>
    api<Escalation>('POST', `/escalations/${id}/resolve`, note ? { note } : {}),
  settings: () => api<EscalationSettings>('GET', '/escalations/settings'),
  saveSettings: (body: EscalationSettings) => api<EscalationSettings>('PUT', '/escalations/settings', body),
};

export function useConversationEscalations(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'escalations'],
    queryFn: () => escalationsApi.ofConversation(conversationId),
  });
}
