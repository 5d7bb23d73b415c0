import type { ConversationStatus } from '../../db/schema/conversations.js';

/**
 * The conversation status rules, as pure functions of (facts, event, time): no I/O, so the whole table can be
 * walked by a test and every caller (API, channels, jobs) applies exactly the same rules.
 */
export type StatusFacts = {
  status: ConversationStatus;
  firstInboundAt: Date | null;
  firstResponseAt: Date | null;
  lastInboundAt: Date | null;
  lastOutboundAt: Date | null;
  solvedAt: Date | null;
  closedAt: Date | null;
  reopenedCount: number;
};

export type ConversationEvent =
  | { kind: 'inbound'; at: Date }
  /** A reply; `setStatus` is the status the agent asks for with it ("reply and set pending"). */
  | { kind: 'outbound'; at: Date; setStatus?: ConversationStatus }
  | { kind: 'note'; at: Date }
  /** A manual change (PATCH) or a job (auto-close). */
  | { kind: 'set_status'; to: ConversationStatus; at: Date };

/** Named so events and jobs can follow: `conversation.solved`, `conversation.reopened`... */
export type StatusChangeKind = 'status_changed' | 'solved' | 'reopened' | 'closed';
export type StatusChange = { from: ConversationStatus; to: ConversationStatus; kind: StatusChangeKind };

export type RefusalCode = 'INVALID_STATUS_TRANSITION' | 'CONVERSATION_CLOSED';

export type Decision =
  | { kind: 'apply'; facts: StatusFacts; change: StatusChange | null }
  /** Closed is final: a customer writing again starts a new conversation linked to the closed one. */
  | { kind: 'start_new' }
  | { kind: 'refuse'; code: RefusalCode; message: string };

export type TransitionVerdict = 'same' | 'allowed' | RefusalCode;

/**
 * The manual transition table. Closed is final. `new` means "nobody has handled it yet", which first-response
 * metrics rely on, so nothing goes back to it. Closing is the step after solving (the customer had their
 * answer), so only a solved conversation closes.
 */
export function checkTransition(from: ConversationStatus, to: ConversationStatus): TransitionVerdict {
  if (from === 'closed') return 'CONVERSATION_CLOSED';
  if (from === to) return 'same';
  if (to === 'new') return 'INVALID_STATUS_TRANSITION';
  if (to === 'closed' && from !== 'solved') return 'INVALID_STATUS_TRANSITION';
  return 'allowed';
}

export function changeKind(from: ConversationStatus, to: ConversationStatus): StatusChangeKind {
  if (to === 'solved') return 'solved';
  if (to === 'closed') return 'closed';
  if (from === 'solved') return 'reopened';
  return 'status_changed';
}

const refusal = (code: RefusalCode, from: ConversationStatus, to?: ConversationStatus): Decision => ({
  kind: 'refuse',
  code,
  message:
    code === 'CONVERSATION_CLOSED'
      ? 'The conversation is closed; a new message from the customer starts a new one'
      : to === 'closed'
        ? `A ${from} conversation can't be closed: solve it first`
        : `A ${from} conversation can't become ${to}`,
});

/** Moves the facts to `to`; solved_at describes the current solve (earlier ones are in the event log). */
function moveTo(
  facts: StatusFacts,
  to: ConversationStatus,
  at: Date,
): { facts: StatusFacts; change: StatusChange } {
  const kind = changeKind(facts.status, to);
  const next: StatusFacts = { ...facts, status: to };
  if (kind === 'solved') next.solvedAt = at;
  if (kind === 'closed') next.closedAt = at;
  if (kind === 'reopened') {
    next.reopenedCount = facts.reopenedCount + 1;
    next.solvedAt = null;
  }
  return { facts: next, change: { from: facts.status, to, kind } };
}

function setStatus(facts: StatusFacts, to: ConversationStatus, at: Date): Decision {
  const verdict = checkTransition(facts.status, to);
  if (verdict === 'same') return { kind: 'apply', facts, change: null };
  if (verdict !== 'allowed') return refusal(verdict, facts.status, to);
  return { kind: 'apply', ...moveTo(facts, to, at) };
}

/** What an event does to a conversation. */
export function decide(facts: StatusFacts, event: ConversationEvent): Decision {
  const { status } = facts;
  switch (event.kind) {
    case 'inbound': {
      if (status === 'closed') return { kind: 'start_new' };
      const stamped: StatusFacts = {
        ...facts,
        firstInboundAt: facts.firstInboundAt ?? event.at,
        lastInboundAt: event.at,
      };
      // The customer spoke: whatever we were waiting for, the ball is back with us. A new one stays new.
      if (status === 'new' || status === 'open') return { kind: 'apply', facts: stamped, change: null };
      return { kind: 'apply', ...moveTo(stamped, 'open', event.at) };
    }
    case 'outbound': {
      if (status === 'closed') return refusal('CONVERSATION_CLOSED', status);
      const stamped: StatusFacts = {
        ...facts,
        lastOutboundAt: event.at,
        // A response answers something: a conversation we started ourselves has no first response until
        // the customer has written and we reply.
        firstResponseAt: facts.firstResponseAt ?? (facts.firstInboundAt ? event.at : null),
      };
      // Answering and calling it untouched (`new`) contradict each other.
      if (event.setStatus === 'new') return refusal('INVALID_STATUS_TRANSITION', status);
      if (event.setStatus !== undefined) return setStatus(stamped, event.setStatus, event.at);
      // `new` means nobody has handled it yet; once an agent has answered, it is open (as in Zendesk).
      if (status === 'new') return { kind: 'apply', ...moveTo(stamped, 'open', event.at) };
      return { kind: 'apply', facts: stamped, change: null };
    }
    case 'note':
      if (status === 'closed') return refusal('CONVERSATION_CLOSED', status);
      return { kind: 'apply', facts, change: null };
    case 'set_status':
      return setStatus(facts, event.to, event.at);
  }
}

/**
 * A conversation's facts at creation. Started by the customer it is `new`; started by us (an outbound first
 * message) we are waiting for the customer, so it is `pending`.
 */
export function initialFacts(direction: 'inbound' | 'outbound', at: Date): StatusFacts {
  const inbound = direction === 'inbound';
  return {
    status: inbound ? 'new' : 'pending',
    firstInboundAt: inbound ? at : null,
    firstResponseAt: null,
    lastInboundAt: inbound ? at : null,
    lastOutboundAt: inbound ? null : at,
    solvedAt: null,
    closedAt: null,
    reopenedCount: 0,
  };
}

/** The event type a status change is recorded under. */
export const statusEventType = (kind: StatusChangeKind): string => `conversation.${kind}`;
