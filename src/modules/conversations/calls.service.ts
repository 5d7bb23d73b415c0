import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.js';
import type { CallOutcome } from '../../db/schema/conversations.js';
import type { Deps, Result } from '../../platform/index.js';
import { type AddedMessage, addMessage } from './add-message.service.js';
import {
  type CreatedConversation,
  type CustomerRef,
  createConversation,
} from './create-conversation.service.js';
import type { StoredMessage } from './messages.repo.js';
import type { Caller } from './references.js';

export type CallLog = {
  direction: 'inbound' | 'outbound';
  durationSeconds: number;
  outcome: CallOutcome;
  notes?: string;
};

const outcomeText: Record<CallOutcome, string> = {
  resolved: 'resolved on the call',
  follow_up: 'needs a follow-up',
  no_answer: 'no answer',
  voicemail: 'left a voicemail',
  callback_agreed: 'call-back agreed',
};

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** The timeline's text of a call: the agent's notes, or a line saying what happened. */
function bodyOf(call: CallLog): string {
  const notes = call.notes?.trim();
  if (notes) return notes;
  return `${call.direction === 'inbound' ? 'Inbound' : 'Outbound'} call, ${clock(call.durationSeconds)}, ${outcomeText[call.outcome]}`;
}

/**
 * The call's duration is the logging agent's handle time on the conversation that day (on top of the time
 * the app measured with the conversation open): a row of handle_times, added to in the message's transaction.
 */
function addCallTime(call: CallLog, personId: number) {
  return async (tx: Tx, message: StoredMessage) => {
    if (call.durationSeconds === 0 || personId === 0) return;
    const at = message.createdAt.toISOString();
    await tx.execute(sql`
      insert into handle_times (workspace_id, conversation_id, person_id, day, active_ms, last_report_at, active)
      values (${message.workspaceId}, ${message.conversationId}, ${personId}, ${at.slice(0, 10)}::date,
        ${call.durationSeconds * 1000}, ${at}::timestamptz, false)
      on conflict (workspace_id, conversation_id, person_id, day)
      do update set active_ms = handle_times.active_ms + excluded.active_ms`);
  };
}

const messageOf = (call: CallLog, caller: Caller) => ({
  // A call the customer made is their contact (inbound); one we made is our answer (outbound).
  direction: call.direction === 'inbound' ? ('inbound' as const) : ('outbound' as const),
  body: bodyOf(call),
  channelMeta: {
    call: { direction: call.direction, durationSeconds: call.durationSeconds, outcome: call.outcome },
  },
  within: addCallTime(call, caller.personId),
});

/** A call about an existing conversation: a phone message in its timeline, a contact on the phone channel. */
export function logCall(
  deps: Deps,
  workspaceId: number,
  conversationId: number,
  caller: Caller,
  call: CallLog,
): Promise<Result<AddedMessage>> {
  return addMessage(deps, workspaceId, conversationId, caller, {
    ...messageOf(call, caller),
    channel: 'phone',
  });
}

/** A call that starts a conversation (the customer found or created by phone, e-mail or id). */
export function logCallAsConversation(
  deps: Deps,
  workspaceId: number,
  caller: Caller,
  input: CallLog & { subject: string; customer: CustomerRef; teamId?: number | null },
): Promise<Result<CreatedConversation>> {
  return createConversation(deps, workspaceId, caller, {
    subject: input.subject,
    channel: 'phone',
    customer: input.customer,
    teamId: input.teamId,
    assigneeId: caller.personId || null,
    message: messageOf(input, caller),
  });
}
