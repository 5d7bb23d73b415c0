import { type JobHandler, recordEvent, systemActor } from '../../platform/index.js';
import { findConversation } from '../conversations/index.js';
import { teamLead, workspaceOwnerId } from '../matters/index.js';
import { findResolution } from './authority.repo.js';
import { APPROVAL_DUE_JOB, formatAmount } from './authority.service.js';

/**
 * The approval SLA: a request still pending at its due time (business hours after it was asked) is put in
 * front of the approver again, and of the workspace's owner, once.
 */
const approvalDueHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const ws = job.workspaceId;
    const row = await findResolution(tx, ws, Number(job.payload.resolutionId), true);
    const now = ctx.clock.now();
    if (row?.status !== 'pending' || !row.approvalDueAt || row.approvalDueAt > now) return;
    const conversation = await findConversation(tx, ws, row.conversationId);
    if (!conversation) return;
    const ids = new Set<number>();
    const lead = await teamLead(tx, conversation, row.requestedById);
    if (lead !== null && lead !== row.requestedById) ids.add(lead);
    const owner = await workspaceOwnerId(tx, ws);
    if (owner !== null && owner !== row.requestedById) ids.add(owner);
    await recordEvent(tx, {
      workspaceId: ws,
      type: 'resolution.approval_overdue',
      entityType: 'conversation',
      entityId: row.conversationId,
      actor: systemActor,
      data: {
        resolutionId: row.id,
        approvalDueAt: row.approvalDueAt.toISOString(),
        notifyPersonIds: [...ids],
        notifyKind: 'approval_requested',
        notifyTitle: `Approval overdue: ${formatAmount(row)} on #${row.conversationId}`,
        notifyLink: '/approvals',
      },
      at: now,
    });
  },
};

export const authorityJobHandlers: Record<string, JobHandler> = { [APPROVAL_DUE_JOB]: approvalDueHandler };
