import type { Channel, ConversationStatus } from '../../db/schema/index.js';
import { type ConversationEvent, decide, initialFacts, type StatusFacts } from '../conversations/index.js';
import type { ConversationRow, EventRow, MessageRow } from './rows.js';

/** One thing that happens in a conversation, planned before we know whether it happens before `now`. */
export type Step =
  | { kind: 'inbound'; t: number; text: string; channel: Channel }
  /** A reply, and the status the agent sets with it ("reply and set pending"). */
  | {
      kind: 'outbound';
      t: number;
      text: string;
      by: number;
      channel: Channel;
      setStatus?: ConversationStatus;
    }
  | { kind: 'note'; t: number; text: string; by: number }
  | { kind: 'assign'; t: number; to: number; by: number }
  /** A status change without a message: an agent's, or the system's (`by: null`, the auto-close). */
  | { kind: 'status'; t: number; to: ConversationStatus; by: number | null };

/** The conversation's fixed attributes; the player derives status, counters and timestamps. */
export type TimelineHead = Omit<
  ConversationRow,
  keyof StatusFacts | 'assigneeId' | 'lastMessagePreview' | 'messageCount' | 'updatedAt'
>;

export type IdCounters = { message: number; event: number; job: number };

/** The inbox line, as the conversations module makes it: whitespace collapsed, at most 200 characters. */
export function preview(text: string): string {
  return Array.from(text.slice(0, 1000).replace(/\s+/g, ' ').trim()).slice(0, 200).join('');
}

const messageEventType = {
  inbound: 'message.received',
  outbound: 'message.sent',
  note: 'note.added',
} as const;

type Player = {
  c: ConversationRow;
  facts: StatusFacts;
  customerId: number;
  ids: IdCounters;
  messages: MessageRow[];
  events: EventRow[];
};

function event(
  p: Player,
  type: string,
  at: Date,
  actorType: EventRow['actorType'],
  actorId: number | null,
  data: Record<string, unknown>,
) {
  p.events.push({
    workspaceId: p.c.workspaceId,
    id: ++p.ids.event,
    type,
    entityType: 'conversation',
    entityId: p.c.id,
    actorType,
    actorId,
    data,
    createdAt: at,
  });
}

/** Applies the conversations module's own status rules, and records the change as it would. */
function apply(
  p: Player,
  step: ConversationEvent,
  actorType: EventRow['actorType'],
  actorId: number | null,
  extra = {},
) {
  const decision = decide(p.facts, step);
  if (decision.kind !== 'apply') {
    const why = decision.kind === 'refuse' ? decision.message : 'a closed conversation got a message';
    throw new Error(`demo conversation ${p.c.id} broke a status rule at ${step.at.toISOString()}: ${why}`);
  }
  p.facts = decision.facts;
  const change = decision.change;
  if (change) {
    event(p, `conversation.${change.kind}`, step.at, actorType, actorId, {
      before: { status: change.from },
      after: { status: change.to },
      ...extra,
    });
  }
}

function message(p: Player, s: Step & { kind: 'inbound' | 'outbound' | 'note' }, at: Date): number {
  const id = ++p.ids.message;
  const channel = s.kind === 'note' ? p.c.channel : s.channel;
  const inbound = s.kind === 'inbound';
  p.messages.push({
    workspaceId: p.c.workspaceId,
    id,
    conversationId: p.c.id,
    direction: s.kind,
    channel,
    authorCustomerId: inbound ? p.customerId : null,
    authorPersonId: inbound ? null : s.by,
    bodyText: s.text,
    bodyHtml: null,
    externalId: s.kind === 'note' ? null : externalId(channel, id),
    attachments: [],
    channelMeta: null,
    // History: a reply on a delivering channel went out long ago.
    deliveryState: s.kind === 'outbound' && channel === 'email' ? 'sent' : null,
    deliveryDetail: null,
    deliveryAt: s.kind === 'outbound' && channel === 'email' ? at : null,
    createdAt: at,
  });
  p.c.messageCount++;
  event(p, messageEventType[s.kind], at, inbound ? 'customer' : 'person', inbound ? p.customerId : s.by, {
    messageId: id,
    direction: s.kind,
    channel,
  });
  return id;
}

/**
 * Plays the planned steps that happened up to `now` through the conversations module's status rules
 * (`decide`), so status, timestamps, counters and events agree with the messages exactly as if the
 * conversation had gone through Steward: an inbound message reopens a solved conversation, solving stamps
 * `solved_at`, reopening clears it, closing comes only after solving.
 */
export function playTimeline(
  head: TimelineHead,
  customerId: number,
  steps: readonly Step[],
  now: number,
  ids: IdCounters,
): { conversation: ConversationRow; messages: MessageRow[]; events: EventRow[] } {
  const first = steps[0];
  if (first?.kind !== 'inbound') throw new Error('a demo conversation starts with the customer writing');
  const created = head.createdAt;
  const facts = initialFacts('inbound', created);
  const c: ConversationRow = {
    ...head,
    ...facts,
    assigneeId: null,
    lastMessagePreview: '',
    messageCount: 0,
    updatedAt: created,
  };
  const p: Player = { c, facts, customerId, ids, messages: [], events: [] };
  event(p, 'conversation.created', created, 'customer', customerId, {
    after: {
      status: c.status,
      channel: c.channel,
      customerId,
      assigneeId: null,
      teamId: c.teamId,
      priority: c.priority,
    },
  });
  let lastText = '';
  for (const s of steps) {
    if (s.t > now) break;
    const at = new Date(s.t);
    c.updatedAt = at;
    switch (s.kind) {
      case 'inbound': {
        message(p, s, at);
        lastText = s.text;
        if (s !== first) apply(p, { kind: 'inbound', at }, 'customer', customerId);
        break;
      }
      case 'outbound': {
        const messageId = message(p, s, at);
        lastText = s.text;
        const reply: ConversationEvent = s.setStatus
          ? { kind: 'outbound', at, setStatus: s.setStatus }
          : { kind: 'outbound', at };
        apply(p, reply, 'person', s.by, { messageId });
        break;
      }
      case 'note':
        message(p, s, at);
        break;
      case 'assign':
        event(p, 'conversation.assigned', at, 'person', s.by, {
          before: { assigneeId: c.assigneeId },
          after: { assigneeId: s.to },
        });
        c.assigneeId = s.to;
        break;
      case 'status':
        if (s.by === null)
          apply(p, { kind: 'set_status', to: s.to, at }, 'system', null, { cause: 'auto_close' });
        else apply(p, { kind: 'set_status', to: s.to, at }, 'person', s.by);
        break;
    }
  }
  Object.assign(c, p.facts);
  c.lastMessagePreview = preview(lastText);
  return { conversation: c, messages: p.messages, events: p.events };
}

/** The id a channel would have given the message; unique per channel because it embeds the message id. */
function externalId(channel: Channel, id: number): string | null {
  switch (channel) {
    case 'email':
    case 'webform':
      return `<demo-${id}@mail.example.com>`;
    case 'sms':
      return `SM${id.toString(16).padStart(32, '0')}`;
    case 'whatsapp':
      return `wamid.demo${id}`;
    case 'social':
      return `social-${id}`;
    case 'chat':
      return `chat-${id}`;
    default:
      return null;
  }
}
