import { useQuery } from '@tanstack/react-query';
import { api, qs } from './client';

export type Mailbox = {
  id: number;
  address: string;
  name: string;
  teamId: number | null;
  isDefault: boolean;
  acknowledge: boolean;
  signature: string;
  inboundPath: string;
  createdAt: string;
  updatedAt: string;
};
export type MailboxInput = {
  address: string;
  name: string;
  teamId?: number | null;
  isDefault?: boolean;
  acknowledge?: boolean;
  signature?: string;
};
export type BlockedSender = { id: number; pattern: string; createdAt: string };
export type SpamMail = {
  id: number;
  mailboxId: number;
  from: string;
  subject: string;
  size: number;
  receivedAt: string;
};
export type Received = { result: string; conversationId: number | null; messageId: number | null };

export const mailboxesKey = ['mailboxes'];
export const blockedKey = ['blocked-senders'];
export const spamKey = ['spam'];

export const emailApi = {
  mailboxes: () => api<{ items: Mailbox[] }>('GET', '/mailboxes'),
  create: (body: MailboxInput) =>
    api<{ mailbox: Mailbox; inboundSecret: string }>('POST', '/mailboxes', body),
  update: (id: number, body: Partial<MailboxInput>) => api<Mailbox>('PATCH', `/mailboxes/${id}`, body),
  rotate: (id: number) =>
    api<{ mailbox: Mailbox; inboundSecret: string }>('POST', `/mailboxes/${id}/rotate-secret`),
  remove: (id: number) => api<void>('DELETE', `/mailboxes/${id}`),
  blocked: () => api<{ items: BlockedSender[] }>('GET', '/email/blocked-senders'),
  block: (pattern: string) => api<BlockedSender>('POST', '/email/blocked-senders', { pattern }),
  unblock: (id: number) => api<void>('DELETE', `/email/blocked-senders/${id}`),
  spam: (before?: number) => api<{ items: SpamMail[] }>('GET', `/email/spam${qs({ limit: 50, before })}`),
  release: (id: number) => api<Received>('POST', `/email/spam/${id}/release`),
  deleteSpam: (id: number) => api<void>('DELETE', `/email/spam/${id}`),
};

export const useMailboxes = () => useQuery({ queryKey: mailboxesKey, queryFn: emailApi.mailboxes });
export const useBlockedSenders = () => useQuery({ queryKey: blockedKey, queryFn: emailApi.blocked });
export const useSpam = () => useQuery({ queryKey: spamKey, queryFn: () => emailApi.spam() });

export type Bridge = {
  id: number;
  name: string;
  channel: 'sms' | 'whatsapp' | 'social';
  replyUrl: string | null;
  teamId: number | null;
  inboundPath: string;
  createdAt: string;
  updatedAt: string;
};
export type BridgeInput = {
  name: string;
  channel: Bridge['channel'];
  replyUrl?: string | null;
  teamId?: number | null;
};
export const bridgesKey = ['messaging-bridges'];
export const bridgesApi = {
  list: () => api<{ items: Bridge[] }>('GET', '/messaging-bridges'),
  create: (body: BridgeInput) => api<{ bridge: Bridge; secret: string }>('POST', '/messaging-bridges', body),
  rotate: (id: number) =>
    api<{ bridge: Bridge; secret: string }>('POST', `/messaging-bridges/${id}/rotate-secret`),
  remove: (id: number) => api<void>('DELETE', `/messaging-bridges/${id}`),
};
export const useBridges = () => useQuery({ queryKey: bridgesKey, queryFn: bridgesApi.list });
