import type { Tx } from '../../db/index.js';
import { type EventConsumer, type StoredEvent, systemActor } from '../../platform/index.js';
import { type Conversation, findConversation, findMessage } from '../conversations/index.js';
import { rankedReasonsFor } from '../understanding/index.js';
import { loadCandidates, TEXT_CHARS } from './candidates.repo.js';
import { earliest, isAcknowledgement } from './contacts.js';
import { decideMatter } from './decide.js';
import { readEscalationSettings } from './escalations.repo.js';
import { escalate, escalationTarget } from './escalations.service.js';
import { repeatWindowDays } from './matter-view.repo.js';
import {
  type Assignment,
  assignConversation,
  contactsOfConversation,
  countContact,
  findMatter,
  insertContact,
  insertMatter,
  lastContactIn,
  lockMatters,
  type Matter,
  matterFacts,
  matterOfConversation,
  moveContacts,
  notifyMatterChanged,
  repliedBetween,
  setMatterCustomer,
  unassignConversation,
} from './matters.repo.js';
import { moveConversation, recordAssigned, refreshMatter, why } from './matters.service.js';

export const MATTERS_CONSUMER = 'matters';
const DAY = 86_400_000;

/**
 * Keeps contacts and matters as conversations go (PRODUCT.md "Contact", "Matter"):
 * - a customer message is a contact when it opens the conversation, or arrives after the company's last reply
 *   and is neither an acknowledgement nor an automatic reply; the conversation's first contact decides its
 *   matter (`decideMatter`: continued from the closed conversation it follows, same reason, similar text or
 *   the same predicted reason, else a new matter), later ones count on the same matter;
 * - solving, closing and reopening recompute the matter's status (solved when all its conversations are);
 * - a reason set on a conversation that is alone on a matter Steward started moves it to the customer's
 *   matter with that reason, when there is one within the window;
 * - merges, splits and a change of customer move contacts with their messages.
 */
export const MATTER_EVENT_TYPES = [
  'message.received',
  'conversation.solved',
  'conversation.closed',
  'conversation.reopened',
  'conversation.status_changed',
  'conversation.contact_reason_set',
  'conversation.merged_into',
  'conversation.split',
  'conversation.customer_changed',
] as const;

/** Live: as events arrive. A backfill replays history: no escalations, no timeline entries, no pushes. */
export type MatterMode = {
  live: boolean;
  /** A replay's record of the conversations it gave a matter (so it never takes one for another's). */
  assigned?: Set<number>;
};
const LIVE: MatterMode = { live: true };

export const mattersConsumer: EventConsumer = {
  types: MATTER_EVENT_TYPES,
  async handle(tx, event, ctx) {
    // One writer of a workspace's matters at a time: the live consumer or a replay's chunk (backfill.job.ts).
    await lockMatters(tx, event.workspaceId);
    await handleMatterEvent(tx, event, ctx.clock.now(), LIVE);
  },
};

export async function handleMatterEvent(
  tx: Tx,
  event: StoredEvent,
  now: Date,
  mode: MatterMode,
): Promise<void> {
  const ws = event.workspaceId;
  switch (event.type) {
    case 'message.received':
      return onInbound(tx, event, now, mode);
    case 'conversation.contact_reason_set':
      return onReasonSet(tx, ws, event.entityId, now, mode.live);
    case 'conversation.merged_into':
      return onMerged(tx, ws, event.entityId, Number(event.data.targetId), now, mode);
    case 'conversation.split':
      return onSplit(tx, event, now, mode);
    case 'conversation.customer_changed':
      return onCustomerChanged(tx, ws, event.entityId, now, mode.live);
    default: {
      const mine = await matterOfConversation(tx, ws, event.entityId);
      if (mine) await refreshMatter(tx, ws, mine.matterId, now, mode.live);
    }
  }
}

async function onInbound(tx: Tx, event: StoredEvent, now: Date, mode: MatterMode): Promise<void> {
  const ws = event.workspaceId;
  if (typeof event.data.messageId !== 'number') return;
  const message = await findMessage(tx, ws, event.data.messageId);
  if (message?.direction !== 'inbound') return;
  const conversation = await findConversation(tx, ws, message.conversationId);
  if (!conversation) return;
  if (message.channelMeta?.autoSubmitted) return;
  const text = message.bodyText ?? '';
  const mine = await matterOfConversation(tx, ws, conversation.id);
  const ack = isAcknowledgement(text);
  if (mine) {
    // Messages before the company's next reply are one contact; a thank-you after it is none.
    if (ack) return;
    const last = await lastContactIn(tx, ws, conversation.id);
    if (last && !(await repliedBetween(tx, ws, conversation.id, last.messageId, message.id))) return;
    await insertContact(tx, contactOf(conversation, message, mine.matterId, 'returned'));
    const matter = await countContact(tx, ws, mine.matterId, { ...contactAt(message), reopen: false }, now);
    if (!mode.live) return;
    await notifyMatterChanged(tx, ws, mine.matterId);
    await escalateOnRepeat(tx, matter ?? null, conversation, now);
    return;
  }
  // The first contact in the conversation. When the company wrote first, a mere thank-you is none.
  if (ack && (await repliedBetween(tx, ws, conversation.id, 0, message.id))) return;
  const decision = await decide(tx, conversation, text, message.createdAt);
  if (decision.matterId === null) {
    // A matter of its own, complete as written: one contact (no escalation can be due).
    const created = await insertMatter(
      tx,
      {
        workspaceId: ws,
        customerId: conversation.customerId,
        firstConversationId: conversation.id,
        at: message.createdAt,
      },
      { channel: message.channel, contactReasonId: conversation.contactReasonId },
    );
    await assignConversation(tx, ws, conversation.id, created.id, decision.why, now, false);
    mode.assigned?.add(conversation.id);
    await insertContact(tx, contactOf(conversation, message, created.id, 'opened'));
    if (!mode.live) return;
    await notifyMatterChanged(tx, ws, created.id);
    await recordAssigned(tx, ws, conversation.id, created.id, decision.why, systemActor, now);
    return;
  }
  const matterId = decision.matterId;
  await assignConversation(tx, ws, conversation.id, matterId, decision.why, now, false);
  mode.assigned?.add(conversation.id);
  await insertContact(tx, contactOf(conversation, message, matterId, 'opened'));
  const matter = await countContact(tx, ws, matterId, { ...contactAt(message), reopen: true }, now);
  if (!mode.live) return;
  await notifyMatterChanged(tx, ws, matterId);
  await recordAssigned(tx, ws, conversation.id, matterId, decision.why, systemActor, now);
  await escalateOnRepeat(tx, matter ?? null, conversation, now);
}

const contactAt = (message: { channel: Conversation['channel']; createdAt: Date }) => ({
  channel: message.channel,
  at: message.createdAt,
});

/**
 * The matter's contact that reaches the workspace's threshold (default the third) escalates it, once: to the
 * settings' target, with a call-back due in business hours, and the customer told who will call and when.
 */
async function escalateOnRepeat(tx: Tx, matter: Matter | null, conversation: Conversation, now: Date) {
  if (!matter || matter.contactCount < 2) return; // the threshold is at least 2
  const settings = await readEscalationSettings(tx, matter.workspaceId);
  if (!settings.enabled || matter.contactCount < settings.contactThreshold) return;
  await escalate(tx, {
    conversation,
    matterId: matter.id,
    kind: 'automatic',
    level: 'lead',
    reason: `The customer contacted us ${matter.contactCount} times about this matter`,
    target: await escalationTarget(tx, settings, conversation, { level: 'automatic', askedBy: null }),
    callbackHours: settings.callbackBusinessHours,
    raisePriority: settings.raisePriority,
    tellCustomer: settings.tellCustomer,
    createdById: null,
    actor: systemActor,
    now,
  });
}

const contactOf = (
  conversation: Conversation,
  message: { id: number; channel: Conversation['channel']; createdAt: Date },
  matterId: number,
  kind: 'opened' | 'returned',
) => ({
  workspaceId: conversation.workspaceId,
  conversationId: conversation.id,
  matterId,
  messageId: message.id,
  kind,
  channel: message.channel,
  at: message.createdAt,
});

/** Which matter a conversation's first contact joins (null: a new one), and why. */
async function decide(
  tx: Tx,
  conversation: Conversation,
  text: string,
  at: Date,
): Promise<{ matterId: number | null; why: Assignment }> {
  const ws = conversation.workspaceId;
  const windowDays = await repeatWindowDays(tx, ws);
  // The customer wrote again on a closed conversation: the new one continues its matter, if still in reach.
  if (conversation.previousConversationId !== null) {
    const previous = await matterOfConversation(tx, ws, conversation.previousConversationId);
    const matter = previous && (await findMatter(tx, ws, previous.matterId));
    if (
      matter &&
      matter.customerId === conversation.customerId &&
      (matter.status === 'open' || at.getTime() - matter.lastContactAt.getTime() <= windowDays * DAY)
    )
      return {
        matterId: matter.id,
        why: { ...why('continued'), comparedConversationId: conversation.previousConversationId },
      };
  }
  const candidates = await loadCandidates(tx, ws, conversation.customerId, at, windowDays);
  const texts = [text.slice(0, TEXT_CHARS)];
  const predicted =
    candidates.length > 0 && text.trim() !== '' ? await rankedReasonsFor(tx, ws, texts[0] as string) : [];
  const d = decideMatter({
    reasonId: conversation.contactReasonId,
    texts,
    predicted,
    at,
    candidates,
    windowDays,
  });
  if (d.kind === 'new') return { matterId: null, why: why(d.rule, null, d.score) };
  const joined = candidates.find((c) => c.matterId === d.matterId);
  return {
    matterId: d.matterId,
    why: { ...why(d.rule, null, d.score), comparedConversationId: joined?.firstConversationId ?? null },
  };
}

/** A reason set on a conversation alone on the matter Steward started for it: join a matter with that reason. */
async function onReasonSet(
  tx: Tx,
  ws: number,
  conversationId: number,
  now: Date,
  live: boolean,
): Promise<void> {
  const mine = await matterOfConversation(tx, ws, conversationId);
  if (!mine) return;
  if (mine.rule !== 'no_candidate' && mine.rule !== 'not_similar') {
    await refreshMatter(tx, ws, mine.matterId, now, live); // the matter's reason may follow
    return;
  }
  const conversation = await findConversation(tx, ws, conversationId);
  const matter = await findMatter(tx, ws, mine.matterId);
  if (!conversation || !matter || conversation.contactReasonId === null) return;
  const facts = await matterFacts(tx, ws, mine.matterId);
  if (facts.conversations.length > 1) {
    await refreshMatter(tx, ws, mine.matterId, now, live);
    return;
  }
  const windowDays = await repeatWindowDays(tx, ws);
  const candidates = await loadCandidates(
    tx,
    ws,
    conversation.customerId,
    matter.firstContactAt,
    windowDays,
    mine.matterId,
  );
  const same = candidates
    .filter((c) => c.lastContactAt <= matter.firstContactAt || c.open)
    .find((c) => c.reasonIds.includes(conversation.contactReasonId as number));
  if (!same) {
    await refreshMatter(tx, ws, mine.matterId, now, live);
    return;
  }
  await moveConversation(
    tx,
    ws,
    conversationId,
    { matterId: same.matterId },
    { ...why('same_reason'), comparedConversationId: same.firstConversationId },
    systemActor,
    now,
    live,
  );
}

/** A merged conversation's contacts go with its messages into the conversation it was merged into. */
async function onMerged(
  tx: Tx,
  ws: number,
  sourceId: number,
  targetId: number,
  now: Date,
  mode: MatterMode,
): Promise<void> {
  if (!Number.isSafeInteger(targetId)) return;
  const source = await matterOfConversation(tx, ws, sourceId);
  if (!source) return;
  const target = await matterOfConversation(tx, ws, targetId);
  if (!target) {
    // The target had no contact yet: it takes the source's place on its matter.
    await assignConversation(tx, ws, targetId, source.matterId, source, now);
    mode.assigned?.add(targetId);
    await moveContacts(tx, ws, targetId, source.matterId, { conversationId: sourceId });
    await unassignConversation(tx, ws, sourceId);
    await refreshMatter(tx, ws, source.matterId, now, mode.live);
    return;
  }
  await moveContacts(tx, ws, targetId, target.matterId, { conversationId: sourceId });
  await unassignConversation(tx, ws, sourceId);
  if (source.matterId !== target.matterId) await refreshMatter(tx, ws, source.matterId, now, mode.live);
  await refreshMatter(tx, ws, target.matterId, now, mode.live);
}

/** Contacts whose messages were split off go with them; the new conversation is a matter of its own. */
async function onSplit(tx: Tx, event: StoredEvent, now: Date, mode: MatterMode): Promise<void> {
  const ws = event.workspaceId;
  const createdId = Number(event.data.createdId);
  const moved = Array.isArray(event.data.movedMessageIds) ? event.data.movedMessageIds.map(Number) : [];
  const source = await matterOfConversation(tx, ws, event.entityId);
  const created = await findConversation(tx, ws, createdId);
  if (!source || !created) return;
  const taken = await contactsOfConversation(tx, ws, event.entityId);
  const set = new Set(moved);
  const movedContacts = taken.filter((c) => set.has(c.messageId));
  if (movedContacts.length === 0) return;
  const firstAt = earliest(movedContacts, now);
  const matter = await insertMatter(tx, {
    workspaceId: ws,
    customerId: created.customerId,
    firstConversationId: createdId,
    at: firstAt,
  });
  const splitWhy = { ...why('split_off'), comparedConversationId: event.entityId };
  await assignConversation(tx, ws, createdId, matter.id, splitWhy, now);
  mode.assigned?.add(createdId);
  await moveContacts(tx, ws, createdId, matter.id, { messageIds: moved });
  if (movedContacts.length === taken.length) await unassignConversation(tx, ws, event.entityId);
  await refreshMatter(tx, ws, source.matterId, now, mode.live);
  await refreshMatter(tx, ws, matter.id, now, mode.live);
  if (mode.live) await recordAssigned(tx, ws, createdId, matter.id, splitWhy, systemActor, now);
}

/**
 * The conversation moved to another customer (customers merged, or split apart): when its whole matter went
 * with it, the matter changes customer; otherwise the conversation leaves for a matter of its own.
 */
async function onCustomerChanged(
  tx: Tx,
  ws: number,
  conversationId: number,
  now: Date,
  live: boolean,
): Promise<void> {
  const mine = await matterOfConversation(tx, ws, conversationId);
  const conversation = await findConversation(tx, ws, conversationId);
  if (!mine || !conversation) return;
  const facts = await matterFacts(tx, ws, mine.matterId);
  const matter = await findMatter(tx, ws, mine.matterId);
  if (!matter || matter.customerId === conversation.customerId) return;
  if (facts.conversations.every((c) => c.customerId === conversation.customerId)) {
    await setMatterCustomer(tx, ws, mine.matterId, conversation.customerId);
    return;
  }
  const firstAt = earliest(
    facts.contacts.filter((c) => c.conversationId === conversationId),
    now,
  );
  await moveConversation(
    tx,
    ws,
    conversationId,
    { newFor: { customerId: conversation.customerId, at: firstAt } },
    why('customer_changed'),
    systemActor,
    now,
    live,
  );
}
