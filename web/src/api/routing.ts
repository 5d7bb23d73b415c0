import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, messageOf } from './client';
import type { Availability, Channel, Conversation } from './types';

export const availabilityKey = ['availability'];

export const availabilityLabel: Record<Availability, string> = {
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
};

/** My own availability (GET/PUT /me/availability): kept on the server, so it survives reloads and devices. */
export function useMyAvailability() {
  return useQuery({
    queryKey: availabilityKey,
    queryFn: () => api<{ availability: Availability; changedAt: string | null }>('GET', '/me/availability'),
    staleTime: 60_000,
  });
}

export function useSetAvailability() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (availability: Availability) =>
      api<{ availability: Availability; changedAt: string | null }>('PUT', '/me/availability', {
        availability,
      }),
    onSuccess: (state) => {
      client.setQueryData(availabilityKey, state);
      void client.invalidateQueries({ queryKey: ['people'] });
    },
  });
}

/** "Take it": I become the assignee; 409 when a colleague was quicker. */
export const claimConversation = (id: number) => api<Conversation>('POST', `/conversations/${id}/claim`);

/** A claim that came second says who was first. */
export function claimRefusal(error: unknown, personName: (id: number | null) => string | undefined): string {
  if (error instanceof ApiError && error.code === 'CONVERSATION_ALREADY_ASSIGNED') {
    const by = (error.details as { assigneeId?: number } | undefined)?.assigneeId ?? null;
    return `${personName(by) ?? 'A colleague'} took it first.`;
  }
  return messageOf(error);
}

export type RoutingMode = 'manual' | 'round_robin' | 'least_busy';
export type Capacity = Partial<Record<Channel, number>>;
export type TeamRouting = {
  teamId: number;
  mode: RoutingMode;
  capacity: Capacity;
  members: Array<{
    personId: number;
    name: string;
    availability: Availability;
    capacity: Capacity;
    openConversations: number;
  }>;
};

export const routingModeLabel: Record<RoutingMode, string> = {
  manual: 'Manual: nobody is assigned automatically',
  round_robin: 'Round robin: online members in turn',
  least_busy: 'Least busy: the online member with the fewest open conversations',
};

export const teamRoutingKey = (teamId: number) => ['team-routing', teamId];

export const routingApi = {
  get: (teamId: number) => api<TeamRouting>('GET', `/teams/${teamId}/routing`),
  set: (teamId: number, body: { mode?: RoutingMode; capacity?: Capacity }) =>
    api<TeamRouting>('PUT', `/teams/${teamId}/routing`, body),
  setMember: (teamId: number, personId: number, capacity: Capacity) =>
    api<TeamRouting>('PUT', `/teams/${teamId}/routing/members/${personId}`, { capacity }),
};
