import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { escalationsApi, type ListedEscalation } from '../../api/escalations';
import { FailureNote } from '../../ui';
import { EscalationItem } from '../conversations/EscalationPanel';
import { usePersonName, useSession } from '../session/session';

/**
 * Escalations (README "Escalation"): the open ones by owner, the call-back due soonest first, overdue ones
 * flagged; "Mine" narrows to one's own. Call-back done and Resolve in place.
 */
export default function EscalationsPage() {
  const session = useSession();
  const personName = usePersonName();
  const client = useQueryClient();
  const [mine, setMine] = useState(false);
  const [notice, setNotice] = useState('');
  const ownerId = mine ? session.person.id : undefined;
  const list = useQuery({
    queryKey: ['escalations', 'open', ownerId],
    queryFn: () => escalationsApi.list('open', ownerId),
  });
  const items = list.data?.items ?? [];
  const groups = new Map<number | null, ListedEscalation[]>();
  for (const e of items) groups.set(e.ownerId, [...(groups.get(e.ownerId) ?? []), e]);
  const overdue = items.filter((e) => e.callbackOverdue).length;
  const due = items.filter((e) => e.callbackDueAt && !e.callbackDoneAt).length;
  const changed = (text: string) => {
    setNotice(text);
    void client.invalidateQueries({ queryKey: ['escalations'] });
  };
  return (
    <div className="page">
      <h1>Escalations</h1>
      <p className="muted">
        Matters that reached the contact threshold, and conversations escalated by hand, until resolved. The
        call-back due soonest comes first.
      </p>
      <label className="check">
        <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only mine
      </label>
      <FailureNote error={list.error} />
      {list.isPending && <p className="loading">Loading…</p>}
      {list.data && (
        <p data-testid="escalation-counts">
          {items.length} open · {due} call-backs due · {overdue} overdue
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {list.data && items.length === 0 && <p className="empty">No open escalations.</p>}
      {[...groups.entries()].map(([owner, rows]) => (
        <section
          key={String(owner)}
          className="card escalation-group"
          aria-label={`Escalations of ${owner === null ? 'nobody' : (personName(owner) ?? `Person ${owner}`)}`}
        >
          <h2>{owner === null ? 'No owner' : (personName(owner) ?? `Person ${owner}`)}</h2>
          <ul className="escalation-list">
            {rows.map((e) => (
              <EscalationItem
                key={e.id}
                e={e}
                writable
                onChanged={changed}
                heading={
                  <div>
                    <Link to={`/conversations/${e.conversationId}`}>
                      #{e.conversationId} {e.conversationSubject}
                    </Link>{' '}
                    <span className="muted small">{e.customerName ?? ''}</span>
                  </div>
                }
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
