import type { Tx } from '../../db/index.js';
import type { ConversationStatus } from '../../db/schema/conversations.js';
import type { SlaTarget } from '../../db/schema/sla.js';
import {
  cancelJobs,
  enqueueJobs,
  listEntitiesEvents,
  type NewJob,
  type StoredEvent,
} from '../../platform/index.js';
import { ALWAYS_OPEN, type Calendar, calendarForTeam } from '../calendars/index.js';
import { type Conversation, findConversations, setSlaDeadlines } from '../conversations/index.js';
import { customerTiers } from '../customers/index.js';
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

export const SLA_WARNING_JOB = 'sla.warning';
export const SLA_BREACH_JOB = 'sla.breach';
export const warningKey = (conversationId: number, target: SlaTarget) =>
  `sla-warning:${conversationId}:${target}`;
export const breachKey = (conversationId: number, target: SlaTarget) =>
  `sla-breach:${conversationId}:${target}`;

/** What a warning or breach job was scheduled for: it fires only if the clock still says exactly this. */
export type DeadlinePayload = { conversationId: number; target: SlaTarget; startedAt: string; dueAt: string };

const statusOf = (e: StoredEvent): ConversationStatus | undefined =>
  (e.data.after as { status?: ConversationStatus } | undefined)?.status;

const statusEvents = new Set([
  'conversation.status_changed',
  'conversation.solved',
  'conversation.reopened',
  'conversation.closed',
]);

/** The event types the clocks are computed from (the rest of a conversation's log does not move them). */
const historyTypes = ['conversation.created', ...statusEvents, 'message.received', 'message.sent'];

/** The conversation's history as the facts the clocks are computed from, from its events (in id order). */
function historyOf(conversation: Conversation, events: StoredEvent[]): SlaFact[] {
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
  jobs: Array<NewJob & { dedupeKey: string }>;
  cancelKeys: string[];
  outcomes: Array<{ clock: SlaClock; conversation: Conversation }>;
  deadlines: Array<{ conversationId: number; dueAt: Date | null; warnAt: Date | null }>;
};

/**
 * The jobs that fire at a clock's warning and deadline. Enqueued under one key per conversation and target,
 * so a moved deadline moves its queued job; a job that runs anyway (it was already running) finds the clock
 * changed and does nothing.
 */
function schedule(writes: Writes, clock: SlaClock): void {
  const { workspaceId, conversationId, target } = clock;
  const running = !clock.metAt && clock.dueAt;
  const payload = (dueAt: Date): DeadlinePayload => ({
    conversationId,
    target,
    startedAt: clock.startedAt.toISOString(),
    dueAt: dueAt.toISOString(),
  });
  const wKey = warningKey(conversationId, target);
  if (running && clock.dueAt && clock.warnAt && !clock.warnedAt && clock.warnAt < clock.dueAt)
    writes.jobs.push({
      workspaceId,
      type: SLA_WARNING_JOB,
      dedupeKey: wKey,
      runAt: clock.warnAt,
      payload: payload(clock.dueAt),
    });
  else writes.cancelKeys.push(wKey);
  const bKey = breachKey(conversationId, target);
  if (running && clock.dueAt && !clock.breachedAt)
    writes.jobs.push({
      workspaceId,
      type: SLA_BREACH_JOB,
      dedupeKey: bKey,
      runAt: clock.dueAt,
      payload: payload(clock.dueAt),
    });
  else writes.cancelKeys.push(bKey);
}

function removeClocks(writes: Writes, conversationId: number, targets: SlaTarget[]): void {
  for (const target of targets) {
    writes.goneClocks.push({ conversationId, target });
    writes.cancelKeys.push(warningKey(conversationId, target), breachKey(conversationId, target));
  }
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
  const conversations = await findConversations(tx, workspaceId, ids);
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
  const eventsOf = new Map<number, StoredEvent[]>();
  for (const e of await listEntitiesEvents(tx, workspaceId, 'conversation', withPolicy, historyTypes)) {
    const list = eventsOf.get(e.entityId);
    if (list) list.push(e);
    else eventsOf.set(e.entityId, [e]);
  }
  const writes: Writes = {
    clocks: [],
    goneClocks: [],
    jobs: [],
    cancelKeys: [],
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
      removeClocks(
        writes,
        conversationId,
        before.map((c) => c.target),
      );
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
      writes.clocks.push(clock);
      schedule(writes, clock);
      // A cycle met now (or found met late on a replay) joins the decided ones of the attainment figures.
      const was = before.find((b) => b.target === clock.target);
      const decidedNow =
        (clock.metAt && !(was?.metAt && was.startedAt.getTime() === clock.startedAt.getTime())) ||
        (clock.breachedAt && !was?.breachedAt);
      if (decidedNow) writes.outcomes.push({ clock, conversation });
    }
    const gone = before.map((b) => b.target).filter((t) => !stored.some((s) => s.target === t));
    removeClocks(writes, conversationId, gone);
    writes.deadlines.push({ conversationId, ...nextDeadline(stored) });
  }
  await upsertClocks(tx, writes.clocks);
  await deleteClocksOf(tx, workspaceId, writes.goneClocks);
  await cancelJobs(tx, workspaceId, writes.cancelKeys, now);
  await enqueueJobs(tx, writes.jobs, now);
  await recordOutcomes(tx, writes.outcomes);
  await setSlaDeadlines(tx, workspaceId, writes.deadlines);
}
