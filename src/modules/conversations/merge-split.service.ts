import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';
import { type Deps, fail, inTransaction, ok, type Result, recordEvents } from '../../platform/index.js';
import { followStatusChange, statusChangeEvent } from './auto-close.js';
import { publishConversationCreated, publishConversationUpdated } from './conversation-realtime.js';
import {
  type Conversation,
  insertConversation,
  lockConversation,
  updateConversation,
} from './conversations.repo.js';
import { previewOf } from './message-writes.js';
import type { Caller } from './references.js';

/** The most messages one split moves. */
export const SPLIT_LIMIT = 100;

/**
 * A conversation's facts recomputed from the messages it holds now (after some moved in or out): count,
 * first and last inbound, last outbound, first response (the first answer after the first inbound), and the
 * inbox line (the last word exchanged with the customer: notes are not it).
 */
async function recomputeFacts(tx: Executor, workspaceId: number, id: number) {
  const { rows } = await tx.execute(sql`
    select count(*)::int as n,
      min(created_at) filter (where direction = 'inbound') as first_in,
      max(created_at) filter (where direction = 'inbound') as last_in,
      max(created_at) filter (where direction = 'outbound') as last_out
    from messages where workspace_id = ${workspaceId} and conversation_id = ${id}`);
  const f = rows[0] as {
    n: number;
    first_in: string | null;
    last_in: string | null;
    last_out: string | null;
  };
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  const firstIn = date(f.first_in);
  const response = firstIn
    ? await tx.execute(sql`select min(created_at) as at from messages where workspace_id = ${workspaceId}
        and conversation_id = ${id} and direction = 'outbound' and created_at >= ${firstIn.toISOString()}::timestamptz`)
    : null;
  const last = await tx.execute(sql`select body_text from messages where workspace_id = ${workspaceId}
    and conversation_id = ${id} and direction <> 'note' order by created_at desc, id desc limit 1`);
  return {
    messageCount: Number(f.n),
    firstInboundAt: firstIn,
    lastInboundAt: date(f.last_in),
    lastOutboundAt: date(f.last_out),
    firstResponseAt: date((response?.rows[0] as { at: string | null } | undefined)?.at ?? null),
    lastMessagePreview: previewOf((last.rows[0] as { body_text: string } | undefined)?.body_text ?? ''),
  };
}

/** Moves messages (all of a conversation's, or the listed ones) and what hangs on them to another one. */
async function moveMessages(
  tx: Executor,
  workspaceId: number,
  from: number,
  to: number,
  messageIds?: number[],
): Promise<number[]> {
  const only = messageIds
    ? sql`and id in (${sql.join(
        messageIds.map((m) => sql`${m}`),
        sql`, `,
      )})`
    : sql``;
  const moved = await tx.execute(sql`update messages set conversation_id = ${to}
    where workspace_id = ${workspaceId} and conversation_id = ${from} ${only} returning id`);
  const ids = (moved.rows as Array<{ id: string | number }>).map((r) => Number(r.id)).sort((a, b) => a - b);
  if (ids.length)
    await tx.execute(sql`update attachments set conversation_id = ${to}
      where workspace_id = ${workspaceId} and conversation_id = ${from}
        and message_id in (${sql.join(
          ids.map((m) => sql`${m}`),
          sql`, `,
        )})`);
  return ids;
}

export type Merged = { target: Conversation; source: Conversation; movedMessageIds: number[] };

/**
 * Merges one conversation into another of the same customer: every message (with its attachments) and the
 * handle time move to the target, whose facts are recomputed and tags joined; the source is closed with
 * `mergedIntoId`, keeping its own history. Both rows are locked in id order, so two merges crossing each
 * other cannot deadlock, and a conversation is merged once.
 */
export async function mergeConversations(
  deps: Deps,
  workspaceId: number,
  caller: Caller,
  sourceId: number,
  targetId: number,
): Promise<Result<Merged>> {
  if (sourceId === targetId) return fail('INVALID_MERGE', 'A conversation cannot be merged into itself');
  return inTransaction(deps.db, async (tx) => {
    const [first, second] = sourceId < targetId ? [sourceId, targetId] : [targetId, sourceId];
    const a = await lockConversation(tx, workspaceId, first);
    const b = await lockConversation(tx, workspaceId, second);
    const source = first === sourceId ? a : b;
    const target = first === targetId ? a : b;
    if (!source || !target) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    if (source.mergedIntoId !== null)
      return fail('INVALID_MERGE', `This conversation was already merged into #${source.mergedIntoId}`, {
        mergedIntoId: source.mergedIntoId,
      });
    if (source.status === 'closed')
      return fail('CONVERSATION_CLOSED', 'A closed conversation cannot be merged');
    if (target.status === 'closed')
      return fail('INVALID_MERGE', 'The conversation to merge into is closed; merge into an open one');
    if (source.customerId !== target.customerId)
      return fail(
        'INVALID_MERGE',
        'Only conversations of the same customer can be merged (merge the customers first if they are one person)',
      );
    const now = deps.clock.now();
    const moved = await moveMessages(tx, workspaceId, source.id, target.id);
    await tx.execute(sql`
      insert into handle_times (workspace_id, conversation_id, person_id, day, active_ms, last_report_at, active)
      select workspace_id, ${target.id}, person_id, day, active_ms, last_report_at, false from handle_times
      where workspace_id = ${workspaceId} and conversation_id = ${source.id}
      on conflict (workspace_id, conversation_id, person_id, day) do update
        set active_ms = handle_times.active_ms + excluded.active_ms`);
    await tx.execute(
      sql`delete from handle_times where workspace_id = ${workspaceId} and conversation_id = ${source.id}`,
    );
    await tx.execute(
      sql`delete from conversation_viewers where workspace_id = ${workspaceId} and conversation_id = ${source.id}`,
    );
    const tags = [...target.tags, ...source.tags.filter((t) => !target.tags.includes(t))].slice(0, 30);
    const after = await updateConversation(tx, workspaceId, target.id, {
      ...(await recomputeFacts(tx, workspaceId, target.id)),
      tags,
      updatedAt: now,
    });
    const closed = await updateConversation(tx, workspaceId, source.id, {
      ...(await recomputeFacts(tx, workspaceId, source.id)),
      lastMessagePreview: `Merged into #${target.id}`,
      mergedIntoId: target.id,
      status: 'closed',
      closedAt: now,
      updatedAt: now,
    });
    const change = { from: source.status, to: 'closed' as const, kind: 'closed' as const };
    await recordEvents(tx, [
      statusChangeEvent(closed, change, caller.actor, now, { mergedIntoId: target.id }),
      {
        workspaceId,
        type: 'conversation.merged_into',
        entityType: 'conversation',
        entityId: source.id,
        actor: caller.actor,
        data: { targetId: target.id, movedMessageIds: moved },
        at: now,
      },
      {
        workspaceId,
        type: 'conversation.merged',
        entityType: 'conversation',
        entityId: target.id,
        actor: caller.actor,
        data: { sourceId: source.id, subject: source.subject, movedMessageIds: moved },
        at: now,
      },
    ]);
    await followStatusChange(tx, deps.settings.autoCloseDays, closed, change, now);
    await publishConversationUpdated(tx, after, ['messages', 'tags']);
    await publishConversationUpdated(tx, closed, ['status', 'messages']);
    return ok({ target: after, source: closed, movedMessageIds: moved });
  });
}

export type Split = { source: Conversation; created: Conversation; movedMessageIds: number[] };

/**
 * Splits messages off into a new conversation of the same customer (another problem raised in the same
 * thread): the new one takes the priority, team and assignee, starts open, and both are recomputed. At least
 * one message stays behind.
 */
export async function splitConversation(
  deps: Deps,
  workspaceId: number,
  caller: Caller,
  sourceId: number,
  input: { messageIds: number[]; subject?: string },
): Promise<Result<Split>> {
  const messageIds = [...new Set(input.messageIds)];
  return inTransaction(deps.db, async (tx) => {
    const source = await lockConversation(tx, workspaceId, sourceId);
    if (!source) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
    if (source.status === 'closed')
      return fail('CONVERSATION_CLOSED', 'A closed conversation cannot be split');
    const { rows } = await tx.execute(sql`select id, channel from messages where workspace_id = ${workspaceId}
      and conversation_id = ${sourceId} order by created_at, id`);
    const held = rows as Array<{ id: string | number; channel: Conversation['channel'] }>;
    const heldIds = new Set(held.map((m) => Number(m.id)));
    const foreign = messageIds.filter((m) => !heldIds.has(m));
    if (foreign.length)
      return fail('INVALID_SPLIT', `These messages are not in this conversation: ${foreign.join(', ')}`, {
        messageIds: foreign,
      });
    if (messageIds.length >= held.length)
      return fail('INVALID_SPLIT', 'At least one message must stay in the conversation');
    const now = deps.clock.now();
    const firstMoved = held.find((m) => messageIds.includes(Number(m.id)))!;
    const created = await insertConversation(tx, {
      workspaceId,
      subject: input.subject ?? source.subject,
      status: 'open',
      priority: source.priority,
      channel: firstMoved.channel,
      customerId: source.customerId,
      assigneeId: source.assigneeId,
      teamId: source.teamId,
      tags: source.tags,
      createdAt: now,
      updatedAt: now,
    });
    const moved = await moveMessages(tx, workspaceId, sourceId, created.id, messageIds);
    const after = await updateConversation(tx, workspaceId, created.id, {
      ...(await recomputeFacts(tx, workspaceId, created.id)),
      updatedAt: now,
    });
    const left = await updateConversation(tx, workspaceId, sourceId, {
      ...(await recomputeFacts(tx, workspaceId, sourceId)),
      updatedAt: now,
    });
    await recordEvents(tx, [
      {
        workspaceId,
        type: 'conversation.created',
        entityType: 'conversation',
        entityId: created.id,
        actor: caller.actor,
        data: {
          after: { status: after.status, assigneeId: after.assigneeId, teamId: after.teamId },
          splitFromId: sourceId,
        },
        at: now,
      },
      {
        workspaceId,
        type: 'conversation.split',
        entityType: 'conversation',
        entityId: sourceId,
        actor: caller.actor,
        data: { createdId: created.id, subject: created.subject, movedMessageIds: moved },
        at: now,
      },
    ]);
    await publishConversationCreated(tx, after);
    await publishConversationUpdated(tx, left, ['messages']);
    return ok({ source: left, created: after, movedMessageIds: moved });
  });
}
