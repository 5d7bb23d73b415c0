import type { Tx } from '../../db/index.js';
import {
  type Actor,
  cancelJob,
  enqueueJob,
  type JobHandler,
  type NewEvent,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { publishConversationUpdated } from './conversation-realtime.js';
import { type Conversation, lockConversation, updateConversation } from './conversations.repo.js';
import { decide, type StatusChange, statusEventType } from './status-rules.js';

export const AUTO_CLOSE_JOB = 'conversation.auto_close';
export const autoCloseKey = (conversationId: number) => `auto-close:${conversationId}`;
const DAY_MS = 86_400_000;

/** The event recording a status change, with before/after like every other change. */
export function statusChangeEvent(
  conversation: Conversation,
  change: StatusChange,
  actor: Actor,
  at: Date,
  extra: Record<string, unknown> = {},
): NewEvent {
  return {
    workspaceId: conversation.workspaceId,
    type: statusEventType(change.kind),
    entityType: 'conversation',
    entityId: conversation.id,
    actor,
    data: { before: { status: change.from }, after: { status: change.to }, ...extra },
    at,
  };
}

/**
 * The jobs a status change implies, written in the change's transaction (outbox): solving schedules the
 * auto-close (solving again moves it, thanks to the dedupe key), reopening or closing cancels it.
 */
export async function followStatusChange(
  tx: Tx,
  /** The instance default; a workspace's settings.autoCloseDays overrides it. */
  autoCloseDays: number,
  conversation: Conversation,
  change: StatusChange | null,
  now: Date,
): Promise<void> {
  if (!change) return;
  const key = autoCloseKey(conversation.id);
  if (change.kind === 'solved' && conversation.solvedAt) {
    // The workspace's own setting wins over the instance default (STEWARD_AUTO_CLOSE_DAYS).
    const workspace = await findWorkspaceById(tx, conversation.workspaceId);
    const days = workspace?.settings.autoCloseDays ?? autoCloseDays;
    await enqueueJob(
      tx,
      {
        workspaceId: conversation.workspaceId,
        type: AUTO_CLOSE_JOB,
        dedupeKey: key,
        payload: { conversationId: conversation.id, solvedAt: conversation.solvedAt.toISOString() },
        runAt: new Date(conversation.solvedAt.getTime() + days * DAY_MS),
      },
      now,
    );
  } else if (change.from === 'solved') {
    await cancelJob(tx, conversation.workspaceId, key, now);
  }
}

/**
 * Closes a conversation solved N days ago. The facts are checked again under the row lock: a conversation
 * reopened (or solved again later) since the job was scheduled is left alone.
 */
export const autoCloseHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const conversationId = Number(job.payload.conversationId);
    const before = await lockConversation(tx, job.workspaceId, conversationId);
    if (before?.status !== 'solved') return;
    if (before.solvedAt?.toISOString() !== job.payload.solvedAt) return;
    const now = ctx.clock.now();
    const decision = decide(before, { kind: 'set_status', to: 'closed', at: now });
    if (decision.kind !== 'apply' || !decision.change) return;
    const after = await updateConversation(tx, job.workspaceId, conversationId, {
      status: decision.facts.status,
      closedAt: decision.facts.closedAt,
      updatedAt: now,
    });
    await recordEvent(
      tx,
      statusChangeEvent(after, decision.change, systemActor, now, { cause: 'auto_close' }),
    );
    await publishConversationUpdated(tx, after, ['status']);
  },
};
