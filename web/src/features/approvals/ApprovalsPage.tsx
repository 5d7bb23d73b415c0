import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { amountText, authorityApi, exceededLabel, type Resolution } from '../../api/authority';
import { formatDateTime } from '../../format';
import { FailureNote } from '../../ui';
import { usePersonName, useSession } from '../session/session';

function Request({
  r,
  onDone,
}: {
  r: Resolution & { conversationSubject: string };
  onDone: (t: string) => void;
}) {
  const session = useSession();
  const personName = usePersonName();
  const ids = useId();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) =>
      approve ? authorityApi.approve(r.id, note.trim() || undefined) : authorityApi.reject(r.id, note.trim()),
    onSuccess: (x) =>
      onDone(
        `${x.status === 'applied' ? 'Approved' : 'Rejected'}: ${amountText(x)} on #${x.conversationId}.`,
      ),
  });
  const own = r.requestedById === session.person.id;
  return (
    <li className="escalation-item" aria-label={`Request ${r.id}`}>
      <Link to={`/conversations/${r.conversationId}`}>
        #{r.conversationId} {r.conversationSubject}
      </Link>
      <div>
        <strong>
          {r.kind.replace('_', ' ')} {amountText(r)}
        </strong>{' '}
        asked by {personName(r.requestedById) ?? 'someone'} {formatDateTime(r.createdAt)}
        {r.approvalDueAt && (
          <span className="muted small"> · answer by {formatDateTime(r.approvalDueAt)}</span>
        )}
      </div>
      <div className="small muted">
        {r.exceeded.map((x) => exceededLabel[x] ?? x).join(', ')}
        {r.note ? ` · “${r.note}”` : ''}
      </div>
      {own ? (
        <p className="small muted">Your own request: another lead decides it.</p>
      ) : (
        <div className="escalation-note">
          <label htmlFor={`${ids}-note`} className="small">
            Reason (required to reject)
          </label>
          <input id={`${ids}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          <button
            type="button"
            className="button small primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate(true)}
          >
            Approve
          </button>
          <button
            type="button"
            className="button small"
            disabled={decide.isPending || !note.trim()}
            onClick={() => decide.mutate(false)}
          >
            Reject
          </button>
        </div>
      )}
      <FailureNote error={decide.error} />
    </li>
  );
}

/** Approvals: the resolution requests above agents' authority, waiting for a lead; one click each. */
export default function ApprovalsPage() {
  const client = useQueryClient();
  const [notice, setNotice] = useState('');
  const list = useQuery({ queryKey: ['approvals'], queryFn: () => authorityApi.list('pending') });
  const done = (text: string) => {
    setNotice(text);
    void client.invalidateQueries({ queryKey: ['approvals'] });
  };
  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <h1>Approvals</h1>
      <p className="muted">
        Refunds, credits and other resolutions an agent asked for above their own authority.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <FailureNote error={list.error} />
      {list.isPending && <p className="loading">Loading…</p>}
      {list.data && items.length === 0 && <p className="empty">Nothing is waiting for approval.</p>}
      {items.length > 0 && (
        <ul className="escalation-list">
          {items.map((r) => (
            <Request key={r.id} r={r} onDone={done} />
          ))}
        </ul>
      )}
    </div>
  );
}
