import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Channel, Priority } from './types';

export type SlaConditions = {
  priorities?: Priority[];
  tiers?: string[];
  channels?: Channel[];
  teamIds?: number[];
  tags?: string[];
};
export type SlaBreachActions = { raisePriority?: 'high' | 'urgent'; reassignToTeam?: boolean };
export type SlaPolicy = {
  id: number;
  name: string;
  position: number;
  conditions: SlaConditions;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
  pauseOnHold: boolean;
  warnPercent: number;
  breachActions: SlaBreachActions;
  createdAt: string;
  updatedAt: string;
};
export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'position' | 'createdAt' | 'updatedAt'>;

export type SlaTarget = 'first_response' | 'next_response' | 'resolution';
export type SlaClockState = 'running' | 'at_risk' | 'paused' | 'stopped' | 'met' | 'breached';
export type SlaClock = {
  target: SlaTarget;
  policyId: number;
  targetMinutes: number;
  state: SlaClockState;
  startedAt: string;
  dueAt: string | null;
  warnAt: string | null;
  metAt: string | null;
  pausedAt: string | null;
  remainingMinutes: number;
  pausedMinutes: number;
  breachedAt: string | null;
};

export const targetLabel: Record<SlaTarget, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

export const slaPoliciesKey = ['sla-policies'];

export const slaApi = {
  list: () => api<{ items: SlaPolicy[] }>('GET', '/sla-policies'),
  create: (body: SlaPolicyInput) => api<SlaPolicy>('POST', '/sla-policies', body),
  update: (id: number, body: Partial<SlaPolicyInput>) => api<SlaPolicy>('PATCH', `/sla-policies/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/sla-policies/${id}`),
  reorder: (ids: number[]) => api<{ items: SlaPolicy[] }>('PUT', '/sla-policies/order', { ids }),
  clocks: (conversationId: number) =>
    api<{ policyId: number | null; now: string; clocks: SlaClock[] }>(
      'GET',
      `/conversations/${conversationId}/sla`,
    ),
};

export function useSlaPolicies() {
  return useQuery({ queryKey: slaPoliciesKey, queryFn: slaApi.list, staleTime: 60_000 });
}

/** Under ['conversation', id]: a realtime push about the conversation re-fetches it too. */
export function useConversationSla(conversationId: number) {
  return useQuery({
    queryKey: ['conversation', conversationId, 'sla'],
    queryFn: () => slaApi.clocks(conversationId),
    // States move with time (running → at risk → breached) without a push: look again each minute.
    refetchInterval: 60_000,
  });
}

/**
 * "Dec 11, 2026, 5:00 PM" in the viewer's time zone. With `endOfDay`, a due time at midnight reads as the end
 * of the day before ("end of Dec 11, 2026"): that is what "by Friday" means on an always-open calendar.
 */
export function timeText(iso: string, options: { endOfDay?: boolean } = {}): string {
  const d = new Date(iso);
  if (options.endOfDay && d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0)
    return `end of ${new Date(d.getTime() - 1).toLocaleDateString(undefined, { dateStyle: 'medium' })}`;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "due in 25 min", "overdue by 2 h": a deadline relative to now. */
export function dueText(dueIso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(dueIso) - now) / 60_000);
  const span = (m: number) =>
    m < 60
      ? `${m} min`
      : m < 48 * 60
        ? `${Math.floor(m / 60)} h ${m % 60 ? `${m % 60} min` : ''}`.trim()
        : `${Math.floor(m / 1440)} d`;
  if (minutes > 0) return `due in ${span(minutes)}`;
  if (minutes === 0) return 'due now';
  return `overdue by ${span(-minutes)}`;
}

/** An inbox row's mark: breached once its next deadline passed, at risk from its warning time. */
export function deadlineMark(
  c: { slaNextDueAt?: string | null; slaWarnAt?: string | null },
  now = Date.now(),
): 'breached' | 'at_risk' | 'running' | null {
  if (!c.slaNextDueAt) return null;
  if (Date.parse(c.slaNextDueAt) <= now) return 'breached';
  if (c.slaWarnAt && Date.parse(c.slaWarnAt) <= now) return 'at_risk';
  return 'running';
}
