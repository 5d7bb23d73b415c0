import type { Executor, Tx } from '../../db/index.js';
import type { ConversationStatus } from '../../db/schema/conversations.js';
import type { SlaTarget } from '../../db/schema/sla.js';
import { cancelJob, enqueueJob, listEntityEvents, type StoredEvent } from '../../platform/index.js';
import { ALWAYS_OPEN, calendarForTeam } from '../calendars/index.js';
import { type Conversation, findConversation, setSlaDeadline } from '../conversations/index.js';
import { findCustomer } from '../customers/index.js';
import { choosePolicy } from './policy-match.js';
import {
  deleteClocks,
  listClocks,
  listPolicies,
  recordOutcome,
  type SlaClock,
  upsertClock,
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

/** The conversation's history as the facts the clocks are computed from, from its event log. */
async function historyOf(db: Executor, conversation: Conversation): Promise<SlaFact[]> {
  const facts: SlaFact[] = [];
  let created = false;
  let after = 0;
  for (;;) {
    const page = await listEntityEvents(db, conversation.workspaceId, 'conversation', conversation.id, after);
    for (const e of page) {
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
    if (page.length < 500) break;
    after = page.at(-1)!.id;
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

/**
 * The jobs that fire at a clock's warning and deadline. Enqueued under one key per conversation and target,
 * so a moved deadline moves its queued job; a job that runs anyway (it was already running) finds the clock
 * changed and does nothing.
 */
async function schedule(tx: Executor, clock: SlaClock, now: Date): Promise<void> {
  const { workspaceId, conversationId, target } = clock;
  const running = !clock.metAt && clock.dueAt;
  const payload = (dueAt: Date): DeadlinePayload => ({
    conversationId,
    target,
    startedAt: clock.startedAt.toISOString(),
    dueAt: dueAt.toISOString(),
  });
  const wKey = warningKey(conversationId, target);
  if (running && clock.dueAt && clock.warnAt && !clock.warnedAt && clock.warnAt < clock.dueAt) {
    await enqueueJob(
      tx,
      {
        workspaceId,
        type: SLA_WARNING_JOB,
        dedupeKey: wKey,
        runAt: clock.warnAt,
        payload: payload(clock.dueAt),
      },
      now,
    );
  } else await cancelJob(tx, workspaceId, wKey, now);
  const bKey = breachKey(conversationId, target);
  if (running && clock.dueAt && !clock.breachedAt) {
    await enqueueJob(
      tx,
      {
        workspaceId,
        type: SLA_BREACH_JOB,
        dedupeKey: bKey,
        runAt: clock.dueAt,
        payload: payload(clock.dueAt),
      },
      now,
    );
  } else await cancelJob(tx, workspaceId, bKey, now);
}

async function cancelAll(
  tx: Executor,
  workspaceId: number,
  conversationId: number,
  targets: SlaTarget[],
  now: Date,
) {
  for (const target of targets) {
    await cancelJob(tx, workspaceId, warningKey(conversationId, target), now);
    await cancelJob(tx, workspaceId, breachKey(conversationId, target), now);
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
  const conversation = await findConversation(tx, workspaceId, conversationId);
  if (!conversation) return;
  const before = await listClocks(tx, workspaceId, conversationId);
  const customer = await findCustomer(tx, workspaceId, conversation.customerId);
  const policy = choosePolicy(await listPolicies(tx, workspaceId), {
    priority: conversation.priority,
    channel: conversation.channel,
    teamId: conversation.teamId,
    tags: conversation.tags,
    tier: customer?.tier ?? null,
  });
  if (!policy) {
    // No policy and nothing left of one (a workspace without SLAs): no write at all.
    if (before.length === 0 && conversation.slaNextDueAt === null && conversation.slaWarnAt === null) return;
    await deleteClocks(tx, workspaceId, conversationId);
    await cancelAll(
      tx,
      workspaceId,
      conversationId,
      before.map((c) => c.target),
      now,
    );
    await setSlaDeadline(tx, workspaceId, conversationId, { dueAt: null, warnAt: null });
    return;
  }
  const calendar = policy.businessHours
    ? await calendarForTeam(tx, workspaceId, conversation.teamId)
    : ALWAYS_OPEN;
  const computed = computeClocks(policy, calendar, await historyOf(tx, conversation));
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
    await upsertClock(tx, clock);
    await schedule(tx, clock, now);
    // A cycle met now (or found met late on a replay) joins the decided ones of the attainment figures.
    const was = before.find((b) => b.target === clock.target);
    const decidedNow =
      (clock.metAt && !(was?.metAt && was.startedAt.getTime() === clock.startedAt.getTime())) ||
      (clock.breachedAt && !was?.breachedAt);
    if (decidedNow) await recordOutcome(tx, clock, conversation);
  }
  const gone = before.map((b) => b.target).filter((t) => !stored.some((s) => s.target === t));
  if (gone.length) {
    await deleteClocks(tx, workspaceId, conversationId, gone);
    await cancelAll(tx, workspaceId, conversationId, gone, now);
  }
  await setSlaDeadline(tx, workspaceId, conversationId, nextDeadline(stored));
}
