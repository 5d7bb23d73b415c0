import type { Tx } from '../../db/index.js';
import type { Priority } from '../../db/schema/conversations.js';
import type { SlaBreachActions, SlaTarget } from '../../db/schema/sla.js';
import {
  type Deps,
  enqueueJob,
  type JobHandler,
  type JobRow,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import { changeConversation, findConversation } from '../conversations/index.js';
import { findTeam } from '../people/index.js';
import { findPolicy, lockClock, markClock, recordOutcome, type SlaClock } from './sla.repo.js';

export const SLA_ACTIONS_JOB = 'sla.breach_actions';
/** Per-clock jobs of earlier versions (see `warningHandler`): none are queued any more. */
export const SLA_WARNING_JOB = 'sla.warning';
export const SLA_BREACH_JOB = 'sla.breach';

/** What a warning or breach job was scheduled for: it fires only if the clock still says exactly this. */
type DeadlinePayload = { conversationId: number; target: SlaTarget; startedAt: string; dueAt: string };

export const targetLabels: Record<SlaTarget, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

/**
 * The clock the job was scheduled for, locked, if it is still that clock: same cycle, same due time, not met.
 * Anything else (a reply came, the due time moved, the policy changed) means the job is stale: it does nothing.
 */
async function currentClock(tx: Tx, job: JobRow): Promise<SlaClock | undefined> {
  const p = job.payload as DeadlinePayload;
  const clock = await lockClock(tx, job.workspaceId, Number(p.conversationId), p.target);
  if (!clock || clock.metAt || !clock.dueAt) return undefined;
  if (clock.startedAt.toISOString() !== p.startedAt || clock.dueAt.toISOString() !== p.dueAt)
    return undefined;
  return clock;
}

/** The assignee and the team's lead: who hears of a warning or a breach. */
async function peopleToNotify(tx: Tx, workspaceId: number, conversationId: number) {
  const conversation = await findConversation(tx, workspaceId, conversationId);
  if (!conversation) return { conversation, ids: [] };
  const team =
    conversation.teamId === null ? undefined : await findTeam(tx, workspaceId, conversation.teamId);
  const ids = [conversation.assigneeId, team?.leadId ?? null].filter((x): x is number => x !== null);
  return { conversation, ids: [...new Set(ids)] };
}

async function fire(tx: Tx, workspaceId: number, clock: SlaClock, kind: 'warning' | 'breached', now: Date) {
  const { conversation, ids } = await peopleToNotify(tx, workspaceId, clock.conversationId);
  const label = targetLabels[clock.target];
  const subject = conversation ? ` “${conversation.subject.slice(0, 80)}”` : '';
  await recordEvent(tx, {
    workspaceId,
    type: kind === 'warning' ? 'sla.warning' : 'sla.breached',
    entityType: 'conversation',
    entityId: clock.conversationId,
    actor: systemActor,
    data: {
      target: clock.target,
      policyId: clock.policyId,
      startedAt: clock.startedAt.toISOString(),
      dueAt: clock.dueAt?.toISOString() ?? null,
      notifyPersonIds: ids,
      notifyKind: kind === 'warning' ? 'sla_warning' : 'sla_breached',
      notifyTitle:
        kind === 'warning'
          ? `${label} due soon on #${clock.conversationId}${subject}`
          : `${label} overdue on #${clock.conversationId}${subject}`,
    },
    at: now,
  });
}

/** A clock's warning: marked on the clock (once per cycle) and recorded as `sla.warning`. */
export async function warn(tx: Tx, workspaceId: number, clock: SlaClock, now: Date): Promise<void> {
  await markClock(tx, workspaceId, clock.conversationId, clock.target, { warnedAt: now, updatedAt: now });
  await fire(tx, workspaceId, clock, 'warning', now);
}

/**
 * A clock's deadline passed: the clock is breached (at its due time, whenever this runs), `sla.breached` is
 * recorded, the cycle joins the decided ones, and the policy's actions follow as a job of their own (they go
 * through the conversations module's use-case, which has its own transaction).
 */
export async function breach(tx: Tx, workspaceId: number, clock: SlaClock, now: Date): Promise<void> {
  if (!clock.dueAt) return;
  await markClock(tx, workspaceId, clock.conversationId, clock.target, {
    breachedAt: clock.dueAt,
    updatedAt: now,
  });
  await fire(tx, workspaceId, clock, 'breached', now);
  const conversation = await findConversation(tx, workspaceId, clock.conversationId);
  if (conversation) await recordOutcome(tx, { ...clock, breachedAt: clock.dueAt }, conversation);
  const policy = await findPolicy(tx, workspaceId, clock.policyId);
  const actions = policy?.breachActions ?? {};
  if (actions.raisePriority || actions.reassignToTeam)
    await enqueueJob(
      tx,
      {
        workspaceId,
        type: SLA_ACTIONS_JOB,
        runAt: now,
        payload: { conversationId: clock.conversationId, ...actions },
      },
      now,
    );
}

/**
 * At a clock's warning time: `sla.warning`, once per cycle, unless the deadline itself has come. Jobs of this
 * type and `sla.breach` were queued per clock by earlier versions (the deadline sweep replaced them); they
 * still run, and fire only what the sweep has not.
 */
export const warningHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const clock = await currentClock(tx, job);
    const now = ctx.clock.now();
    if (!clock || clock.warnedAt || clock.breachedAt || (clock.dueAt && clock.dueAt <= now)) return;
    await warn(tx, job.workspaceId, clock, now);
  },
};

/** At the deadline: the clock is breached (see `breach`). */
export const breachHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const clock = await currentClock(tx, job);
    const now = ctx.clock.now();
    if (!clock?.dueAt || clock.breachedAt || clock.dueAt > now) return;
    await breach(tx, job.workspaceId, clock, now);
  },
};

const rank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * A breach's actions, through `changeConversation` (events, realtime, rules as for any change). At least
 * once, and idempotent: raising to a priority it has, or unassigning an unassigned one, changes nothing.
 */
export function actionsHandler(deps: Deps): JobHandler {
  return {
    kind: 'external',
    async run(job) {
      const p = job.payload as SlaBreachActions & { conversationId: number };
      const conversation = await findConversation(deps.db, job.workspaceId, Number(p.conversationId));
      if (!conversation || conversation.status === 'closed') return;
      const patch: { priority?: Priority; assigneeId?: null } = {};
      if (p.raisePriority && rank[p.raisePriority] > rank[conversation.priority])
        patch.priority = p.raisePriority;
      if (p.reassignToTeam && conversation.teamId !== null && conversation.assigneeId !== null)
        patch.assigneeId = null;
      if (Object.keys(patch).length === 0) return;
      await changeConversation(
        deps,
        job.workspaceId,
        conversation.id,
        { actor: systemActor, personId: 0, canReassign: true },
        patch,
      );
    },
  };
}

export const slaJobTypes = { warning: SLA_WARNING_JOB, breach: SLA_BREACH_JOB, actions: SLA_ACTIONS_JOB };
