import type { Tx } from '../../db/index.js';
import type { ContactReasonSource } from '../../db/schema/conversations.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { usableContactReason } from '../reasons/index.js';
import { publishConversationUpdated } from './conversation-realtime.js';
import { type Conversation, lockConversation, updateConversation } from './conversations.repo.js';

/** Who sets a conversation's contact reason, and how it was chosen. */
export type ReasonSetter = { actor: Actor; personId: number | null; source: ContactReasonSource };

/** What a conversation's contact reason is set to: a reason, "none of the reasons fits", or nothing (cleared). */
export type ReasonChoice = number | typeof NONE_FITS | null;
export const NONE_FITS = 'none_fits';

/**
 * Sets, changes or clears (null) a conversation's contact reason under its row lock, recording
 * `conversation.contact_reason_set` with before and after (reason, source, who) — every change, for the
 * root-cause ledger — and pushing `conversation.updated` (`changed: ['contactReason']`). Setting the reason it
 * already has changes nothing. An archived reason can't be newly set; a closed conversation is final.
 * `none_fits`: a person says no reason of the taxonomy fits (a new problem); it is kept with who said it and
 * when, like a reason, and the reason model learns it as "none of these".
 */
export async function setContactReason(
  deps: Deps,
  workspaceId: number,
  id: number,
  setter: ReasonSetter,
  choice: ReasonChoice,
): Promise<Result<Conversation>> {
  return inTransaction(deps.db, (tx) =>
    setContactReasonIn(tx, deps.clock.now(), workspaceId, id, setter, choice),
  );
}

/**
 * `setContactReason` inside a transaction already open (an event consumer's: the reason model's).
 * `onlyIfUnset`: leave a reason someone set meanwhile alone (`REASON_ALREADY_SET`).
 */
export async function setContactReasonIn(
  tx: Tx,
  now: Date,
  workspaceId: number,
  id: number,
  setter: ReasonSetter,
  choice: ReasonChoice,
  options: { onlyIfUnset?: boolean } = {},
): Promise<Result<Conversation>> {
  const before = await lockConversation(tx, workspaceId, id);
  if (!before) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  if (options.onlyIfUnset && (before.contactReasonId !== null || before.contactReasonNoneFits))
    return fail('REASON_ALREADY_SET', 'The conversation has a reason already');
  if (before.status === 'closed')
    return fail('CONVERSATION_CLOSED', 'The conversation is closed and can no longer change');
  const noneFits = choice === NONE_FITS;
  const contactReasonId = noneFits ? null : choice;
  if (before.contactReasonId === contactReasonId && before.contactReasonNoneFits === noneFits)
    return ok(before);
  if (contactReasonId !== null) {
    const usable = await usableContactReason(tx, workspaceId, contactReasonId);
    if (!usable.ok) return usable;
  }
  const set = choice !== null;
  const after = await updateConversation(tx, workspaceId, id, {
    contactReasonId,
    contactReasonNoneFits: noneFits,
    contactReasonSource: set ? setter.source : null,
    contactReasonSetById: set ? setter.personId : null,
    contactReasonSetAt: set ? now : null,
    updatedAt: now,
  });
  const view = (c: Conversation) => ({
    contactReasonId: c.contactReasonId,
    ...(c.contactReasonNoneFits ? { noneFits: true } : {}),
    source: c.contactReasonSource,
    setById: c.contactReasonSetById,
  });
  await recordEvent(tx, {
    workspaceId,
    type: 'conversation.contact_reason_set',
    entityType: 'conversation',
    entityId: id,
    actor: setter.actor,
    data: { before: view(before), after: view(after) },
    at: now,
  });
  // Open agent apps show the new reason without reloading (delivered on commit).
  await publishConversationUpdated(tx, after, ['contactReason']);
  return ok(after);
}
