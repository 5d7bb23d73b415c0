import { sql } from 'drizzle-orm';
import type { PresenceState } from '../../db/schema/handle-time.js';
import { type Deps, fail, ok, publishRealtime, type Result } from '../../platform/index.js';
import { findConversation } from './conversations.repo.js';

/** The app reports every 20 s while the agent is active; a longer silence means they were away. */
export const ACTIVITY_GAP_MS = 60_000;
/** A viewer not heard from for this long has gone (closed the tab, lost the network). */
export const PRESENCE_TTL_MS = 45_000;

export type ActivityReport = {
  /** What the agent does in the conversation now; `left` when they close it. */
  state: PresenceState | 'left';
  /** Focused, with keyboard or mouse activity in the last 2 minutes (PRODUCT.md's handle time). */
  active: boolean;
};
export type Viewer = { personId: number; state: PresenceState; seenAt: Date };
export type ActivityOutcome = { mineMs: number; totalMs: number; viewers: Viewer[] };

type Who = { workspaceId: number; personId: number };

/**
 * Records an agent's activity report on a conversation: active time since their previous report (by the
 * server's clock, only when that report is recent), their presence for the collision warning, and a realtime
 * push so colleagues who have the conversation open see it.
 *
 * Concurrency: two reports at once (two tabs) cannot count the same stretch twice: the addition is computed in
 * the upsert against the row as it is when locked, not against a value read before.
 */
export async function reportActivity(
  deps: Deps,
  who: Who,
  conversationId: number,
  report: ActivityReport,
): Promise<Result<ActivityOutcome>> {
  const conversation = await findConversation(deps.db, who.workspaceId, conversationId);
  if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  const now = deps.clock.now();
  const at = now.toISOString();
  const key = sql`${who.workspaceId}::bigint, ${conversationId}::bigint, ${who.personId}::bigint`;
  const gap = sql.raw(`interval '${ACTIVITY_GAP_MS} milliseconds'`);
  const active = report.active && report.state !== 'left';
  // A stretch between two reports counts when both said "active" and they came less than a gap apart. The
  // previous report may be yesterday's row (a stretch across midnight); on conflict, today's row is compared
  // as it is once locked.
  await deps.db.execute(sql`
    with previous as (
      select last_report_at as at, active from handle_times
      where workspace_id = ${who.workspaceId} and conversation_id = ${conversationId} and person_id = ${who.personId}
      order by day desc limit 1
    )
    insert into handle_times (workspace_id, conversation_id, person_id, day, active_ms, last_report_at, active)
    select ${key}, ${at.slice(0, 10)}::date,
      case when ${active} and p.active and p.at <= ${at}::timestamptz and p.at > ${at}::timestamptz - ${gap}
        then (extract(epoch from (${at}::timestamptz - p.at)) * 1000)::int else 0 end,
      ${at}::timestamptz, ${active}
    from (select 1) one left join previous p on true
    on conflict (workspace_id, conversation_id, person_id, day) do update set
      active_ms = handle_times.active_ms + case
        when excluded.active and handle_times.active
          and excluded.last_report_at >= handle_times.last_report_at
          and excluded.last_report_at - handle_times.last_report_at < ${gap}
        then (extract(epoch from (excluded.last_report_at - handle_times.last_report_at)) * 1000)::int else 0 end,
      last_report_at = greatest(handle_times.last_report_at, excluded.last_report_at),
      active = excluded.active`);
  if (report.state === 'left')
    await deps.db.execute(sql`delete from conversation_viewers where workspace_id = ${who.workspaceId}
      and conversation_id = ${conversationId} and person_id = ${who.personId}`);
  else
    await deps.db.execute(sql`
      insert into conversation_viewers (workspace_id, conversation_id, person_id, state, seen_at)
      values (${key}, ${report.state}, ${at}::timestamptz)
      on conflict (workspace_id, conversation_id, person_id) do update set state = excluded.state, seen_at = excluded.seen_at`);
  await publishRealtime(deps.db, {
    workspaceId: who.workspaceId,
    type: 'conversation.presence',
    data: { conversationId, personId: who.personId, state: report.state },
  });
  const [times, viewers] = await Promise.all([
    handleTimeOf(deps, who.workspaceId, conversationId),
    viewersOf(deps, who, conversationId, now),
  ]);
  return ok({
    mineMs: times.find((t) => t.personId === who.personId)?.activeMs ?? 0,
    totalMs: times.reduce((sum, t) => sum + t.activeMs, 0),
    viewers,
  });
}

/** The colleagues who have the conversation open now (not the asker). */
async function viewersOf(deps: Deps, who: Who, conversationId: number, now: Date): Promise<Viewer[]> {
  const since = new Date(now.getTime() - PRESENCE_TTL_MS).toISOString();
  const rows = await deps.db.execute(sql`select person_id, state, seen_at from conversation_viewers
    where workspace_id = ${who.workspaceId} and conversation_id = ${conversationId}
      and person_id <> ${who.personId} and seen_at > ${since}::timestamptz
    order by person_id`);
  return (
    rows.rows as Array<{ person_id: string | number; state: PresenceState; seen_at: string | Date }>
  ).map((r) => ({ personId: Number(r.person_id), state: r.state, seenAt: new Date(r.seen_at) }));
}

/** A conversation's handle time per agent, most first. */
export async function handleTimeOf(
  deps: Deps,
  workspaceId: number,
  conversationId: number,
): Promise<Array<{ personId: number; activeMs: number }>> {
  const rows = await deps.db.execute(sql`select person_id, sum(active_ms)::bigint as ms from handle_times
    where workspace_id = ${workspaceId} and conversation_id = ${conversationId}
    group by person_id order by ms desc, person_id`);
  return (rows.rows as Array<{ person_id: string | number; ms: string | number }>).map((r) => ({
    personId: Number(r.person_id),
    activeMs: Number(r.ms),
  }));
}

/** Handle time in whole seconds, rounded: what the API shows. */
export const seconds = (ms: number) => Math.round(ms / 1000);
