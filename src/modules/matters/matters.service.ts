/**
 * Keeping matters (PRODUCT.md "Matter"): which matter each conversation's contacts belong to, why, and the
 * matter's figures. Used by the consumer (Steward's own decisions) and the routes (an agent's split and link).
 */
import type { Tx } from '../../db/index.js';
import type { MatterRule } from '../../db/schema/matters.js';
import { type Actor, fail, ok, publishRealtimeMany, type Result, recordEvent } from '../../platform/index.js';
import { findConversation } from '../conversations/index.js';
import { earliest, summarize } from './contacts.js';
import {
  type Assignment,
  assignConversation,
  deleteMatter,
  findMatter,
  insertMatter,
  lockMatters,
  type Matter,
  matterFacts,
  matterOfConversation,
  unassignConversation,
  writeMatter,
} from './matters.repo.js';

/**
 * Recomputes a matter from its contacts and conversations (deleted when it has no contact left), and tells the
 * agent app of every conversation on it (live; a replay of history tells nobody: it would push one change per
 * conversation of the workspace). Its reason: its first conversation's, else any of its conversations'.
 */
export async function refreshMatter(
  tx: Tx,
  workspaceId: number,
  matterId: number,
  now: Date,
  live = true,
): Promise<Matter | null> {
  const before = await findMatter(tx, workspaceId, matterId, true);
  if (!before) return null;
  const facts = await matterFacts(tx, workspaceId, matterId);
  const summary = summarize(facts.contacts, facts.conversations, before.firstSolvedAt, now);
  if (live)
    await publishRealtimeMany(
      tx,
      facts.conversations.slice(0, 50).map((c) => ({
        workspaceId,
        type: 'matter.changed',
        data: { conversationId: c.conversationId, matterId },
      })),
    );
  if (!summary) {
    for (const c of facts.conversations) await unassignConversation(tx, workspaceId, c.conversationId);
    await deleteMatter(tx, workspaceId, matterId);
    return null;
  }
  const first = facts.conversations.find((c) => c.conversationId === summary.firstConversationId);
  const contactReasonId =
    first?.contactReasonId ??
    facts.conversations.find((c) => c.contactReasonId !== null)?.contactReasonId ??
    null;
  return writeMatter(tx, workspaceId, matterId, { ...summary, contactReasonId }, now);
}

/** The timeline's record of a decision: which matter, by which rule, how similar, compared with what. */
export async function recordAssigned(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  matterId: number,
  why: Assignment,
  actor: Actor,
  at: Date,
): Promise<void> {
  await recordEvent(tx, {
    workspaceId,
    type: 'conversation.matter_assigned',
    entityType: 'conversation',
    entityId: conversationId,
    actor,
    data: {
      matterId,
      rule: why.rule,
      score: why.score,
      comparedConversationId: why.comparedConversationId,
    },
    at,
  });
}

/**
 * Moves a conversation with its contacts to another matter (or to a new one of `customerId` when `toMatterId`
 * is null), records why, and recomputes both matters (the one it left is deleted when empty).
 */
export async function moveConversation(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  to: { matterId: number } | { newFor: { customerId: number; at: Date } },
  why: Assignment,
  actor: Actor,
  now: Date,
  live = true,
): Promise<number> {
  const before = await matterOfConversation(tx, workspaceId, conversationId);
  const matterId =
    'matterId' in to
      ? to.matterId
      : (
          await insertMatter(tx, {
            workspaceId,
            customerId: to.newFor.customerId,
            firstConversationId: conversationId,
            at: to.newFor.at,
          })
        ).id;
  await assignConversation(tx, workspaceId, conversationId, matterId, why, now);
  if (before && before.matterId !== matterId)
    await refreshMatter(tx, workspaceId, before.matterId, now, live);
  await refreshMatter(tx, workspaceId, matterId, now, live);
  if (live) await recordAssigned(tx, workspaceId, conversationId, matterId, why, actor, now);
  return matterId;
}

export type AgentChange = { matterId: number };

/**
 * An agent takes the conversation out of its matter: it becomes a matter of its own (`agent_split`). Agents'
 * changes take the matters lock too, as the consumer and a replay do (`lockMatters`).
 */
export async function splitOff(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  person: { actor: Actor; personId: number },
  now: Date,
): Promise<Result<AgentChange>> {
  await lockMatters(tx, workspaceId);
  const conversation = await findConversation(tx, workspaceId, conversationId);
  if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  const mine = await matterOfConversation(tx, workspaceId, conversationId);
  if (!mine) return fail('NO_MATTER', 'The conversation has no contact yet, so no matter');
  const facts = await matterFacts(tx, workspaceId, mine.matterId);
  if (facts.conversations.length <= 1)
    return fail('MATTER_ALONE', 'The conversation is the only one on its matter: there is nothing to split');
  const firstAt = earliest(
    facts.contacts.filter((c) => c.conversationId === conversationId),
    now,
  );
  const matterId = await moveConversation(
    tx,
    workspaceId,
    conversationId,
    { newFor: { customerId: conversation.customerId, at: firstAt } },
    why('agent_split', person.personId),
    person.actor,
    now,
  );
  return ok({ matterId });
}

/** An agent links the conversation to another one of the same customer: it joins that one's matter. */
export async function linkTo(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  otherId: number,
  person: { actor: Actor; personId: number },
  now: Date,
): Promise<Result<AgentChange>> {
  await lockMatters(tx, workspaceId);
  const conversation = await findConversation(tx, workspaceId, conversationId);
  if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  if (otherId === conversationId)
    return fail('VALIDATION_FAILED', 'A conversation cannot be linked to itself');
  const other = await findConversation(tx, workspaceId, otherId);
  if (!other) return fail('CONVERSATION_NOT_FOUND', 'The conversation to link to was not found');
  if (other.customerId !== conversation.customerId)
    return fail('OTHER_CUSTOMER', "A matter is one customer's: the conversations are of different customers");
  const mine = await matterOfConversation(tx, workspaceId, conversationId);
  if (!mine) return fail('NO_MATTER', 'The conversation has no contact yet, so no matter');
  const theirs = await matterOfConversation(tx, workspaceId, otherId);
  if (!theirs) return fail('NO_MATTER', 'The conversation to link to has no contact yet, so no matter');
  if (mine.matterId === theirs.matterId) return ok({ matterId: mine.matterId });
  await moveConversation(
    tx,
    workspaceId,
    conversationId,
    { matterId: theirs.matterId },
    { ...why('agent_link', person.personId), comparedConversationId: otherId },
    person.actor,
    now,
  );
  return ok({ matterId: theirs.matterId });
}

export const why = (rule: MatterRule, decidedById: number | null = null, score: number | null = null) => ({
  rule,
  score,
  comparedConversationId: null,
  decidedById,
});
