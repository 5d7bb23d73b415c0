import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page } from './types';

/** GET /api/v1/notifications: one of mine, newest first. */
export type AppNotification = {
  id: number;
  kind: string;
  title: string;
  link: string;
  entityType: string;
  entityId: number;
  eventId: number;
  read: boolean;
  readAt: string | null;
  emailedAt: string | null;
  createdAt: string;
};

export type EmailMode = 'off' | 'immediate' | 'digest';
export type NotificationPreferences = {
  inApp: 'always';
  email: Record<string, EmailMode>;
  digest: { frequency: 'hourly' | 'daily'; hour: number; timeZone: string };
  emailActive: boolean;
  emailInactiveReason: string | null;
};
export type PreferencesChange = {
  email?: Record<string, EmailMode>;
  digest?: { frequency?: 'hourly' | 'daily'; hour?: number; timeZone?: string | null };
};

/** What people read for each kind (the API's `notificationKinds`; unknown kinds show as they are). */
export const kindLabels: Record<string, string> = {
  assigned: 'Assigned to me',
  mention: 'Mentioned in a note',
  sla_breached: 'A deadline was missed',
  sla_warning: 'A deadline is near',
  promise_due: 'A promise is due',
  escalation: 'An escalation reached me',
  approval_requested: 'My approval is requested',
  approval_decided: 'My request was approved or rejected',
  webhook_paused: 'A webhook was paused',
  survey_not_fixed: 'A customer says it is not fixed',
};

export const unreadKey = ['notifications', 'unread'] as const;
export const listKey = ['notifications', 'list'] as const;
const PAGE = 20;

export function useUnreadCount() {
  return useQuery({
    queryKey: unreadKey,
    queryFn: async () => (await api<{ unread: number }>('GET', '/notifications/unread-count')).unread,
    staleTime: 60_000,
  });
}

export function useNotificationList(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      api<Page<AppNotification>>('GET', `/notifications${qs({ limit: PAGE, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** Marks read in the cached list at once (the count follows from the server's answer or its push). */
function markInCache(data: InfiniteData<Page<AppNotification>> | undefined, id: number | 'all') {
  if (!data) return data;
  const now = new Date().toISOString();
  return {
    ...data,
    pages: data.pages.map((p) => ({
      ...p,
      items: p.items.map((n) =>
        (id === 'all' || n.id === id) && !n.read ? { ...n, read: true, readAt: now } : n,
      ),
    })),
  };
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<AppNotification>('POST', `/notifications/${id}/read`),
    onMutate: (id) => {
      client.setQueryData<InfiniteData<Page<AppNotification>>>(listKey, (d) => markInCache(d, id));
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ marked: number }>('POST', '/notifications/read-all'),
    onSuccess: () => {
      client.setQueryData<InfiniteData<Page<AppNotification>>>(listKey, (d) => markInCache(d, 'all'));
      client.setQueryData(unreadKey, 0);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

export const getPreferences = () => api<NotificationPreferences>('GET', '/notifications/preferences');
export const putPreferences = (change: PreferencesChange) =>
  api<NotificationPreferences>('PUT', '/notifications/preferences', change);
