import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Channel, Priority } from './types';

export type InboxSort = 'newest' | 'waiting' | 'priority' | 'deadline' | 'distress';
export const sortLabel: Record<InboxSort, string> = {
  newest: 'Newest activity',
  waiting: 'Waiting longest',
  priority: 'Most urgent',
  deadline: 'Next deadline',
  distress: 'Most distressed',
};

export type SavedViewFilters = {
  statuses?: string[];
  priority?: Priority;
  teamId?: number | 'mine';
  assigneeId?: number | 'none' | 'me';
  channel?: Channel;
  tag?: string;
  tier?: string;
  contactReasonId?: number | 'none' | 'none_fits';
  distressed?: true;
};
export type SavedView = {
  id: number;
  name: string;
  filters: SavedViewFilters;
  sort: InboxSort;
  position: number;
  shared: boolean;
  ownerId: number | null;
};
export type SavedViewInput = {
  name: string;
  filters: SavedViewFilters;
  sort: InboxSort;
  shared?: boolean;
};

export const viewsKey = ['views'];

export const viewsApi = {
  list: () => api<{ items: SavedView[] }>('GET', '/views'),
  create: (body: SavedViewInput) => api<SavedView>('POST', '/views', body),
  update: (id: number, body: Partial<SavedViewInput>) => api<SavedView>('PATCH', `/views/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/views/${id}`),
};

export function useSavedViews() {
  return useQuery({ queryKey: viewsKey, queryFn: viewsApi.list, staleTime: 60_000 });
}

/** GET /conversations's query for a saved view's filters; `me` is the signed-in person's id. */
export function savedViewQuery(f: SavedViewFilters, me: number): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  if (f.statuses?.length) q.status = f.statuses.join(',');
  if (f.priority) q.priority = f.priority;
  if (f.teamId !== undefined) q.teamId = f.teamId;
  if (f.assigneeId !== undefined) q.assigneeId = f.assigneeId === 'me' ? me : f.assigneeId;
  if (f.channel) q.channel = f.channel;
  if (f.tag) q.tag = f.tag;
  if (f.tier) q.tier = f.tier;
  if (f.contactReasonId !== undefined) q.contactReasonId = f.contactReasonId;
  if (f.distressed) q.distressed = 'true';
  return q;
}
