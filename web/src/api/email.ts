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
  promiseFooter: boolean;
  inboundPath: string;
  /** Fetched by IMAP too (null: not). */
  imap: { host: string; enabled: boolean; lastError: string | null; lastSuccessAt: string | null } | null;
  createdAt: string;
  updatedAt: string;
};
export type MailboxInput = {
  address: string;
  /** Empty on creation: the workspace's name. */
  name?: string;
  teamId?: number | null;
  isDefault?: boolean;
  acknowledge?: boolean;
  signature?: string;
  promiseFooter?: boolean;
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

export type ImapSecurity = 'tls' | 'starttls' | 'none';
export type ImapServer = {
  host: string;
  port: number;
  security: ImapSecurity;
  username: string;
  password?: string;
};
export type ImapInput = ImapServer & {
  folders: string[];
  afterFetch: 'keep' | 'seen' | 'delete';
  pollSeconds: number;
  enabled: boolean;
};
export type ImapPolling = Omit<ImapInput, 'password'> & {
  mailboxId: number;
  passwordReadable: boolean;
  polling: boolean;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  fetched: number;
  skipped: number;
  lastSkipped: string | null;
  folderStates: { folder: string; uidValidity: string; lastUid: number; updatedAt: string }[];
};
export const imapKey = (mailboxId: number) => ['mailbox-imap', mailboxId];
export const imapApi = {
  /** Null when the mailbox is not polled (404 IMAP_NOT_CONFIGURED). */
  get: async (mailboxId: number): Promise<ImapPolling | null> => {
    try {
      return await api<ImapPolling>('GET', `/mailboxes/${mailboxId}/imap`);
    } catch (err) {
      if ((err as { code?: string }).code === 'IMAP_NOT_CONFIGURED') return null;
      throw err;
    }
  },
  save: (mailboxId: number, body: ImapInput) => api<ImapPolling>('PUT', `/mailboxes/${mailboxId}/imap`, body),
  remove: (mailboxId: number) => api<void>('DELETE', `/mailboxes/${mailboxId}/imap`),
  poll: (mailboxId: number) => api<{ queued: true }>('POST', `/mailboxes/${mailboxId}/imap/poll`),
  test: (mailboxId: number, body: ImapServer) =>
    api<{ ok: true; folders: string[] } | { ok: false; error: string }>(
      'POST',
      `/mailboxes/${mailboxId}/imap/test`,
      body,
    ),
};
/** Only asked for a mailbox that is polled (`enabled`): one that is not has nothing to show yet. */
export const useImap = (mailboxId: number, enabled: boolean) =>
  useQuery({
    queryKey: imapKey(mailboxId),
    queryFn: () => imapApi.get(mailboxId),
    enabled,
    // While a poll may be under way, the status updates by itself.
    refetchInterval: 5_000,
  });
