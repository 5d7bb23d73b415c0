import type { Tx } from '../../db/index.js';
import {
  cancelJob,
  enqueueJob,
  type JobHandler,
  type JobRow,
  recordEvent,
  systemActor,
} from '../../platform/index.js';
import { findConversation } from '../conversations/index.js';
import { findTeam, teamsOfPerson } from '../people/index.js';
import { type Commitment, findCommitment, updateCommitment } from './commitments.repo.js';

export const COMMITMENT_DUE_JOB = 'commitment.due';
export const COMMITMENT_OVERDUE_JOB = 'commitment.overdue';
/** An open promise this long past its due time escalates to the owner's lead. */
export const ESCALATE_AFTER_MS = 60 * 60_000;

const dueKey = (id: number) => `commitment-due:${id}`;
const overdueKey = (id: number) => `commitment-overdue:${id}`;

type Payload = { commitmentId: number; dueAt: string };

/**
 * The reminder (at the due time) and the escalation (ESCALATE_AFTER_MS later) of an open commitment: one
 * queued job each, keyed by the commitment, so a new due time moves them instead of adding more. Anything not
 * open has none.
 */
export async function scheduleCommitmentJobs(tx: Tx, c: Commitment, now: Date): Promise<void> {
  if (c.status !== 'open') {
    await cancelJob(tx, c.workspaceId, dueKey(c.id), now);
    await cancelJob(tx, c.workspaceId, overdueKey(c.id), now);
    return;
  }
  const payload: Payload = { commitmentId: c.id, dueAt: c.dueAt.toISOString() };
  if (!c.remindedAt)
    await enqueueJob(
      tx,
      {
        workspaceId: c.workspaceId,
        type: COMMITMENT_DUE_JOB,
        dedupeKey: dueKey(c.id),
        runAt: c.dueAt,
        payload,
      },
      now,
    );
  if (!c.escalatedAt)
    await enqueueJob(
      tx,
      {
        workspaceId: c.workspaceId,
        type: COMMITMENT_OVERDUE_JOB,
        dedupeKey: overdueKey(c.id),
        runAt: new Date(c.dueAt.getTime() + ESCALATE_AFTER_MS),
        payload,
      },
      now,
    );
}

/** The commitment the job was scheduled for, locked, if it is still open with that due time. */
async function current(tx: Tx, job: JobRow): Promise<Commitment | undefined> {
  const p = job.payload as Payload;
  const c = await findCommitment(tx, job.workspaceId, Number(p.commitmentId), true);
  if (c?.status !== 'open' || c.dueAt.toISOString() !== p.dueAt) return undefined;
  return c;
}

/** The lead of the promise's team; else the leads of the owner's teams. */
async function leadsOf(tx: Tx, c: Commitment): Promise<number[]> {
  const teamIds = c.teamId !== null ? [c.teamId] : await teamsOfPerson(tx, c.workspaceId, c.ownerId);
  const leads: number[] = [];
  for (const id of teamIds) {
    const team = await findTeam(tx, c.workspaceId, id);
    if (team?.leadId != null) leads.push(team.leadId);
  }
  return [...new Set(leads)];
}

async function announce(tx: Tx, c: Commitment, kind: 'due' | 'overdue', ids: number[], now: Date) {
  const conversation = await findConversation(tx, c.workspaceId, c.conversationId);
  const about = conversation ? ` on #${c.conversationId} “${conversation.subject.slice(0, 60)}”` : '';
  const what = c.text.length > 80 ? `${c.text.slice(0, 79)}…` : c.text;
  await recordEvent(tx, {
    workspaceId: c.workspaceId,
    type: kind === 'due' ? 'commitment.due' : 'commitment.overdue',
    entityType: 'conversation',
    entityId: c.conversationId,
    actor: systemActor,
    data: {
      commitmentId: c.id,
      ownerId: c.ownerId,
      dueAt: c.dueAt.toISOString(),
      notifyPersonIds: ids,
      notifyKind: kind === 'due' ? 'promise_due' : 'escalation',
      notifyTitle:
        kind === 'due' ? `Your promise is due${about}: ${what}` : `A promise is overdue${about}: ${what}`,
      notifyLink: `/conversations/${c.conversationId}`,
    },
    at: now,
  });
}

/** At the due time: the owner is reminded, once for that due time. */
export const dueHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const c = await current(tx, job);
    const now = ctx.clock.now();
    if (!c || c.remindedAt || c.dueAt > now) return;
    await updateCommitment(tx, c.workspaceId, c.id, { remindedAt: now, updatedAt: now });
    await announce(tx, c, 'due', [c.ownerId], now);
  },
};

/** Still open ESCALATE_AFTER_MS after its due time: the owner's lead hears of it, once for that due time. */
export const overdueHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const c = await current(tx, job);
    const now = ctx.clock.now();
    if (!c || c.escalatedAt || c.dueAt.getTime() + ESCALATE_AFTER_MS > now.getTime()) return;
    await updateCommitment(tx, c.workspaceId, c.id, { escalatedAt: now, updatedAt: now });
    await announce(tx, c, 'overdue', await leadsOf(tx, c), now);
  },
};
