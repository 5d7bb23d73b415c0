import type { ConversationStatus, Priority } from '../../db/schema/conversations.js';
import {
  type Deps,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  type Result,
  recordEvents,
} from '../../platform/index.js';
import { followStatusChange, statusChangeEvent } from './auto-close.js';
import { publishConversationUpdated } from './conversation-realtime.js';
import {
  type Conversation,
  type ConversationChanges,
  lockConversation,
  updateConversation,
} from './conversations.repo.js';
import { factsOf } from './message-writes.js';
import { assignmentAllowed, type Caller, checkReferences } from './references.js';
import { decide, type StatusChange } from './status-rules.js';

export type ConversationPatch = {
  subject?: string;
  status?: ConversationStatus;
  priority?: Priority;
  assigneeId?: number | null;
  teamId?: number | null;
  tags?: string[];
  /** Added to / removed from the tags the conversation has when the change is applied (under its lock). */
  addTags?: string[];
  removeTags?: string[];
};

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Changes a conversation under its row lock. Every field that really changes records its own event with
 * before/after; a patch that changes nothing writes nothing. A closed conversation is final.
 */
export async function changeConversation(
  deps: Deps,
  workspaceId: number,
  id: number,
  caller: Caller,
  patch: ConversationPatch,
): Promise<Result<Conversation>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await lockConversation(tx, workspaceId, id);
    if (!before) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    if (before.status === 'closed')
      return fail('CONVERSATION_CLOSED', 'The conversation is closed and can no longer change');
    const now = deps.clock.now();
    const changes: ConversationChanges = { updatedAt: now };
    const events: Array<(after: Conversation) => NewEvent> = [];
    const field = (type: string, name: string, from: unknown, to: unknown) =>
      events.push(() => ({
        workspaceId,
        type,
        entityType: 'conversation',
        entityId: id,
        actor: caller.actor,
        data: { before: { [name]: from }, after: { [name]: to } },
        at: now,
      }));

    if (patch.assigneeId !== undefined && patch.assigneeId !== before.assigneeId) {
      if (!assignmentAllowed(caller, before.assigneeId, patch.assigneeId))
        return fail(
          'FORBIDDEN',
          "Assigning someone else, or taking someone else's conversation, needs conversations.reassign",
        );
      changes.assigneeId = patch.assigneeId;
      field('conversation.assigned', 'assigneeId', before.assigneeId, patch.assigneeId);
    }
    if (patch.teamId !== undefined && patch.teamId !== before.teamId) {
      changes.teamId = patch.teamId;
      field('conversation.team_changed', 'teamId', before.teamId, patch.teamId);
    }
    const refs = await checkReferences(tx, workspaceId, {
      assigneeId: changes.assigneeId,
      teamId: changes.teamId,
    });
    if (!refs.ok) return refs;

    let statusChange: StatusChange | null = null;
    if (patch.status !== undefined) {
      const decision = decide(factsOf(before), { kind: 'set_status', to: patch.status, at: now });
      if (decision.kind === 'refuse')
        return fail(decision.code, decision.message, { from: before.status, to: patch.status });
      if (decision.kind === 'apply' && decision.change) {
        Object.assign(changes, decision.facts);
        statusChange = decision.change;
        const change = decision.change;
        events.push((after) => statusChangeEvent(after, change, caller.actor, now));
      }
    }
    if (patch.priority !== undefined && patch.priority !== before.priority) {
      changes.priority = patch.priority;
      field('conversation.priority_changed', 'priority', before.priority, patch.priority);
    }
    if (patch.subject !== undefined && patch.subject !== before.subject) {
      changes.subject = patch.subject;
      field('conversation.subject_changed', 'subject', before.subject, patch.subject);
    }
    let tags = patch.tags;
    if (patch.addTags?.length || patch.removeTags?.length) {
      tags = (tags ?? before.tags).filter((t) => !patch.removeTags?.includes(t));
      for (const t of patch.addTags ?? []) if (!tags.includes(t)) tags.push(t);
      if (tags.length > 30) return fail('VALIDATION_FAILED', 'A conversation has at most 30 tags');
    }
    if (tags !== undefined && !sameTags(tags, before.tags)) {
      changes.tags = tags;
      field('conversation.tagged', 'tags', before.tags, tags);
    }

    if (events.length === 0) return ok(before);
    const after = await updateConversation(tx, workspaceId, id, changes);
    await recordEvents(
      tx,
      events.map((make) => make(after)),
    );
    await followStatusChange(tx, deps.settings.autoCloseDays, after, statusChange, now);
    const shown = ['status', 'assigneeId', 'priority', 'teamId', 'tags', 'subject'];
    const changed = Object.keys(changes).filter((k) => shown.includes(k));
    await publishConversationUpdated(tx, after, changed);
    return ok(after);
  });
}
