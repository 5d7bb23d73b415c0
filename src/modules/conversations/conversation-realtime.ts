import type { Db, Executor, schema } from '../../db/index.js';
import {
  publishRealtime,
  publishRealtimeAfterCommit,
  publishRealtimeMany,
  type RealtimeMessage,
} from '../../platform/index.js';

/** The row type. */
type Conversation = typeof schema.conversations.$inferSelect;

import type { StoredMessage } from './messages.repo.js';

/**
 * The realtime pushes of conversations (see REALTIME_TYPES in platform): published inside the transaction of
 * the change, so they are delivered on commit and dropped with a rollback. Small on purpose: ids and the few
 * fields an inbox needs to decide whether to re-fetch.
 */
export async function publishConversationUpdated(
  tx: Executor,
  after: Conversation,
  changed: string[],
): Promise<void> {
  await publishRealtime(tx, conversationUpdated(after, changed));
}

/** What a `conversation.updated` push says of the conversation. */
export type PushedConversation = Pick<
  Conversation,
  'workspaceId' | 'id' | 'status' | 'assigneeId' | 'priority' | 'teamId' | 'mergedIntoId'
>;

/**
 * More conversations than this changed by one piece of background work (an SLA recompute after a change of
 * business hours moves the deadlines of every conversation in progress) go out as one `conversations.changed`
 * push, not one each: a client re-fetches what it shows once, and thousands of pushes per second do not
 * queue in the database's one notification queue (its lock serializes the commits of notifying transactions).
 */
export const BULK_PUSH = 20;

/** `publishConversationUpdated` for many conversations of one workspace, in one statement. */
export async function publishConversationsUpdated(
  tx: Executor,
  after: PushedConversation[],
  changed: string[],
): Promise<void> {
  const first = after[0];
  if (first && after.length > BULK_PUSH) {
    await publishRealtime(tx, {
      workspaceId: first.workspaceId,
      type: 'conversations.changed',
      data: { count: after.length, changed },
    });
    return;
  }
  await publishRealtimeMany(
    tx,
    after.map((row) => conversationUpdated(row, changed)),
  );
}

function conversationUpdated(after: PushedConversation, changed: string[]): RealtimeMessage {
  return {
    workspaceId: after.workspaceId,
    type: 'conversation.updated',
    data: {
      conversationId: after.id,
      status: after.status,
      assigneeId: after.assigneeId,
      priority: after.priority,
      teamId: after.teamId,
      changed,
      // A merged conversation says where it continues (the chat widget follows it there).
      ...(after.mergedIntoId ? { mergedIntoId: after.mergedIntoId } : {}),
    },
  };
}

export async function publishMessageCreated(
  tx: Executor,
  after: Conversation,
  message: StoredMessage,
): Promise<void> {
  await publishRealtime(tx, {
    workspaceId: after.workspaceId,
    type: 'message.created',
    data: {
      conversationId: after.id,
      messageId: message.id,
      direction: message.direction,
      status: after.status,
      assigneeId: after.assigneeId,
    },
  });
}

function conversationCreated(created: Conversation): RealtimeMessage {
  return {
    workspaceId: created.workspaceId,
    type: 'conversation.created',
    data: {
      conversationId: created.id,
      status: created.status,
      assigneeId: created.assigneeId,
      channel: created.channel,
    },
  };
}

export async function publishConversationCreated(tx: Executor, created: Conversation): Promise<void> {
  await publishRealtime(tx, conversationCreated(created));
}

/** Intake's push, sent once its transaction committed (see publishRealtimeAfterCommit). */
export function publishConversationCreatedAfterCommit(db: Db, created: Conversation): void {
  publishRealtimeAfterCommit(db, conversationCreated(created));
}
