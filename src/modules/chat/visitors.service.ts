import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  randomSecret,
  safeEqual,
  sha256,
  systemActor,
} from '../../platform/index.js';
import { calendarForTeam, isOpen, nextOpen } from '../calendars/index.js';
import { addMessage, type Caller, createConversation, mergeCustomers } from '../conversations/index.js';
import {
  addIdentityDuringIntake,
  findOrCreateCustomerByIdentity,
  listIdentities,
} from '../customers/index.js';
import { someoneOnline } from '../people/index.js';
import {
  addVisitorConversation,
  type ChatLine,
  type ChatVisitor,
  type ChatWidget,
  findVisitor,
  findVisitorById,
  insertVisitor,
  lockVisitor,
  updateVisitor,
  visitorLines,
} from './chat.repo.js';

/** Whether a reply can come now: inside the calendar's hours with someone of the team online. */
export type Availability =
  | { open: true }
  | { open: false; reason: 'closed' | 'no_agent'; nextOpenAt: Date | null };

export async function widgetAvailability(deps: Deps, widget: ChatWidget): Promise<Availability> {
  const now = deps.clock.now();
  const calendar = await calendarForTeam(deps.db, widget.workspaceId, widget.teamId);
  if (!isOpen(calendar, now)) return { open: false, reason: 'closed', nextOpenAt: nextOpen(calendar, now) };
  if (!(await someoneOnline(deps.db, widget.workspaceId, widget.teamId)))
    return { open: false, reason: 'no_agent', nextOpenAt: null };
  return { open: true };
}

/**
 * The visitor a connection speaks for: the one its id and secret token name (kept in the browser's
 * localStorage), else a new one whose token is returned once. A wrong token is a new visitor, never an error
 * that would tell a guesser the id exists.
 */
export async function openVisitor(
  deps: Deps,
  widget: ChatWidget,
  claim: { visitorId?: string; token?: string },
): Promise<{ visitor: ChatVisitor; token?: string }> {
  const now = deps.clock.now();
  if (claim.visitorId && claim.token) {
    const found = await findVisitor(deps.db, widget, claim.visitorId);
    if (found && safeEqual(found.tokenHash, sha256(claim.token))) {
      const visitor = await updateVisitor(deps.db, widget.workspaceId, found.id, { lastSeenAt: now });
      return { visitor };
    }
  }
  const token = randomSecret(32);
  const visitor = await insertVisitor(deps.db, {
    workspaceId: widget.workspaceId,
    widgetId: widget.id,
    publicId: randomSecret(18),
    tokenHash: sha256(token),
    createdAt: now,
    lastSeenAt: now,
  });
  return { visitor, token };
}

/** Inbound chat messages are the customer's; before the customer exists, the system creates it. */
function callerFor(visitor: ChatVisitor): Caller {
  const actor: Actor = visitor.customerId ? { type: 'customer', id: visitor.customerId } : systemActor;
  return { actor, personId: 0, canReassign: false };
}

/**
 * The visitor's customer, found or created in one transaction under the visitor's row lock: by the e-mail
 * the visitor gave (the chat identity is added to that customer), else by the chat identity alone.
 */
async function customerOf(deps: Deps, visitor: ChatVisitor): Promise<Result<ChatVisitor>> {
  return inTransaction(deps.db, async (tx) => {
    const locked = await lockVisitor(tx, visitor.workspaceId, visitor.id);
    if (!locked) return fail('NOT_FOUND', 'Visitor not found');
    const now = deps.clock.now();
    const chat = { kind: 'chat' as const, value: locked.publicId };
    const found = await findOrCreateCustomerByIdentity(
      tx,
      locked.workspaceId,
      locked.email ? { kind: 'email', value: locked.email } : chat,
      { name: locked.name ?? undefined },
      now,
      systemActor,
    );
    if (!found.ok) return found;
    const customerId = found.value.customer.id;
    if (locked.email) {
      const added = await addIdentityDuringIntake(tx, locked.workspaceId, customerId, chat, now, systemActor);
      if (!added.ok) return added;
    }
    return ok(await updateVisitor(tx, locked.workspaceId, locked.id, { customerId }));
  });
}

export type Received = { line: ChatLine; visitor: ChatVisitor; duplicate: boolean };

/** The message a duplicate intake names, as the visitor sees it (acknowledged again, never stored twice). */
async function original(deps: Deps, visitor: ChatVisitor, details: unknown): Promise<Result<Received>> {
  const d = details as { messageId?: number; conversationId?: number };
  if (!d.messageId || !d.conversationId) return fail('INTERNAL', 'The original message was not found');
  const withIt = await addVisitorConversation(deps.db, visitor.workspaceId, visitor.id, d.conversationId);
  const [line] = await visitorLines(deps.db, visitor.workspaceId, [d.conversationId], d.messageId - 1, 1);
  if (!line || line.id !== d.messageId) return fail('INTERNAL', 'The original message was not found');
  return ok({ line, visitor: withIt, duplicate: true });
}

/**
 * A visitor's message, stored once: its external id is the visitor's id and the widget's client id, so a
 * message resent after a lost acknowledgement is found, not stored again. The first message starts the
 * conversation (channel chat, the widget's team); later ones join the visitor's latest conversation, and a
 * closed one is continued by a new, linked conversation (the status rules).
 */
export async function receiveMessage(
  deps: Deps,
  widget: ChatWidget,
  known: ChatVisitor,
  clientId: string,
  text: string,
): Promise<Result<Received>> {
  // Before the first conversation, as stored now: another tab of the same browser (perhaps served by another
  // process) may have started the chat meanwhile. Later, what this connection knows is enough.
  const visitor =
    known.conversationIds.length > 0
      ? known
      : ((await findVisitorById(deps.db, known.workspaceId, known.id)) ?? known);
  const externalId = `${visitor.publicId}:${clientId}`;
  const latest = visitor.conversationIds.at(-1);
  if (latest !== undefined) {
    const added = await addMessage(deps, visitor.workspaceId, latest, callerFor(visitor), {
      direction: 'inbound',
      body: text,
      channel: 'chat',
      externalId,
    });
    if (added.ok) {
      // A new conversation (the last one was closed), or the one the last was merged into.
      const now =
        added.value.conversation.id !== latest
          ? await addVisitorConversation(
              deps.db,
              visitor.workspaceId,
              visitor.id,
              added.value.conversation.id,
            )
          : visitor;
      const m = added.value.message;
      return ok({ line: toLine(m), visitor: now, duplicate: false });
    }
    if (added.code === 'DUPLICATE_EXTERNAL_ID') return original(deps, visitor, added.details);
    if (added.code !== 'CONVERSATION_NOT_FOUND') return added;
    // The conversation is gone (erased): start a new one below.
  }
  const withCustomer = visitor.customerId ? ok(visitor) : await customerOf(deps, visitor);
  if (!withCustomer.ok) return withCustomer;
  const v = withCustomer.value;
  const created = await createConversation(deps, v.workspaceId, callerFor(v), {
    subject: `Chat: ${text.replace(/\s+/g, ' ').trim().slice(0, 80)}`,
    channel: 'chat',
    customer: { id: v.customerId! },
    message: { direction: 'inbound', body: text, externalId },
    teamId: widget.teamId,
  });
  if (!created.ok) {
    if (created.code === 'DUPLICATE_EXTERNAL_ID') return original(deps, v, created.details);
    return created;
  }
  const after = await addVisitorConversation(deps.db, v.workspaceId, v.id, created.value.conversation.id);
  return ok({ line: toLine(created.value.message), visitor: after, duplicate: false });
}

function toLine(m: {
  id: number;
  conversationId: number;
  direction: string;
  bodyText: string;
  authorPersonId: number | null;
  externalId: string | null;
  createdAt: Date;
}): ChatLine {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction as 'inbound' | 'outbound',
    text: m.bodyText,
    authorPersonId: m.authorPersonId,
    externalId: m.externalId,
    createdAt: m.createdAt,
  };
}

/**
 * The visitor says who they are. The name and e-mail are kept on the visitor; once the visitor is a customer,
 * the customer with that e-mail (found or created) absorbs the visitor's customer (a merge: conversations,
 * identities and authorship move), so one person has one timeline. The visitor still reads only the
 * conversations it started: an e-mail typed into a widget proves nothing about owning it. For the same
 * reason only an anonymous customer (known by chat identities alone) is ever merged away: a visitor who
 * typed a second address must not fold a real customer, with its e-mail history, into another.
 */
export async function identifyVisitor(
  deps: Deps,
  visitor: ChatVisitor,
  input: { name?: string; email?: string },
): Promise<Result<ChatVisitor>> {
  const name = input.name?.trim().slice(0, 200) || visitor.name;
  const email = input.email?.trim().toLowerCase() || visitor.email;
  let updated = await updateVisitor(deps.db, visitor.workspaceId, visitor.id, { name, email });
  if (!updated.customerId || !email || email === visitor.email) return ok(updated);
  const identities = await listIdentities(deps.db, updated.workspaceId, [updated.customerId]);
  if (identities.some((i) => i.kind !== 'chat')) return ok(updated);
  const now = deps.clock.now();
  const owner = await inTransaction(deps.db, async (tx) =>
    findOrCreateCustomerByIdentity(
      tx,
      updated.workspaceId,
      { kind: 'email', value: email },
      { name: name ?? undefined },
      now,
      { type: 'customer', id: updated.customerId! },
    ),
  );
  if (!owner.ok) return owner;
  const targetId = owner.value.customer.id;
  if (targetId !== updated.customerId) {
    const merged = await mergeCustomers(deps, updated.workspaceId, targetId, updated.customerId, systemActor);
    if (!merged.ok && merged.code !== 'ALREADY_MERGED') return merged;
    updated = await updateVisitor(deps.db, updated.workspaceId, updated.id, { customerId: targetId });
  }
  return ok(updated);
}
