import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Conversation, Priority } from './types';

export type MacroActions = {
  status?: 'open' | 'pending' | 'on_hold' | 'solved';
  priority?: Priority;
  assigneeId?: number | null;
  teamId?: number | null;
  addTags?: string[];
  removeTags?: string[];
};
export type Macro = {
  id: number;
  name: string;
  body: string;
  actions: MacroActions;
  shared: boolean;
  ownerId: number | null;
  createdAt: string;
  updatedAt: string;
};
export type MacroInput = { name: string; body: string; actions?: MacroActions; shared?: boolean };

export const macrosKey = ['macros'];

export const macrosApi = {
  list: () => api<{ items: Macro[]; placeholders: string[] }>('GET', '/macros'),
  create: (body: MacroInput) => api<Macro>('POST', '/macros', body),
  update: (id: number, body: Partial<MacroInput>) => api<Macro>('PATCH', `/macros/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/macros/${id}`),
  apply: (id: number, conversationId: number) =>
    api<{ text: string; conversation: Conversation }>('POST', `/macros/${id}/apply`, { conversationId }),
};

export function useMacros(enabled = true) {
  return useQuery({ queryKey: macrosKey, queryFn: macrosApi.list, staleTime: 60_000, enabled });
}
