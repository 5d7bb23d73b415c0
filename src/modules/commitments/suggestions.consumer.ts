import type { EventConsumer } from '../../platform/index.js';
import { findConversation, findMessage } from '../conversations/index.js';
import { calendarFor } from './calendar-of.js';
import { insertCommitment, moveCommitments } from './commitments.repo.js';
import { publishChanged } from './commitments.service.js';
import { closeOfBusinessDays, parseDuePhrase } from './due-phrase.js';
import { findPromises } from './promise-patterns.js';

export const COMMITMENTS_CONSUMER = 'commitments';

/**
 * When an agent's reply goes out, the promises it seems to make become suggestions on the conversation
 * (status `suggested`, owned by the reply's author) for an agent to confirm or dismiss. A suggestion's due
 * time is the one the reply names, read with the conversation's calendar at the time of the reply, else the
 * close of the next business day. Suggestions have no reminders until they are confirmed.
 * A merged conversation's promises move to the conversation it was merged into.
 */
export const suggestionsConsumer: EventConsumer = {
  types: ['message.sent', 'conversation.merged_into'],
  async handle(tx, event, ctx) {
    if (event.type === 'conversation.merged_into') {
      const target = event.data.targetId;
      if (typeof target === 'number')
        await moveCommitments(tx, event.workspaceId, event.entityId, target, ctx.clock.now());
      return;
    }
    if (event.actorType !== 'person' || typeof event.data.messageId !== 'number') return;
    const message = await findMessage(tx, event.workspaceId, event.data.messageId);
    if (message?.direction !== 'outbound' || !message.bodyText) return;
    const ownerId = message.authorPersonId ?? event.actorId;
    if (ownerId === null) return;
    const found = findPromises(message.bodyText);
    if (found.length === 0) return;
    const conversation = await findConversation(tx, event.workspaceId, event.entityId);
    if (!conversation) return;
    const calendar = await calendarFor(tx, event.workspaceId, conversation.teamId);
    const said = message.createdAt;
    const now = ctx.clock.now();
    for (const promise of found) {
      const named = promise.duePhrase ? parseDuePhrase(promise.duePhrase, said, calendar) : null;
      const dueAt = named && named > said ? named : closeOfBusinessDays(calendar, said, 1);
      if (!dueAt) continue;
      const row = await insertCommitment(tx, {
        workspaceId: event.workspaceId,
        conversationId: conversation.id,
        ownerId,
        teamId: conversation.teamId,
        text: promise.text.slice(0, 500),
        dueAt,
        status: 'suggested',
        sourceMessageId: message.id,
        createdById: null,
        createdAt: now,
        updatedAt: now,
      });
      await publishChanged(tx, row);
    }
  },
};
