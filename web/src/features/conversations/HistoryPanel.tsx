import { useId } from 'react';
import { type MatterRule, ruleText } from '../../api/matters';
import { useContactReasons } from '../../api/reasons';
import type { TimelineEvent } from '../../api/types';
import { formatDateTime, statusLabel } from '../../format';
import { usePersonName, useTeamName } from '../session/session';

type Names = {
  person: (id: number | null) => string | undefined;
  team: (id: number | null) => string | undefined;
  reason?: (id: number) => string | undefined;
};

const field = (e: TimelineEvent, side: 'before' | 'after', name: string): unknown =>
  (e.data[side] as Record<string, unknown> | undefined)?.[name];

const idOf = (v: unknown) => (typeof v === 'number' ? v : null);

const routingModeText: Record<string, string> = { round_robin: 'round robin', least_busy: 'least busy' };

/** One sentence per event, in the words an agent would use ("Assigned to Grace"). */
export function describeEvent(e: TimelineEvent, names: Names): string {
  switch (e.type) {
    case 'conversation.created':
      return 'Conversation started';
    case 'conversation.continued':
      return 'Continued from an earlier conversation';
    case 'conversation.solved':
      return 'Solved';
    case 'conversation.reopened':
      return 'Reopened';
    case 'conversation.closed':
      return 'Closed';
    case 'conversation.status_changed': {
      const to = String(field(e, 'after', 'status') ?? '');
      return `Status set to ${statusLabel[to] ?? to}`;
    }
    case 'conversation.assigned': {
      const to = idOf(field(e, 'after', 'assigneeId'));
      const from = idOf(field(e, 'before', 'assigneeId'));
      if (to === null) return `Unassigned${from ? ` from ${names.person(from) ?? 'a colleague'}` : ''}`;
      const who = names.person(to) ?? `person #${to}`;
      // Routing says which rule chose whom, and why: "Assigned to Grace (round robin: next in rotation)".
      const routing = e.data.routing as { mode?: string; reason?: string } | undefined;
      if (routing)
        return `Assigned to ${who} (${routingModeText[routing.mode ?? ''] ?? routing.mode}: ${routing.reason ?? ''})`;
      if (e.data.claimed === true) return 'Taken from the queue';
      return `Assigned to ${who}`;
    }
    case 'conversation.team_changed': {
      const to = idOf(field(e, 'after', 'teamId'));
      return to === null ? 'Removed from its team' : `Moved to team ${names.team(to) ?? `#${to}`}`;
    }
    case 'conversation.priority_changed':
      return `Priority set to ${String(field(e, 'after', 'priority') ?? '?')}`;
    case 'conversation.tagged': {
      const before = (field(e, 'before', 'tags') as string[] | undefined) ?? [];
      const after = (field(e, 'after', 'tags') as string[] | undefined) ?? [];
      const added = after.filter((t) => !before.includes(t));
      const removed = before.filter((t) => !after.includes(t));
      const parts = [
        added.length ? `tagged ${added.join(', ')}` : '',
        removed.length ? `untagged ${removed.join(', ')}` : '',
      ].filter(Boolean);
      const text = parts.join('; ') || 'tags changed';
      return text[0]!.toUpperCase() + text.slice(1);
    }
    case 'conversation.subject_changed':
      return `Subject changed to “${String(field(e, 'after', 'subject') ?? '')}”`;
    case 'conversation.customer_changed':
      return 'Moved to another customer (customers merged)';
    case 'conversation.contact_reason_set': {
      if (field(e, 'after', 'noneFits') === true) return 'No contact reason fits (a new problem?)';
      const to = idOf(field(e, 'after', 'contactReasonId'));
      if (to === null) return 'Contact reason cleared';
      const what =
        idOf(field(e, 'before', 'contactReasonId')) === null && field(e, 'before', 'noneFits') !== true
          ? 'Contact reason set'
          : 'Contact reason changed';
      const name = names.reason?.(to);
      return name ? `${what} to “${name}”` : what;
    }
    case 'message.sentiment_corrected': {
      const before = String(field(e, 'before', 'label') ?? '');
      const after = String(field(e, 'after', 'label') ?? '');
      return before === after
        ? `A customer message’s sentiment confirmed as ${after}`
        : `A customer message’s sentiment corrected: ${before} → ${after}`;
    }
    case 'conversation.matter_assigned':
      return `Matter: ${ruleText(e.data?.rule as MatterRule, typeof e.data?.score === 'number' ? e.data.score : null)}`;
    case 'conversation.escalated': {
      const owner =
        typeof e.data.ownerId === 'number' ? (names.person(e.data.ownerId) ?? 'someone') : 'nobody yet';
      return `Escalated to ${owner}: ${String(e.data.reason ?? '')}`;
    }
    case 'escalation.callback_overdue':
      return 'The call-back is due';
    case 'escalation.called_back':
      return `Called the customer back${e.data.note ? `: ${String(e.data.note)}` : ''}`;
    case 'escalation.resolved':
      return 'Escalation resolved';
    case 'conversation.macro_applied':
      return `Macro “${String(e.data.name ?? '')}” applied`;
    case 'message.received':
      return 'Customer message received';
    case 'message.sent':
      return 'Reply sent';
    case 'note.added':
      return 'Internal note added';
    default:
      return e.type.replace(/^conversation\./, '').replaceAll('_', ' ');
  }
}

function actorText(e: TimelineEvent, names: Names): string {
  if (e.actorType === 'person' && e.actorId) return names.person(e.actorId) ?? 'a colleague';
  if (e.actorType === 'customer') return 'the customer';
  if (e.actorType === 'token') return 'an API integration';
  if (e.actorType === 'routing') return 'routing';
  return 'Steward';
}

/** Every recorded change of the conversation, newest first: what, by whom, when. Closed until opened. */
export function HistoryPanel({ events }: { events: TimelineEvent[] }) {
  const person = usePersonName();
  const team = useTeamName();
  const reasons = useContactReasons();
  const id = useId();
  const names = {
    person,
    team,
    reason: (reasonId: number) => reasons.data?.find((r) => r.id === reasonId)?.pathText,
  };
  const newestFirst = [...events].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  return (
    <section className="side-card history-card" aria-labelledby={`${id}-title`}>
      <details>
        <summary>
          <h2 id={`${id}-title`} className="side-title history-title">
            History <span className="muted small">({events.length})</span>
          </h2>
        </summary>
        {newestFirst.length === 0 ? (
          <p className="muted small">Nothing has changed yet.</p>
        ) : (
          <ol className="history-list">
            {newestFirst.map((e) => (
              <li key={e.id}>
                <span>{describeEvent(e, names)}</span>{' '}
                <span className="muted small">
                  by {actorText(e, names)} · <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
                </span>
              </li>
            ))}
          </ol>
        )}
      </details>
    </section>
  );
}
