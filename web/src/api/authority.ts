import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type ResolutionUnit = 'currency' | 'count';
export type ResolutionAction = {
  id: number;
  kind: string;
  name: string;
  unit: ResolutionUnit;
  enabled: boolean;
  workspacePerDay: number | null;
};
export type LimitValues = {
  perAction: number | null;
  perConversation: number | null;
  perDay: number | null;
  perMonth: number | null;
};
export type AuthorityLimit = LimitValues & { actionId: number; role: string | null; personId: number | null };
export type MyAuthority = ResolutionAction & {
  limit: LimitValues | null;
  spentToday: number;
  spentThisMonth: number;
  spentOnConversation: number;
};
export type Resolution = {
  id: number;
  conversationId: number;
  customerId: number;
  actionId: number;
  kind: string;
  unit: ResolutionUnit;
  amount: number;
  currency: string | null;
  note: string | null;
  source: 'agent' | 'customer_proposal';
  proposalId: number | null;
  status: 'applied' | 'pending' | 'rejected';
  exceeded: string[];
  requestedById: number;
  approvalDueAt: string | null;
  decidedById: number | null;
  decisionNote: string | null;
  decidedAt: string | null;
  appliedAt: string | null;
  createdAt: string;
};
type Path = {
  matters: number;
  share: number | null;
  csat: number | null;
  csatAnswers: number;
  repeatContactRate: number | null;
};
export type AuthorityFigures = {
  from: string;
  to: string;
  onTheSpot: Path;
  approval: Path;
  amounts: Array<{
    key: string | null;
    kind: string;
    unit: ResolutionUnit;
    currency: string | null;
    grants: number;
    onTheSpot: number;
    amount: number;
  }>;
};

export const exceededLabel: Record<string, string> = {
  no_authority: 'you have no authority for this action',
  per_action: 'above your limit per grant',
  per_conversation: 'above your limit on one conversation',
  per_day: 'above your limit for today',
  per_month: 'above your limit for this month',
  workspace_per_day: "above the workspace's cap for today",
};

export const amountText = (r: { amount: number; unit: ResolutionUnit; currency?: string | null }) =>
  r.unit === 'count' ? `× ${r.amount}` : `${r.amount.toFixed(2)}${r.currency ? ` ${r.currency}` : ''}`;

export const authorityApi = {
  actions: () => api<{ items: ResolutionAction[] }>('GET', '/resolution-actions'),
  changeAction: (id: number, body: Partial<Pick<ResolutionAction, 'name' | 'enabled' | 'workspacePerDay'>>) =>
    api<ResolutionAction>('PATCH', `/resolution-actions/${id}`, body),
  limits: () => api<{ items: AuthorityLimit[] }>('GET', '/authority/limits'),
  saveLimits: (items: AuthorityLimit[]) =>
    api<{ items: AuthorityLimit[] }>('PUT', '/authority/limits', { items }),
  mine: (conversationId: number) =>
    api<{ items: MyAuthority[] }>('GET', `/authority/mine?conversationId=${conversationId}`),
  settings: () => api<{ currency: string; approvalBusinessHours: number }>('GET', '/authority/settings'),
  saveSettings: (body: { currency: string; approvalBusinessHours: number }) =>
    api<{ currency: string; approvalBusinessHours: number }>('PUT', '/authority/settings', body),
  grant: (
    conversationId: number,
    body: { actionId: number; amount: number; note?: string; proposalId?: number },
  ) => api<Resolution>('POST', `/conversations/${conversationId}/resolutions`, body),
  ofConversation: (conversationId: number) =>
    api<{ items: Resolution[] }>('GET', `/conversations/${conversationId}/resolutions`),
  list: (status: string) =>
    api<{ items: Array<Resolution & { conversationSubject: string }> }>(
      'GET',
      `/resolutions?status=${status}`,
    ),
  approve: (id: number, note?: string) =>
    api<Resolution>('POST', `/resolutions/${id}/approve`, note ? { note } : {}),
  reject: (id: number, note: string) => api<Resolution>('POST', `/resolutions/${id}/reject`, { note }),
  figures: (period: string, by: string) =>
    api<AuthorityFigures>('GET', `/resolutions/figures?${period}&by=${by}`),
};

export function useConversationResolutions(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'resolutions'],
    queryFn: () => authorityApi.ofConversation(conversationId),
  });
}
