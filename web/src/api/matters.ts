import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Channel } from './types';

export type MatterRule =
  | 'no_candidate'
  | 'not_similar'
  | 'same_reason'
  | 'similar_text'
  | 'predicted_reason'
  | 'continued'
  | 'agent_link'
  | 'agent_split'
  | 'split_off'
  | 'customer_changed';

type Line = { id: number; subject: string; channel: Channel; status: string; createdAt: string };
export type MatterView = {
  matter: null | {
    id: number;
    customerId: number;
    status: 'open' | 'solved';
    contactCount: number;
    channels: Channel[];
    firstConversationId: number;
    contactReasonId: number | null;
    firstContactAt: string;
    lastContactAt: string;
    solvedAt: string | null;
    firstSolvedAt: string | null;
    contactsAtFirstSolve: number | null;
    firstRepeatAt: string | null;
    resolutionSeconds: number | null;
  };
  conversations: Array<
    Line & {
      contactReasonId: number | null;
      rule: MatterRule;
      score: number | null;
      comparedConversationId: number | null;
      decidedById: number | null;
      decidedAt: string;
    }
  >;
  contacts: Array<{
    id: number;
    conversationId: number;
    messageId: number;
    kind: string;
    channel: Channel;
    at: string;
  }>;
  others: Array<Line & { matterId: number }>;
  /** The workspace's history is being replayed: a conversation without a matter may get one shortly. */
  replaying: boolean;
};
export type MatterGroup = 'workspace' | 'agent' | 'team' | 'channel' | 'reason';
export type MatterFigures = {
  from: string;
  to: string;
  by: MatterGroup;
  rows: Array<{
    key: string | null;
    name: string | null;
    matters: number;
    repeated: number;
    repeatContactRate: number | null;
    solved: number;
    firstContactResolved: number;
    firstContactResolution: number | null;
    pending: number;
  }>;
};

const base = (conversationId: number) => `/conversations/${conversationId}/matter`;

export const mattersApi = {
  get: (conversationId: number) => api<MatterView>('GET', base(conversationId)),
  split: (conversationId: number) => api<MatterView>('POST', `${base(conversationId)}/split`, {}),
  link: (conversationId: number, otherId: number) =>
    api<MatterView>('POST', `${base(conversationId)}/link`, { conversationId: otherId }),
  figures: (period: string, by: MatterGroup) =>
    api<MatterFigures>('GET', `/matters/figures?${period}&by=${by}`),
  settings: () => api<{ repeatWindowDays: number }>('GET', '/matters/settings'),
  saveSettings: (repeatWindowDays: number) =>
    api<{ repeatWindowDays: number }>('PUT', '/matters/settings', { repeatWindowDays }),
};

/**
 * The conversation's matter; a `matter.changed` push names the conversation and makes it stale. A replay of
 * the history pushes nothing (it would flood every open app), so while one runs and this conversation has no
 * matter yet, it is asked again every 10 s.
 */
export function useConversationMatter(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'matter'],
    queryFn: () => mattersApi.get(conversationId),
    refetchInterval: (query) => (query.state.data?.replaying && !query.state.data.matter ? 10_000 : false),
  });
}

/** Why a conversation is on its matter, in words (every automatic decision says why). */
export function ruleText(rule: MatterRule, score: number | null): string {
  const pct = score === null ? '' : ` (${Math.round(score * 100)} %)`;
  switch (rule) {
    case 'no_candidate':
      return 'Started this matter: no other matter of the customer in the repeat window';
    case 'not_similar':
      return `Started this matter: not like the customer's other matters${pct}`;
    case 'same_reason':
      return 'Joined: same contact reason';
    case 'similar_text':
      return `Joined: the customer's words are alike${pct}`;
    case 'predicted_reason':
      return `Joined: the reason model reads the same problem${pct}`;
    case 'continued':
      return 'Joined: the customer wrote again after the earlier conversation was closed';
    case 'agent_link':
      return 'Linked by an agent';
    case 'agent_split':
      return 'Split off by an agent';
    case 'split_off':
      return 'Split from another conversation';
    case 'customer_changed':
      return 'Moved with the conversation to another customer';
  }
}
