import { type SQL, sql } from 'drizzle-orm';
import type { Executor, schema } from '../../db/index.js';
import { publishRealtime, REALTIME_CHANNEL } from '../../platform/index.js';

/** The row type (spelled out: the repo imports this file for intake's statement). */
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
  await publishRealtime(tx, {
    workspaceId: after.workspaceId,
    type: 'conversation.updated',
    data: {
      conversationId: after.id,
      status: after.status,
      assigneeId: after.assigneeId,
      priority: after.priority,
      teamId: after.teamId,
      changed,
    },
  });
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

export async function publishConversationCreated(tx: Executor, created: Conversation): Promise<void> {
  await publishRealtime(tx, {
    workspaceId: created.workspaceId,
    type: 'conversation.created',
    data: {
      conversationId: created.id,
      status: created.status,
      assigneeId: created.assigneeId,
      channel: created.channel,
    },
  });
}

/**
 * `conversation.created` for intake's one statement, built in SQL from the rows the statement inserts (their
 * ids are only known there): one more function call in the same round trip instead of another statement.
 * The shape is `encodeRealtime`'s.
 */
export function conversationCreatedNotify(conversation: string): SQL {
  const q = sql.raw(conversation);
  return sql`pg_notify(${REALTIME_CHANNEL}, json_build_object(
    'w', ${q}."workspaceId", 't', 'conversation.created',
    'd', json_build_object('conversationId', ${q}.id, 'status', ${q}.status,
      'assigneeId', ${q}."assigneeId", 'channel', ${q}.channel))::text)`;
}
