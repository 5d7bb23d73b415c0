import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';
import type { Channel, ConversationStatus } from '../../db/schema/conversations.js';

/**
 * An agent's open work, what counts against routing's capacity and makes an agent "busy": the conversations
 * their Mine view shows (new, open, pending, on hold). Solved and closed ones are done.
 */
export const OPEN_WORK: readonly ConversationStatus[] = ['new', 'open', 'pending', 'on_hold'];
/** A team's queue, what routing hands out: unassigned and waiting for someone (the Unassigned view). */
export const QUEUED: readonly ConversationStatus[] = ['new', 'open'];

export type QueuedConversation = { id: number; channel: Channel };

/**
 * A team's unassigned conversations, oldest first (partial index `conversations_unassigned_idx`); with
 * `channels`, only those on these channels (the ones someone has room for).
 */
export async function unassignedQueue(
  db: Executor,
  workspaceId: number,
  teamId: number,
  limit: number,
  channels?: readonly Channel[],
): Promise<QueuedConversation[]> {
  if (channels?.length === 0) return [];
  const onChannels = channels
    ? sql`and channel in (${sql.join(
        channels.map((ch) => sql`${ch}`),
        sql`, `,
      )})`
    : sql``;
  const result = await db.execute(sql`
    select id, channel from conversations
    where workspace_id = ${workspaceId} and team_id = ${teamId} and assignee_id is null
      and status in ('new', 'open') ${onChannels}
    order by id limit ${limit}`);
  return (result.rows as Array<{ id: number | string; channel: Channel }>).map((r) => ({
    id: Number(r.id),
    channel: r.channel,
  }));
}

export type Workload = { personId: number; channel: Channel; open: number };

/** Open conversations per person and channel, over all teams (the assignee index, one range per person). */
export async function openWorkload(
  db: Executor,
  workspaceId: number,
  personIds: number[],
): Promise<Workload[]> {
  if (personIds.length === 0) return [];
  const result = await db.execute(sql`
    select assignee_id, channel, count(*)::int as n from conversations
    where workspace_id = ${workspaceId}
      and assignee_id in (${sql.join(
        personIds.map((id) => sql`${id}`),
        sql`, `,
      )})
      and status in ('new', 'open', 'pending', 'on_hold')
    group by assignee_id, channel`);
  return (result.rows as Array<{ assignee_id: number | string; channel: Channel; n: number }>).map((r) => ({
    personId: Number(r.assignee_id),
    channel: r.channel,
    open: Number(r.n),
  }));
}
