import type { Priority } from '../../db/schema/conversations.js';
import { type Deps, type JobHandler, recordEvent, systemActor } from '../../platform/index.js';
import { dueForCustomer, promiseZones } from '../commitments/index.js';
import { addMessage, changeConversation, findConversation } from '../conversations/index.js';
import { findCustomer } from '../customers/index.js';
import { findPerson } from '../people/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { findEscalation, updateEscalation } from './escalations.repo.js';
import { CALLBACK_DUE_JOB, ESCALATION_APPLY_JOB } from './escalations.service.js';

const rank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const steward = { actor: systemActor, personId: 0, canReassign: true };

/**
 * Applies an escalation to its conversation, through `changeConversation` (events, realtime, rules as for any
 * change): the priority raised (never lowered), the owner as assignee, the team when it names one; then tells
 * the customer who will call back and by when (once: `customer_told_at`, set with the message). At least once,
 * and idempotent.
 */
function applyHandler(deps: Deps): JobHandler {
  return {
    kind: 'external',
    async run(job) {
      const ws = job.workspaceId;
      const p = job.payload as {
        escalationId: number;
        raisePriority: Priority | null;
        tellCustomer: boolean;
      };
      const escalation = await findEscalation(deps.db, ws, Number(p.escalationId));
      if (escalation?.status !== 'open') return;
      const conversation = await findConversation(deps.db, ws, escalation.conversationId);
      if (!conversation || conversation.status === 'closed') return;
      const patch: { priority?: Priority; assigneeId?: number; teamId?: number } = {};
      if (p.raisePriority && rank[p.raisePriority] > rank[conversation.priority])
        patch.priority = p.raisePriority;
      if (escalation.teamId !== null && escalation.teamId !== conversation.teamId)
        patch.teamId = escalation.teamId;
      if (escalation.ownerId !== null && escalation.ownerId !== conversation.assigneeId)
        patch.assigneeId = escalation.ownerId;
      if (Object.keys(patch).length > 0) {
        const changed = await changeConversation(deps, ws, conversation.id, steward, patch);
        // The owner may not be allowed to take it (not in the team): the rest still applies.
        if (!changed.ok && patch.assigneeId !== undefined) {
          const { assigneeId: _, ...rest } = patch;
          if (Object.keys(rest).length > 0)
            await changeConversation(deps, ws, conversation.id, steward, rest);
        }
      }
      if (!p.tellCustomer || !escalation.callbackDueAt || escalation.ownerId === null) return;
      if (escalation.customerToldAt) return;
      const owner = await findPerson(deps.db, ws, escalation.ownerId);
      const customer = await findCustomer(deps.db, ws, conversation.customerId);
      const zone = await promiseZones(deps.db, ws)(escalation.teamId ?? conversation.teamId);
      const rendered = await renderCustomerTemplate(
        deps.db,
        ws,
        'escalation.callback',
        { customerLocale: customer?.locale },
        {
          customerName: customer?.name ?? '',
          subject: conversation.subject,
          reference: String(conversation.id),
          calledBy: owner?.name ?? '',
          callbackBy: dueForCustomer(escalation.callbackDueAt, zone, customerLang(customer?.locale)),
        },
      );
      await addMessage(
        deps,
        ws,
        conversation.id,
        { actor: systemActor, personId: 0, canReassign: false },
        {
          direction: 'outbound',
          body: rendered.text,
          within: async (tx) => {
            const locked = await findEscalation(tx, ws, escalation.id, true);
            if (locked?.customerToldAt) throw new AlreadyTold();
            await updateEscalation(tx, ws, escalation.id, { customerToldAt: deps.clock.now() });
          },
        },
      ).catch((err: unknown) => {
        if (!(err instanceof AlreadyTold)) throw err;
      });
    },
  };
}

class AlreadyTold extends Error {}

/** The language a due time is written in: the customer's, else English. */
const customerLang = (locale: string | null | undefined) => (locale ?? 'en').split('-')[0] || 'en';

/** At the call-back's due time, still not done: its owner (and the event on the timeline) hear of it, once. */
const callbackDueHandler: JobHandler = {
  kind: 'db',
  async run(tx, job, ctx) {
    const ws = job.workspaceId;
    const escalation = await findEscalation(tx, ws, Number(job.payload.escalationId), true);
    const now = ctx.clock.now();
    if (escalation?.status !== 'open' || escalation.callbackDoneAt) return;
    if (!escalation.callbackDueAt || escalation.callbackDueAt > now) return;
    await recordEvent(tx, {
      workspaceId: ws,
      type: 'escalation.callback_overdue',
      entityType: 'conversation',
      entityId: escalation.conversationId,
      actor: systemActor,
      data: {
        escalationId: escalation.id,
        ownerId: escalation.ownerId,
        callbackDueAt: escalation.callbackDueAt.toISOString(),
        notifyPersonIds: escalation.ownerId !== null ? [escalation.ownerId] : [],
        notifyKind: 'escalation',
        notifyTitle: `A call-back is due now: #${escalation.conversationId}`,
        notifyLink: `/conversations/${escalation.conversationId}`,
      },
      at: now,
    });
  },
};

export function escalationJobHandlers(deps: Deps): Record<string, JobHandler> {
  return { [ESCALATION_APPLY_JOB]: applyHandler(deps), [CALLBACK_DUE_JOB]: callbackDueHandler };
}
