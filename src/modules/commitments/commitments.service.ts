import type { Executor, Tx } from '../../db/index.js';
import type { CommitmentStatus } from '../../db/schema/commitments.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  publishRealtime,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { type Conversation, findConversation } from '../conversations/index.js';
import { findPerson, roleCan } from '../people/index.js';
import { calendarFor } from './calendar-of.js';
import { scheduleCommitmentJobs } from './commitments.jobs.js';
import {
  type Commitment,
  findCommitment,
  insertCommitment,
  type NewCommitment,
  updateCommitment,
} from './commitments.repo.js';
import { parseDuePhrase } from './due-phrase.js';

export type Who = { actor: Actor; personId: number };
/** A due time: an instant, or a phrase read with the conversation's business calendar. */
export type DueInput = { dueAt?: Date; due?: string };
export type CommitmentInput = DueInput & { text?: string; ownerId?: number };

const MAX_AHEAD_MS = 2 * 366 * 86_400_000;

/** Reads a due time given as an instant or a phrase; it must lie ahead (and within two years). */
export async function resolveDue(
  db: Executor,
  conversation: Conversation,
  input: DueInput,
  now: Date,
): Promise<Result<Date | undefined>> {
  if (input.dueAt && input.due)
    return fail('INVALID_DUE', 'Give the due time as dueAt or as a phrase (due), not both');
  let due = input.dueAt;
  if (input.due !== undefined) {
    const calendar = await calendarFor(db, conversation.workspaceId, conversation.teamId);
    const parsed = parseDuePhrase(input.due, now, calendar);
    if (!parsed)
      return fail(
        'INVALID_DUE',
        `Could not read the due time “${input.due.slice(0, 100)}”: try “in 5 business days”, “tomorrow at 10” or “by Friday”`,
      );
    due = parsed;
  }
  if (due && due.getTime() <= now.getTime()) return fail('INVALID_DUE', 'The due time has already passed');
  if (due && due.getTime() - now.getTime() > MAX_AHEAD_MS)
    return fail('INVALID_DUE', 'The due time is more than two years ahead');
  return ok(due);
}

async function checkOwner(db: Executor, workspaceId: number, ownerId: number): Promise<Result<null>> {
  const person = await findPerson(db, workspaceId, ownerId);
  if (!person) return fail('PERSON_NOT_FOUND', 'The owner is not a person of this workspace', { ownerId });
  if (person.status !== 'active' || !roleCan(person.role, 'conversations.write'))
    return fail('INVALID_REFERENCE', 'The owner must be an active person who handles conversations', {
      ownerId,
    });
  return ok(null);
}

/** Agent apps showing the conversation fetch its promises again. */
export const publishChanged = (tx: Executor, c: Commitment) =>
  publishRealtime(tx, {
    workspaceId: c.workspaceId,
    type: 'commitment.changed',
    data: { conversationId: c.conversationId, commitmentId: c.id, status: c.status },
  });

const event = (c: Commitment, type: string, actor: Actor, at: Date, data: Record<string, unknown> = {}) => ({
  workspaceId: c.workspaceId,
  type,
  entityType: 'conversation',
  entityId: c.conversationId,
  actor,
  data: { commitmentId: c.id, ownerId: c.ownerId, dueAt: c.dueAt.toISOString(), text: c.text, ...data },
  at,
});

/** An agent records a promise on a conversation. The owner is the agent unless another is named. */
export async function recordCommitment(
  deps: Deps,
  workspaceId: number,
  who: Who,
  conversationId: number,
  input: CommitmentInput & { text: string },
): Promise<Result<Commitment>> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const conversation = await findConversation(tx, workspaceId, conversationId);
    if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    const ownerId = input.ownerId ?? who.personId;
    const owner = await checkOwner(tx, workspaceId, ownerId);
    if (!owner.ok) return owner;
    const due = await resolveDue(tx, conversation, input, now);
    if (!due.ok) return due;
    if (!due.value) return fail('INVALID_DUE', 'A promise needs a due time: dueAt or due');
    const row = await insertCommitment(tx, {
      workspaceId,
      conversationId,
      ownerId,
      teamId: conversation.teamId,
      text: input.text,
      dueAt: due.value,
      status: 'open',
      createdById: who.personId,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, event(row, 'commitment.created', who.actor, now));
    await scheduleCommitmentJobs(tx, row, now);
    await publishChanged(tx, row);
    return ok(row);
  });
}

async function loadOnConversation(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  id: number,
): Promise<Result<{ c: Commitment; conversation: Conversation }>> {
  const conversation = await findConversation(tx, workspaceId, conversationId);
  const c = await findCommitment(tx, workspaceId, id, true);
  if (!conversation || !c || c.conversationId !== conversationId)
    return fail('COMMITMENT_NOT_FOUND', 'Promise not found on this conversation');
  return ok({ c, conversation });
}

const notOpen = (c: Commitment, wanted: CommitmentStatus[]) =>
  fail(
    'COMMITMENT_NOT_OPEN',
    c.status === 'suggested'
      ? 'This is a suggestion: confirm or dismiss it first'
      : `This promise is ${c.status}: only ${wanted.join(' or ')} ones can be changed this way`,
    { status: c.status },
  );

/**
 * Changes what, whose or when. A new due time moves the reminder and the escalation (and a promise that had
 * already been reminded of is reminded again at the new time). Confirming a suggestion makes it open.
 */
export async function changeCommitment(
  deps: Deps,
  workspaceId: number,
  who: Who,
  conversationId: number,
  id: number,
  input: CommitmentInput,
  confirm = false,
): Promise<Result<Commitment>> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const found = await loadOnConversation(tx, workspaceId, conversationId, id);
    if (!found.ok) return found;
    const { c, conversation } = found.value;
    const wanted: CommitmentStatus[] = confirm ? ['suggested'] : ['open', 'suggested'];
    if (!wanted.includes(c.status)) return notOpen(c, wanted);
    if (input.ownerId !== undefined && input.ownerId !== c.ownerId) {
      const owner = await checkOwner(tx, workspaceId, input.ownerId);
      if (!owner.ok) return owner;
    }
    const due = await resolveDue(tx, conversation, input, now);
    if (!due.ok) return due;
    const changes: Partial<NewCommitment> = { updatedAt: now };
    if (input.text !== undefined) changes.text = input.text;
    if (input.ownerId !== undefined) changes.ownerId = input.ownerId;
    if (due.value && due.value.getTime() !== c.dueAt.getTime()) {
      changes.dueAt = due.value;
      changes.remindedAt = null;
      changes.escalatedAt = null;
    }
    if (confirm) {
      if (!changes.dueAt && c.dueAt.getTime() <= now.getTime())
        return fail('INVALID_DUE', 'The suggested due time has passed: give a new one');
      changes.status = 'open';
      changes.createdById = who.personId;
    }
    const row = await updateCommitment(tx, workspaceId, id, changes);
    const before = { text: c.text, ownerId: c.ownerId, dueAt: c.dueAt.toISOString() };
    await recordEvent(
      tx,
      event(row, confirm ? 'commitment.confirmed' : 'commitment.updated', who.actor, now, { before }),
    );
    await scheduleCommitmentJobs(tx, row, now);
    await publishChanged(tx, row);
    return ok(row);
  });
}

/** Kept (one click, an optional note), broken (a reason is required) or, for a suggestion, dismissed. */
export async function closeCommitment(
  deps: Deps,
  workspaceId: number,
  who: Who,
  conversationId: number,
  id: number,
  outcome: 'kept' | 'broken' | 'dismissed',
  note?: string,
): Promise<Result<Commitment>> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (tx) => {
    const found = await loadOnConversation(tx, workspaceId, conversationId, id);
    if (!found.ok) return found;
    const { c } = found.value;
    const wanted: CommitmentStatus[] = outcome === 'dismissed' ? ['suggested'] : ['open'];
    if (!wanted.includes(c.status)) return notOpen(c, wanted);
    const changes: Partial<NewCommitment> = { status: outcome, updatedAt: now, note: note ?? null };
    if (outcome === 'kept') changes.keptAt = now;
    if (outcome === 'broken') changes.brokenAt = now;
    const row = await updateCommitment(tx, workspaceId, id, changes);
    await recordEvent(tx, event(row, `commitment.${outcome}`, who.actor, now, note ? { note } : {}));
    await scheduleCommitmentJobs(tx, row, now);
    await publishChanged(tx, row);
    return ok(row);
  });
}
