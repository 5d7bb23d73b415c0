import {
  type Deps,
  fail,
  inTransaction,
  ok,
  publishRealtime,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { openAttachment } from '../attachments/index.js';
import { customerResolutions } from '../authority/index.js';
import { type Commitment, openForConversations, promiseZones } from '../commitments/index.js';
import {
  addMessage,
  type Conversation,
  findConversation,
  listConversations,
  listMessages,
  type StoredMessage,
} from '../conversations/index.js';
import { insertProposal, listProposals, type Proposal } from './portal.repo.js';

/** Who is signed in to the portal: a customer of one workspace. */
export type PortalCustomer = { workspaceId: number; customerId: number };

const notFound = () => fail('CONVERSATION_NOT_FOUND', 'Conversation not found');

/** The customer's own conversations, most recently updated first. */
export async function customerConversations(deps: Deps, who: PortalCustomer): Promise<Conversation[]> {
  const rows = await listConversations(
    deps.db,
    who.workspaceId,
    { customerId: who.customerId },
    undefined,
    100,
  );
  return rows.map((r) => r.conversation);
}

/** A conversation of this customer; anyone else's (or another workspace's) is as missing as a wrong id. */
async function ownConversation(deps: Deps, who: PortalCustomer, id: number): Promise<Result<Conversation>> {
  const conversation = await findConversation(deps.db, who.workspaceId, id);
  return conversation && conversation.customerId === who.customerId ? ok(conversation) : notFound();
}

export type CustomerTimeline = {
  conversation: Conversation;
  /** What was said with the customer: inbound and outbound messages, never internal notes. */
  messages: StoredMessage[];
  proposals: Proposal[];
  /** What we promised on it and have not yet done, soonest due first; `zone`: the one to show its due time in. */
  promises: Array<Commitment & { zone: string }>;
  /** Refunds, credits… granted on it, or waiting for a lead's approval (not rejected ones). */
  resolutions: Awaited<ReturnType<typeof customerResolutions>>;
};

export async function customerTimeline(
  deps: Deps,
  who: PortalCustomer,
  id: number,
): Promise<Result<CustomerTimeline>> {
  const found = await ownConversation(deps, who, id);
  if (!found.ok) return found;
  const rows = await listMessages(deps.db, who.workspaceId, id, undefined, 500);
  const zoneOf = promiseZones(deps.db, who.workspaceId);
  const promises: CustomerTimeline['promises'] = [];
  for (const p of await openForConversations(deps.db, who.workspaceId, [id]))
    promises.push({ ...p, zone: await zoneOf(p.teamId) });
  return ok({
    conversation: found.value,
    messages: rows.map((r) => r.message).filter((m) => m.direction !== 'note'),
    proposals: await listProposals(deps.db, who.workspaceId, id),
    promises,
    resolutions: await customerResolutions(deps.db, who.workspaceId, id),
  });
}

/**
 * A file of a message the customer can see (theirs, or a reply to them): never one of an internal note, nor
 * of anyone else's conversation, which answer 404 like a missing id.
 */
export async function customerAttachment(
  deps: Deps,
  who: PortalCustomer,
  conversationId: number,
  id: number,
) {
  const timeline = await customerTimeline(deps, who, conversationId);
  if (!timeline.ok) return timeline;
  const shown = timeline.value.messages.some((m) => m.attachments.some((a) => a.id === id));
  if (!shown) return fail('ATTACHMENT_NOT_FOUND', 'Attachment not found');
  return openAttachment(deps, who.workspaceId, id, 0);
}

/** The customer writes again: an inbound message (a closed conversation starts a new, linked one). */
export async function replyAsCustomer(
  deps: Deps,
  who: PortalCustomer,
  id: number,
  body: string,
): Promise<Result<{ conversationId: number }>> {
  const found = await ownConversation(deps, who, id);
  if (!found.ok) return found;
  const added = await addMessage(
    deps,
    who.workspaceId,
    id,
    { actor: { type: 'customer', id: who.customerId }, personId: 0, canReassign: false },
    { direction: 'inbound', body, channel: 'webform' },
  );
  return added.ok ? ok({ conversationId: added.value.conversation.id }) : added;
}

/** "What would make this right?": stored beside the conversation and shown to its agents. */
export async function proposeSolution(
  deps: Deps,
  who: PortalCustomer,
  id: number,
  body: string,
): Promise<Result<Proposal>> {
  const found = await ownConversation(deps, who, id);
  if (!found.ok) return found;
  const conversation = found.value;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const proposal = await insertProposal(tx, {
      workspaceId: who.workspaceId,
      conversationId: id,
      customerId: who.customerId,
      body,
      createdAt: now,
    });
    await recordEvent(tx, {
      workspaceId: who.workspaceId,
      type: 'conversation.proposal_received',
      entityType: 'conversation',
      entityId: id,
      actor: { type: 'customer', id: who.customerId },
      data: {
        proposalId: proposal.id,
        ...(conversation.assigneeId
          ? {
              notifyPersonIds: [conversation.assigneeId],
              notifyKind: 'proposal',
              notifyTitle: `The customer proposed a solution: ${conversation.subject}`.slice(0, 200),
            }
          : {}),
      },
      at: now,
    });
    await publishRealtime(tx, {
      workspaceId: who.workspaceId,
      type: 'conversation.updated',
      data: {
        conversationId: id,
        status: conversation.status,
        assigneeId: conversation.assigneeId,
        priority: conversation.priority,
        teamId: conversation.teamId,
        changed: ['proposals'],
      },
    });
    return ok(proposal);
  });
}

/** The proposals of a conversation, for its agents (404 for another workspace's conversation). */
export async function conversationProposals(
  deps: Deps,
  workspaceId: number,
  conversationId: number,
): Promise<Result<Proposal[]>> {
  if (!(await findConversation(deps.db, workspaceId, conversationId))) return notFound();
  return ok(await listProposals(deps.db, workspaceId, conversationId));
}
