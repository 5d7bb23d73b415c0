import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export type ChatWidget = {
  id: number;
  name: string;
  publicKey: string;
  greeting: string;
  color: string;
  allowedOrigins: string[];
  teamId: number | null;
  snippet: string;
  createdAt: string;
  updatedAt: string;
};

export type ChatWidgetInput = {
  name: string;
  greeting: string;
  color: string;
  allowedOrigins: string[];
  teamId: number | null;
};

export const chatWidgetsKey = ['chat-widgets'];

export const chatWidgetsApi = {
  list: () => api<{ items: ChatWidget[] }>('GET', '/chat-widgets'),
  create: (body: ChatWidgetInput) => api<ChatWidget>('POST', '/chat-widgets', body),
  update: (id: number, body: Partial<ChatWidgetInput>) =>
    api<ChatWidget>('PATCH', `/chat-widgets/${id}`, body),
  remove: (id: number) => api<void>('DELETE', `/chat-widgets/${id}`),
};

export function useChatWidgets() {
  return useQuery({ queryKey: chatWidgetsKey, queryFn: chatWidgetsApi.list });
}
