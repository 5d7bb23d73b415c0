import type { AttachmentRef } from './attachments';
import type { DistressSignal } from './sentiment';

/** The shapes of Steward's /api/v1 responses the app reads (see /api/v1/openapi.json). */
export type Role = 'agent' | 'lead' | 'manager' | 'admin' | 'executive';
export type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'email' | 'chat' | 'webform' | 'phone' | 'sms' | 'whatsapp' | 'social' | 'api';

export type Person = {
  id: number;
  email: string;
  name: string;
  role: Role;
  isOwner: boolean;
  status: 'active' | 'deactivated' | 'invited';
  /** Whether they take new work: routing assigns only to people who are online. */
  availability: Availability;
  createdAt: string;
  deactivatedAt: string | null;
};

export type Availability = 'online' | 'away' | 'offline';
/** GET /instance: what the signed-out pages need to know about this Steward. */
export type Instance = { setupNeeded: boolean; canSendEmail: boolean; onlyWorkspace: string | null };

export type Workspace = { id: number; slug: string; name: string };

export type Session = {
  person: Person;
  workspace: Workspace;
  permissions: string[];
  csrfToken: string | null;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Conversation = {
  id: number;
  subject: string;
  status: Status;
  priority: Priority;
  channel: Channel;
  customerId: number;
  assigneeId: number | null;
  teamId: number | null;
  tags: string[];
  lastMessagePreview: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  contactReasonId?: number | null;
  contactReasonSource?: 'agent' | 'suggestion' | 'rule' | 'model' | null;
  contactReasonSetById?: number | null;
  contactReasonSetAt?: string | null;
  /** A person said no reason of the taxonomy fits (`contactReasonId` is null). */
  contactReasonNoneFits?: boolean;
  /** Set when an agent merged this conversation into another one. */
  mergedIntoId?: number | null;
  /** The next SLA deadline still to meet, and when it becomes at risk. */
  slaNextDueAt?: string | null;
  slaWarnAt?: string | null;
  distressSignals?: DistressSignal[];
  distressLevel?: number;
};

export type Message = {
  id: number;
  conversationId: number;
  direction: 'inbound' | 'outbound' | 'note';
  channel: Channel;
  authorCustomerId: number | null;
  authorPersonId: number | null;
  body: string;
  attachments?: AttachmentRef[];
  email?: {
    from: string | null;
    to: string[];
    cc: string[];
    bcc: string[];
    subject: string | null;
    fullText: string | null;
    forward: boolean;
  } | null;
  links?: { url: string; filename: string | null }[];
  call?: {
    direction: 'inbound' | 'outbound';
    durationSeconds: number;
    outcome: 'resolved' | 'follow_up' | 'no_answer' | 'voicemail' | 'callback_agreed';
  } | null;
  delivery?: {
    state: 'queued' | 'sent' | 'failed' | 'bounced';
    detail: string | null;
    at: string | null;
  } | null;
  createdAt: string;
};

export type TimelineEvent = {
  id: number;
  type: string;
  actorType: string;
  actorId: number | null;
  data: Record<string, unknown>;
  createdAt: string;
};

export type CustomerSummary = {
  id: number;
  name: string;
  company: string | null;
  tier: string | null;
};

/** A row of GET /conversations (and /customers/:id/conversations): the customer comes with it. */
export type ConversationListItem = Conversation & { customer: CustomerSummary };

export type ConversationDetail = {
  conversation: Conversation;
  customer: CustomerSummary | null;
  messages: Message[];
  messagesNextCursor: string | null;
  events: TimelineEvent[];
};

export type Identity = { id: number; kind: string; value: string; createdAt: string };

export type Customer = CustomerSummary & {
  locale: string | null;
  timeZone: string | null;
  customerSince: string | null;
  lifetimeValue: number | null;
  notes: string | null;
  /** Custom attributes: a small JSON object (plan, account manager, …). */
  attributes?: Record<string, unknown>;
  identities: Identity[];
  createdAt: string;
};

export type SearchResult = {
  messages: Array<{
    messageId: number;
    conversationId: number;
    subject: string;
    status: Status;
    channel: Channel;
    direction: string;
    createdAt: string;
    snippet: Array<{ text: string; match: boolean }>;
  }>;
  customers: Array<{ customer: Customer; rank: number }>;
};

export type ApiToken = {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
