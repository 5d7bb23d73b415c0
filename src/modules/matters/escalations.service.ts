/**
 * Escalation (README "Escalation"): the matter's third contact (the workspace's threshold) takes its
 * conversation to a senior person, with a call-back task due in business hours, once per matter; an agent
 * escalates by hand to a lead, a manager or the executive-escalation queue, with a reason.
 *
 * In the contact's transaction: the escalation row (the unique index makes it once per matter), its event
 * (timeline and the owner's notification), and two jobs — applying it to the conversation (priority, owner,
 * team, and telling the customer who will call and when: through `changeConversation` and `addMessage`, like
 * any change) and the call-back's due time.
 */
import type { Tx } from '../../db/index.js';
import type { EscalationLevel } from '../../db/schema/matters.js';
import { type Actor, enqueueJob, recordEvent } from '../../platform/index.js';
import { addBusinessMinutes, resolveCalendar } from '../calendars/index.js';
import type { Conversation } from '../conversations/index.js';
import { findTeam, teamsOfPerson } from '../people/index.js';
import {
  type Escalation,
  type EscalationSettings,
  insertEscalation,
  workspaceOwnerId,
} from './escalations.repo.js';

export const ESCALATION_APPLY_JOB = 'escalation.apply';
export const CALLBACK_DUE_JOB = 'escalation.callback_due';

export type EscalationTargetChoice = { ownerId: number | null; teamId: number | null };

async function leadOf(tx: Tx, workspaceId: number, teamId: number | null): Promise<number | null> {
  if (teamId === null) return null;
  return (await findTeam(tx, workspaceId, teamId))?.leadId ?? null;
}

/** The lead of the conversation's team; else of the assignee's (or the asking person's) first team with one. */
export async function teamLead(
  tx: Tx,
  conversation: Conversation,
  askedBy: number | null,
): Promise<number | null> {
  const own = await leadOf(tx, conversation.workspaceId, conversation.teamId);
  if (own !== null) return own;
  for (const personId of [conversation.assigneeId, askedBy]) {
    if (personId === null) continue;
    for (const teamId of await teamsOfPerson(tx, conversation.workspaceId, personId)) {
      const lead = await leadOf(tx, conversation.workspaceId, teamId);
      if (lead !== null && lead !== personId) return lead;
    }
  }
  return null;
}

/**
 * Who an escalation goes to. Automatic: the settings' target (the team lead, a named person, or a senior team
 * and its lead), else the workspace's owner. By hand: a named person or team when given; else `lead`: the team lead, `executive`: the
 * executive-escalation queue and its lead (`manager` needs a named person).
 */
export async function escalationTarget(
  tx: Tx,
  settings: EscalationSettings,
  conversation: Conversation,
  request: {
    level: EscalationLevel | 'automatic';
    personId?: number;
    teamId?: number;
    askedBy: number | null;
  },
): Promise<EscalationTargetChoice> {
  const ws = conversation.workspaceId;
  let teamId = request.teamId ?? null;
  let ownerId = request.personId ?? null;
  if (request.level === 'automatic') {
    if (settings.target === 'person') ownerId = settings.personId;
    else if (settings.target === 'team') teamId = settings.teamId;
  } else if (request.level === 'executive' && teamId === null) teamId = settings.executiveTeamId;
  if (ownerId === null) {
    if (teamId !== null) ownerId = await leadOf(tx, ws, teamId);
    else if (request.level === 'lead' || request.level === 'automatic')
      ownerId = await teamLead(tx, conversation, request.askedBy);
  }
  // Steward's own escalation always reaches someone: with no lead to be found, the workspace's owner.
  if (request.level === 'automatic' && ownerId === null) ownerId = await workspaceOwnerId(tx, ws);
  return { ownerId, teamId };
}

export async function escalate(
  tx: Tx,
  input: {
    conversation: Conversation;
    matterId: number | null;
    kind: 'automatic' | 'manual';
    level: EscalationLevel;
    reason: string;
    target: EscalationTargetChoice;
    callbackHours: number | null;
    raisePriority: string | null;
    tellCustomer: boolean;
    createdById: number | null;
    actor: Actor;
    now: Date;
  },
): Promise<Escalation | undefined> {
  const { conversation, now } = input;
  const ws = conversation.workspaceId;
  const calendar = (await resolveCalendar(tx, ws, input.target.teamId ?? conversation.teamId)).calendar;
  const callbackDueAt =
    input.callbackHours !== null ? addBusinessMinutes(calendar, now, input.callbackHours * 60) : null;
  const row = await insertEscalation(tx, {
    workspaceId: ws,
    conversationId: conversation.id,
    matterId: input.matterId,
    kind: input.kind,
    level: input.level,
    reason: input.reason,
    ownerId: input.target.ownerId,
    teamId: input.target.teamId,
    status: 'open',
    callbackDueAt,
    createdById: input.createdById,
    createdAt: now,
    updatedAt: now,
  });
  if (!row) return undefined;
  const about = `#${conversation.id} “${conversation.subject.slice(0, 60)}”`;
  await recordEvent(tx, {
    workspaceId: ws,
    type: 'conversation.escalated',
    entityType: 'conversation',
    entityId: conversation.id,
    actor: input.actor,
    data: {
      escalationId: row.id,
      kind: row.kind,
      level: row.level,
      reason: row.reason,
      ownerId: row.ownerId,
      teamId: row.teamId,
      matterId: row.matterId,
      callbackDueAt: callbackDueAt?.toISOString() ?? null,
      notifyPersonIds: row.ownerId !== null ? [row.ownerId] : [],
      notifyKind: 'escalation',
      notifyTitle: callbackDueAt
        ? `Escalated to you: ${about}, call the customer back`
        : `Escalated to you: ${about}`,
      notifyLink: `/conversations/${conversation.id}`,
    },
    at: now,
  });
  await enqueueJob(
    tx,
    {
      workspaceId: ws,
      type: ESCALATION_APPLY_JOB,
      payload: { escalationId: row.id, raisePriority: input.raisePriority, tellCustomer: input.tellCustomer },
      runAt: now,
    },
    now,
  );
  if (callbackDueAt)
    await enqueueJob(
      tx,
      {
        workspaceId: ws,
        type: CALLBACK_DUE_JOB,
        payload: { escalationId: row.id },
        runAt: callbackDueAt,
        dedupeKey: `escalation-callback:${row.id}`,
      },
      now,
    );
  return row;
}
