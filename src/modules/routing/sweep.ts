import type { Tx } from '../../db/index.js';
import { type Channel, channels } from '../../db/schema/conversations.js';
import { enqueueJob, type JobHandler } from '../../platform/index.js';
import { assignFromQueue, openWorkload, unassignedQueue } from '../conversations/index.js';
import { roleCan, teamMembersForRouting } from '../people/index.js';
import { type Candidate, chooseAgent, effectiveCapacity, hasRoom } from './choose-agent.js';
import {
  findTeamRouting,
  lastAssignedAt,
  lockWorkspaceRouting,
  memberCapacities,
  saveRotation,
  touchAgents,
} from './routing.repo.js';

export const SWEEP_JOB = 'routing.sweep';
export const sweepKey = (teamId: number) => `routing.sweep:${teamId}`;
/** Conversations one sweep hands out at most (one transaction); a full batch queues the next sweep. */
export const SWEEP_BATCH = 50;

export type SweepOutcome = { assigned: Array<{ conversationId: number; personId: number }>; more: boolean };

/**
 * Hands out a team's queue: its unassigned new and open conversations, oldest first, each to an online
 * member with room for its channel, by the team's rule (choose-agent.ts). Runs as a job whenever something
 * may let routing assign (a new conversation, one moved into the team or let go, an agent coming online or
 * freeing capacity, a member added, the rule changed): a bounded look at one team's queue, never a scan of
 * everything. Conversations nobody has room for stay unassigned until the next such change.
 */
export async function sweepTeam(
  tx: Tx,
  workspaceId: number,
  teamId: number,
  now: Date,
): Promise<SweepOutcome> {
  const none: SweepOutcome = { assigned: [], more: false };
  await lockWorkspaceRouting(tx, workspaceId);
  const rule = await findTeamRouting(tx, workspaceId, teamId);
  if (!rule || rule.mode === 'manual') return none;
  const mode = rule.mode;
  const members = (await teamMembersForRouting(tx, workspaceId, teamId)).filter(
    (m) => m.status === 'active' && m.availability === 'online' && roleCan(m.role, 'conversations.write'),
  );
  if (members.length === 0) return none;
  const ids = members.map((m) => m.personId);
  const overrides = await memberCapacities(tx, workspaceId, teamId);
  const workload = await openWorkload(tx, workspaceId, ids);
  const waited = await lastAssignedAt(tx, workspaceId, ids);
  const candidates = new Map<number, Candidate>(
    ids.map((personId) => [
      personId,
      {
        personId,
        open: {},
        total: 0,
        capacity: effectiveCapacity(rule.capacity, overrides.get(personId)),
        lastAssignedAt: waited.get(personId) ?? null,
        seq: 0,
      },
    ]),
  );
  for (const w of workload) {
    const c = candidates.get(w.personId);
    if (!c) continue;
    c.open[w.channel] = w.open;
    c.total += w.open;
  }
  const list = [...candidates.values()];
  const roomy = (ch: Channel) => list.some((c) => hasRoom(c, ch));
  const queue = await unassignedQueue(tx, workspaceId, teamId, SWEEP_BATCH, channels.filter(roomy));

  let last = rule.lastPersonId;
  const assigned: SweepOutcome['assigned'] = [];
  for (const conversation of queue) {
    const choice = chooseAgent(mode, list, conversation.channel, last);
    if (!choice) continue;
    const done = await assignFromQueue(
      tx,
      workspaceId,
      conversation.id,
      choice.personId,
      { teamId, mode, reason: choice.reason },
      now,
    );
    if (!done) continue; // claimed, moved or closed meanwhile
    const c = candidates.get(choice.personId)!;
    c.open[conversation.channel] = (c.open[conversation.channel] ?? 0) + 1;
    c.total += 1;
    c.lastAssignedAt = now;
    c.seq = assigned.length + 1;
    last = choice.personId;
    assigned.push({ conversationId: conversation.id, personId: choice.personId });
  }
  if (last !== null && last !== rule.lastPersonId) await saveRotation(tx, workspaceId, teamId, last);
  await touchAgents(tx, workspaceId, [...new Set(assigned.map((a) => a.personId))], now);
  return { assigned, more: queue.length === SWEEP_BATCH && assigned.length > 0 };
}

/** Asks for a sweep of the team's queue now (one queued sweep per team at most: the dedupe key). */
export async function requestSweep(tx: Tx, workspaceId: number, teamId: number, now: Date): Promise<void> {
  await enqueueJob(
    tx,
    { workspaceId, type: SWEEP_JOB, payload: { teamId }, runAt: now, dedupeKey: sweepKey(teamId) },
    now,
  );
}

export const sweepHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const teamId = Number(job.payload.teamId);
    const now = ctx.clock.now();
    const outcome = await sweepTeam(tx, job.workspaceId, teamId, now);
    if (outcome.more) await requestSweep(tx, job.workspaceId, teamId, now);
  },
};
