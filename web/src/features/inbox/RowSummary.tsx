import { deadlineMark, dueText } from '../../api/sla';
import type { Conversation, ConversationListItem } from '../../api/types';
import { ChannelIcon } from '../../ChannelIcon';
import { channelLabel, formatAge, formatAgo, priorityLabel, statusLabel } from '../../format';
import { DistressBadge } from '../conversations/CustomerMood';

/** A customer is waiting when their last message came after our last answer. */
function waitingSince(c: Conversation): string | null {
  if (!c.lastInboundAt || ['solved', 'closed'].includes(c.status)) return null;
  if (c.lastOutboundAt && c.lastOutboundAt >= c.lastInboundAt) return null;
  return c.lastInboundAt;
}

/** What an inbox row says of its conversation: who, what, the latest words, its marks and facts. */
export function RowSummary({ c, assignee }: { c: ConversationListItem; assignee: string | undefined }) {
  const waiting = waitingSince(c);
  const mark = deadlineMark(c);
  return (
    <>
      <span className="row-customer">{c.customer.name}</span>
      <span className="row-subject">{c.subject}</span>
      <span className="row-preview">{c.lastMessagePreview}</span>
      <span className="row-meta">
        <span className="row-badges">
          {c.priority !== 'normal' && (
            <span className={`badge priority-${c.priority}`}>{priorityLabel[c.priority]}</span>
          )}
          <span className={`badge status-${c.status}`}>{statusLabel[c.status]}</span>
          {mark === 'breached' && <span className="badge sla-breached">SLA breached</span>}
          {mark === 'at_risk' && <span className="badge sla-at_risk">SLA at risk</span>}
          <DistressBadge signals={c.distressSignals} />
        </span>
        <span className="row-facts">
          <span className="muted row-channel">
            <ChannelIcon channel={c.channel} />
            {channelLabel[c.channel]}
          </span>
          <span className={waiting ? 'waiting' : 'muted'}>
            {waiting ? `waiting ${formatAge(waiting)}` : `updated ${formatAgo(c.updatedAt)}`}
          </span>
          {c.slaNextDueAt && (
            <span className={mark === 'running' ? 'muted' : 'waiting'}>{dueText(c.slaNextDueAt)}</span>
          )}
          <span className="muted">{assignee ? `→ ${assignee}` : 'unassigned'}</span>
          {c.tags.length > 0 && (
            <span className="row-tags">
              <span className="visually-hidden">Tags: </span>
              {c.tags.slice(0, 3).map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))}
              {c.tags.length > 3 && <span className="muted"> +{c.tags.length - 3}</span>}
            </span>
          )}
        </span>
      </span>
    </>
  );
}
