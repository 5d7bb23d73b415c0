import type { Executor } from '../../db/index.js';
import { HttpError } from '../../platform/index.js';
import { type Conversation, findConversation } from './conversations.repo.js';

/**
 * The conversation of a route's `:id` in the caller's workspace, or a 404 `CONVERSATION_NOT_FOUND` (also for
 * another workspace's id): the check every route about one conversation starts with.
 */
export async function requireConversation(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Conversation> {
  const conversation = await findConversation(db, workspaceId, id);
  if (!conversation) throw new HttpError('CONVERSATION_NOT_FOUND', 'Conversation not found');
  return conversation;
}
