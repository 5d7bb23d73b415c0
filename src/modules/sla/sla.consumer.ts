import type { EventConsumer } from '../../platform/index.js';
import { listConversations } from '../conversations/index.js';
import { requestRecompute } from './recompute.job.js';
import { listPolicies } from './sla.repo.js';
import { recomputeConversationSla, recomputeConversationsSla } from './sla-state.js';

export const SLA_CONSUMER = 'sla';

/** Conversation events that can move a clock or change which policy applies. */
const conversationTypes = [
  'conversation.created',
  'message.received',
  'message.sent',
  'conversation.status_changed',
  'conversation.solved',
  'conversation.reopened',
  'conversation.closed',
  'conversation.priority_changed',
  'conversation.team_changed',
  'conversation.tagged',
  'conversation.customer_changed',
  'conversation.merged',
  'conversation.merged_into',
];

/** Changes of business hours: a calendar's week, holidays or default flag, or which calendar a team follows. */
const calendarTypes = ['calendar.created', 'calendar.updated', 'team.calendar_changed'];

/**
 * Keeps every conversation's SLA clocks in step with its history: each event recomputes the clocks of the
 * conversation it concerns (from the event log's times, so a late consumer computes the same deadlines); a
 * customer's tier change recomputes the customer's conversations still in progress; a change of business
 * hours recomputes every conversation in progress as chunked background work (`sla.recompute`), when a
 * policy counts in business time at all.
 */
export const slaConsumer: EventConsumer = {
  types: [...conversationTypes, 'customer.updated', ...calendarTypes],
  async handle(tx, event, ctx) {
    const now = ctx.clock.now();
    if (calendarTypes.includes(event.type)) {
      const policies = await listPolicies(tx, event.workspaceId);
      if (policies.some((p) => p.businessHours)) await requestRecompute(tx, event.workspaceId, now);
      return;
    }
    if (event.type !== 'customer.updated') {
      await recomputeConversationSla(tx, event.workspaceId, event.entityId, now);
      return;
    }
    const changed = event.data.after as Record<string, unknown> | undefined;
    if (!changed || !('tier' in changed)) return;
    let after: Parameters<typeof listConversations>[3];
    for (;;) {
      const page = await listConversations(
        tx,
        event.workspaceId,
        { customerId: event.entityId, statuses: ['new', 'open', 'pending', 'on_hold'] },
        after,
        200,
      );
      await recomputeConversationsSla(
        tx,
        event.workspaceId,
        page.map((row) => row.conversation.id),
        now,
      );
      if (page.length < 200) break;
      after = page.at(-1)!.sortKey;
    }
  },
};
