/**
 * Front-line authority (README "Front-line authority"): an agent grants a resolution action on a conversation;
 * within their limits it applies at once ("resolve on the spot"), above them it becomes a request a lead
 * approves or rejects, with its own SLA. Every grant is in the ledger (`resolutions`), and an applied one is an
 * event (`resolution.applied`) that the signed outbound webhooks carry to the company's billing or order system.
 *
 * Limits hold under concurrent grants: the check and the insert run under a transaction-scoped advisory lock
 * per (workspace, action), so two grants of one action never both see the same budget as free.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.js';
import { type Actor, enqueueJob, fail, ok, type Result, recordEvent } from '../../platform/index.js';
import { addBusinessMinutes, resolveCalendar } from '../calendars/index.js';
import { type Conversation, findConversation } from '../conversations/index.js';
import { matterOfConversation, teamLead, workspaceOwnerId } from '../matters/index.js';
import { findPerson } from '../people/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  findAction,
  findResolution,
  insertResolution,
  limitFor,
  proposalOf,
  type Resolution,
  readAuthoritySettings,
  spent,
  updateResolution,
} from './authority.repo.js';
import { exceededLimits, fromMinor, periodStarts, toMinor } from './limits.js';

export const APPROVAL_DUE_JOB = 'resolution.approval_due';

export type Grant = { actionId: number; amount: number; note?: string; proposalId?: number };
export type Granter = { actor: Actor; personId: number };

const DEFAULT_ZONE = 'UTC';

/** Who is asked to approve: the lead of the conversation's team, else of the requester's; else the owner. */
async function approversOf(tx: Tx, conversation: Conversation, requesterId: number): Promise<number[]> {
  const lead = await teamLead(tx, conversation, requesterId);
  if (lead !== null && lead !== requesterId) return [lead];
  const owner = await workspaceOwnerId(tx, conversation.workspaceId);
  return owner !== null && owner !== requesterId ? [owner] : [];
}

const resolutionEvent = (
  row: Resolution,
  type: string,
  actor: Actor,
  at: Date,
  extra: Record<string, unknown> = {},
) => ({
  workspaceId: row.workspaceId,
  type,
  entityType: 'conversation',
  entityId: row.conversationId,
  actor,
  data: {
    resolutionId: row.id,
    kind: row.kind,
    unit: row.unit,
    amount: fromMinor(row.amount, row.unit),
    currency: row.currency,
    customerId: row.customerId,
    requestedById: row.requestedById,
    decidedById: row.decidedById,
    note: row.note,
    source: row.source,
    ...extra,
  },
  at,
});

export async function grantResolution(
  tx: Tx,
  workspaceId: number,
  conversationId: number,
  by: Granter,
  input: Grant,
  now: Date,
): Promise<Result<Resolution>> {
  const conversation = await findConversation(tx, workspaceId, conversationId);
  if (!conversation) return fail('CONVERSATION_NOT_FOUND', 'Conversation not found');
  const action = await findAction(tx, workspaceId, input.actionId);
  if (!action) return fail('RESOLUTION_ACTION_NOT_FOUND', 'Resolution action not found');
  if (!action.enabled)
    return fail('RESOLUTION_ACTION_DISABLED', `“${action.name}” is switched off in this workspace`);
  const amount = toMinor(input.amount, action.unit);
  if (amount === null)
    return fail(
      'VALIDATION_FAILED',
      action.unit === 'count'
        ? `${action.name} is counted in whole items: a positive whole number`
        : 'An amount of money is positive, with at most two decimals',
    );
  if (
    input.proposalId !== undefined &&
    !(await proposalOf(tx, workspaceId, conversationId, input.proposalId))
  )
    return fail('NOT_FOUND', 'The customer made no such proposal on this conversation');
  const person = await findPerson(tx, workspaceId, by.personId);
  if (!person) return fail('PERSON_NOT_FOUND', 'Person not found');

  // One grant of this action at a time in the workspace: the budget check and the insert are one step.
  await tx.execute(sql`select pg_advisory_xact_lock(${workspaceId}::int, ${action.id}::int)`);
  const workspace = await findWorkspaceById(tx, workspaceId);
  const starts = periodStarts(now, workspace?.settings.timeZone ?? DEFAULT_ZONE);
  const limit = await limitFor(tx, workspaceId, action.id, { id: person.id, role: person.role });
  const used = await spent(tx, workspaceId, action.id, person.id, conversationId, starts);
  const exceeded = exceededLimits(limit, used, amount, action.workspacePerDay);
  const settings = await readAuthoritySettings(tx, workspaceId);
  const matter = await matterOfConversation(tx, workspaceId, conversationId);
  const within = exceeded.length === 0;
  const approvalDueAt = within
    ? null
    : addBusinessMinutes(
        (await resolveCalendar(tx, workspaceId, conversation.teamId)).calendar,
        now,
        settings.approvalBusinessHours * 60,
      );
  const row = await insertResolution(tx, {
    workspaceId,
    conversationId,
    customerId: conversation.customerId,
    matterId: matter?.matterId ?? null,
    actionId: action.id,
    kind: action.kind,
    unit: action.unit,
    amount,
    currency: action.unit === 'currency' ? settings.currency : null,
    note: input.note ?? null,
    source: input.proposalId !== undefined ? 'customer_proposal' : 'agent',
    proposalId: input.proposalId ?? null,
    status: within ? 'applied' : 'pending',
    exceeded,
    requestedById: person.id,
    teamId: conversation.teamId,
    contactReasonId: conversation.contactReasonId,
    approvalDueAt,
    appliedAt: within ? now : null,
    createdAt: now,
  });
  if (within) {
    await recordEvent(tx, resolutionEvent(row, 'resolution.applied', by.actor, now, { onTheSpot: true }));
    return ok(row);
  }
  const approvers = await approversOf(tx, conversation, person.id);
  await recordEvent(
    tx,
    resolutionEvent(row, 'resolution.requested', by.actor, now, {
      exceeded,
      approvalDueAt: approvalDueAt?.toISOString(),
      notifyPersonIds: approvers,
      notifyKind: 'approval_requested',
      notifyTitle: `Approve ${action.name} ${formatAmount(row)} on #${conversationId} “${conversation.subject.slice(0, 60)}”`,
      notifyLink: `/approvals`,
    }),
  );
  if (approvalDueAt)
    await enqueueJob(
      tx,
      {
        workspaceId,
        type: APPROVAL_DUE_JOB,
        payload: { resolutionId: row.id },
        runAt: approvalDueAt,
        dedupeKey: `resolution-approval:${row.id}`,
      },
      now,
    );
  return ok(row);
}

export const formatAmount = (r: Pick<Resolution, 'amount' | 'unit' | 'currency'>) =>
  r.unit === 'count' ? `× ${r.amount}` : `${(r.amount / 100).toFixed(2)} ${r.currency ?? ''}`.trim();

/**
 * A lead approves (the action applies now) or rejects (nothing changes but the request's status) a pending
 * request, with a note (required to reject). Nobody decides their own request.
 */
export async function decideResolution(
  tx: Tx,
  workspaceId: number,
  id: number,
  by: Granter,
  decision: { approve: boolean; note?: string },
  now: Date,
): Promise<Result<Resolution>> {
  const row = await findResolution(tx, workspaceId, id, true);
  if (!row) return fail('RESOLUTION_NOT_FOUND', 'Resolution not found');
  if (row.status !== 'pending') return fail('RESOLUTION_DECIDED', `The request was already ${row.status}`);
  if (row.requestedById === by.personId)
    return fail('FORBIDDEN', 'Nobody approves or rejects their own request');
  const updated = await updateResolution(tx, workspaceId, id, {
    status: decision.approve ? 'applied' : 'rejected',
    decidedById: by.personId,
    decisionNote: decision.note ?? null,
    decidedAt: now,
    appliedAt: decision.approve ? now : null,
  });
  await recordEvent(
    tx,
    resolutionEvent(updated, decision.approve ? 'resolution.applied' : 'resolution.rejected', by.actor, now, {
      onTheSpot: false,
      decisionNote: updated.decisionNote,
      notifyPersonIds: [row.requestedById],
      notifyKind: 'approval_decided',
      notifyTitle: decision.approve
        ? `Approved: ${formatAmount(row)} on #${row.conversationId}`
        : `Rejected: ${formatAmount(row)} on #${row.conversationId}`,
      notifyLink: `/conversations/${row.conversationId}`,
    }),
  );
  return ok(updated);
}
