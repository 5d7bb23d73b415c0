import type { Tx } from '../../db/index.js';
import type { ConversationStatus } from '../../db/schema/conversations.js';
import type { SlaTarget } from '../../db/schema/sla.js';
import { type EventBrief, listEntitiesHistory } from '../../platform/index.js';
import { ALWAYS_OPEN, type Calendar, calendarForTeam } from '../calendars/index.js';
import { type DeadlineSubject, findDeadlineSubjects, setSlaDeadlines } from '../conversations/index.js';
import { customerTiers } from '../customers/index.js';
import { scheduleDeadlineSweep } from './deadlines.job.js';
import { choosePolicy } from './policy-match.js';
import {
  deleteClocksOf,
  listClocksOf,
  listPolicies,
  recordOutcomes,
  type SlaClock,
  upsertClocks,
} from './sla.repo.js';
import { type ComputedClock, computeClocks, nextDeadline, type SlaFact } from './sla-clock.js';

const statusOf = (e: EventBrief): ConversationStatus | undefined =>
  (e.after as { status?: ConversationStatus } | null)?.status;

const statusEvents = new Set([
  'conversation.status_changed',
  'conversation.solved',
  'conversation.reopened',
  'conversation.closed',
]);

/** The event types the clocks are computed from (the rest of a conversation's log does not move them). */
const historyTypes = ['conversation.created', ...statusEvents, 'message.received', 'message.sent'];

/** The conversation's history as the facts the clocks are computed from, from its events (in id order). */
function historyOf(conversation: DeadlineSubject, events: EventBrief[]): SlaFact[] {
  const facts: SlaFact[] = [];
  let created = false;
  for (const e of events) {
    const at = e.createdAt;
    if (e.type === 'conversation.created' && !created) {
      created = true;
      facts.push({ kind: 'created', at, status: statusOf(e) ?? 'new' });
    } else if (statusEvents.has(e.type)) {
      const to = statusOf(e);
      if (to) facts.push({ kind: 'status', at, to });
    } else if (e.type === 'message.received') facts.push({ kind: 'inbound', at });
    else if (e.type === 'message.sent') facts.push({ kind: 'outbound', at });
  }
  // Imported or generated conversations may have no creation event: their row says when and how they began.
  if (!created)
    facts.unshift({
      kind: 'created',
      at: conversation.createdAt,
      status: conversation.firstInboundAt ? 'new' : 'pending',
    });
  return facts;
}

/** The stored clock for a computed one: the warning and breach already fired stay with their cycle. */
function merge(
  workspaceId: number,
  conversationId: number,
  policyId: number,
  c: ComputedClock,
  before: SlaClock | undefined,
  now: Date,
): SlaClock {
  const sameCycle = before?.startedAt.getTime() === c.startedAt.getTime();
  let breachedAt = sameCycle ? (before?.breachedAt ?? null) : null;
  // Met late (the deadline passed while nobody watched, or a replay found it so): breached at the deadline.
  if (!breachedAt && c.metAt && c.dueAt && c.metAt > c.dueAt) breachedAt = c.dueAt;
  return {
    workspaceId,
    conversationId,
    target: c.target,
    policyId,
    targetMinutes: c.targetMinutes,
    startedAt: c.startedAt,
    dueAt: c.dueAt,
    warnAt: c.warnAt,
    metAt: c.metAt,
    pausedAt: c.pausedAt,
    remainingMinutes: c.remainingMinutes,
    pausedMinutes: c.pausedMinutes,
    warnedAt: sameCycle ? (before?.warnedAt ?? null) : null,
    breachedAt,
    updatedAt: now,
  };
}

/** The writes a recompute of many conversations makes, gathered to be made a few statements in all. */
type Writes = {
  clocks: SlaClock[];
  goneClocks: Array<{ conversationId: number; target: SlaTarget }>;
  /** The soonest warning or deadline still to fire among the clocks written. */
  sweepBy: Date | null;
  outcomes: Array<{ clock: SlaClock; conversation: DeadlineSubject }>;
  deadlines: Array<{ conversationId: number; dueAt: Date | null; warnAt: Date | null }>;
};

const time = (d: Date | null | undefined) => d?.getTime() ?? null;

/** When the clock's warning job is due (null: it has none): while it runs, before its deadline, not warned. */
function warningRunAt(clock: SlaClock | undefined): Date | null {
  if (!clock || clock.metAt || !clock.dueAt || !clock.warnAt || clock.warnedAt) return null;
  return clock.warnAt < clock.dueAt ? clock.warnAt : null;
}

/** When the clock's breach job is due (null: it has none): while it runs and is not breached. */
function breachRunAt(clock: SlaClock | undefined): Date | null {
  if (!clock || clock.metAt || !clock.dueAt || clock.breachedAt) return null;
  return clock.dueAt;
}

/** Every stored value but `updated_at` is the same: the row need not be written. */
function sameClock(a: SlaClock | undefined, b: SlaClock): boolean {
  return (
    a !== undefined &&
    a.policyId === b.policyId &&
    a.targetMinutes === b.targetMinutes &&
    time(a.startedAt) === time(b.startedAt) &&
    time(a.dueAt) === time(b.dueAt) &&
    time(a.warnAt) === time(b.warnAt) &&
    time(a.metAt) === time(b.metAt) &&
    time(a.pausedAt) === time(b.pausedAt) &&
    a.remainingMinutes === b.remainingMinutes &&
    a.pausedMinutes === b.pausedMinutes &&
    time(a.warnedAt) === time(b.warnedAt) &&
    time(a.breachedAt) === time(b.breachedAt)
  );
}

/**
 * A written clock's warning and deadline still to fire: the deadline sweep must run by the soonest of them
 * (deadlines.job.ts). A clock left as it was needs nothing: the sweep was scheduled when it was written.
 */
function schedule(writes: Writes, clock: SlaClock): void {
  for (const at of [warningRunAt(clock), breachRunAt(clock)])
    if (at && (!writes.sweepBy || at < writes.sweepBy)) writes.sweepBy = at;
}

/**
 * Recomputes a conversation's clocks from its whole history with the policy that now applies (its priority,
 * tier, channel, team and tags decide which), stores them, schedules their jobs and puts the next deadline on
 * the conversation. Idempotent: running it again on the same history changes nothing.
 */
export async function recomputeConversationSla(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  now: Date,
): Promise<void> {
  await recomputeConversationsSla(tx, workspaceId, [conversationId], now);
}

/**
 * `recomputeConversationSla` for many conversations at once, with the same result: their rows, clocks,
 * customers' tiers and histories are read a query each for all of them, and the writes are made a statement
 * each for all of them (a recompute of every conversation in progress, after a change of business hours,
 * would otherwise cost some twenty round trips per conversation).
 */
export async function recomputeConversationsSla(
  tx: Tx,
  workspaceId: number,
  conversationIds: number[],
  now: Date,
): Promise<void> {
  const ids = [...new Set(conversationIds)];
  const conversations = await findDeadlineSubjects(tx, workspaceId, ids);
  if (conversations.length === 0) return;
  const found = conversations.map((c) => c.id);
  const clocksOf = await listClocksOf(tx, workspaceId, found);
  const tiers = await customerTiers(tx, workspaceId, [...new Set(conversations.map((c) => c.customerId))]);
  const policies = await listPolicies(tx, workspaceId);
  const calendars = new Map<number | null, Promise<Calendar>>();
  const calendarOf = (teamId: number | null) => {
    const known = calendars.get(teamId);
    if (known) return known;
    const calendar = calendarForTeam(tx, workspaceId, teamId);
    calendars.set(teamId, calendar);
    return calendar;
  };
  // Histories only for the conversations a policy applies to (a workspace without SLAs reads none).
  const matched = conversations.map((conversation) => ({
    conversation,
    policy: choosePolicy(policies, {
      priority: conversation.priority,
      channel: conversation.channel,
      teamId: conversation.teamId,
      tags: conversation.tags,
      tier: tiers.get(conversation.customerId) ?? null,
    }),
  }));
  const withPolicy = matched.filter((m) => m.policy).map((m) => m.conversation.id);
  const eventsOf = new Map<number, EventBrief[]>();
  for (const e of await listEntitiesHistory(tx, workspaceId, 'conversation', withPolicy, historyTypes)) {
    const list = eventsOf.get(e.entityId);
    if (list) list.push(e);
    else eventsOf.set(e.entityId, [e]);
  }
  const writes: Writes = {
    clocks: [],
    goneClocks: [],
    sweepBy: null,
    outcomes: [],
    deadlines: [],
  };
  for (const { conversation, policy } of matched) {
    const conversationId = conversation.id;
    const before = clocksOf.get(conversationId) ?? [];
    if (!policy) {
      // No policy and nothing left of one (a workspace without SLAs): no write at all.
      if (before.length === 0 && conversation.slaNextDueAt === null && conversation.slaWarnAt === null)
        continue;
      for (const clock of before) writes.goneClocks.push({ conversationId, target: clock.target });
      if (conversation.slaNextDueAt !== null || conversation.slaWarnAt !== null)
        writes.deadlines.push({ conversationId, dueAt: null, warnAt: null });
      continue;
    }
    const calendar = policy.businessHours ? await calendarOf(conversation.teamId) : ALWAYS_OPEN;
    const computed = computeClocks(
      policy,
      calendar,
      historyOf(conversation, eventsOf.get(conversationId) ?? []),
    );
    const stored = computed.map((c) =>
      merge(
        workspaceId,
        conversationId,
        policy.id,
        c,
        before.find((b) => b.target === c.target),
        now,
      ),
    );
    for (const clock of stored) {
      const was = before.find((b) => b.target === clock.target);
      // Unchanged (most paused clocks after a change of business hours): no write, and its jobs stay.
      if (sameClock(was, clock)) continue;
      writes.clocks.push(clock);
      schedule(writes, clock);
      // A cycle met now (or found met late on a replay) joins the decided ones of the attainment figures.
      const decidedNow =
        (clock.metAt && !(was?.metAt && was.startedAt.getTime() === clock.startedAt.getTime())) ||
        (clock.breachedAt && !was?.breachedAt);
      if (decidedNow) writes.outcomes.push({ clock, conversation });
    }
    for (const b of before)
      if (!stored.some((s) => s.target === b.target))
        writes.goneClocks.push({ conversationId, target: b.target });
    const next = nextDeadline(stored);
    if (
      time(next.dueAt) !== time(conversation.slaNextDueAt) ||
      time(next.warnAt) !== time(conversation.slaWarnAt)
    )
      writes.deadlines.push({ conversationId, ...next });
  }
  await upsertClocks(tx, writes.clocks);
  await deleteClocksOf(tx, workspaceId, writes.goneClocks);
  await recordOutcomes(tx, writes.outcomes);
  await setSlaDeadlines(tx, workspaceId, writes.deadlines);
  // Last: from here until the commit, the sweep waits for this transaction before it looks for its next time.
  if (writes.sweepBy) await scheduleDeadlineSweep(tx, workspaceId, writes.sweepBy, now);
}
