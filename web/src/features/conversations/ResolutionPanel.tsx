import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  amountText,
  authorityApi,
  exceededLabel,
  type LimitValues,
  type MyAuthority,
  useConversationResolutions,
} from '../../api/authority';
import { portalApi } from '../../api/portal';
import { formatDateTime } from '../../format';
import { FailureNote } from '../../ui';
import { usePersonName } from '../session/session';

const statusText = { applied: 'Granted', pending: 'Waiting for approval', rejected: 'Rejected' } as const;

function limitText(a: MyAuthority): string {
  if (!a.limit) return 'You have no authority for it: a grant asks your lead.';
  const unit = (v: number) => amountText({ amount: v, unit: a.unit });
  const parts: string[] = [];
  const l: LimitValues = a.limit;
  if (l.perAction !== null) parts.push(`${unit(l.perAction)} per grant`);
  if (l.perConversation !== null)
    parts.push(`${unit(l.perConversation)} per conversation (${unit(a.spentOnConversation)} used here)`);
  if (l.perDay !== null) parts.push(`${unit(l.perDay)} a day (${unit(a.spentToday)} used today)`);
  if (l.perMonth !== null) parts.push(`${unit(l.perMonth)} a month (${unit(a.spentThisMonth)} used)`);
  return parts.length ? `Your authority: ${parts.join(', ')}.` : 'Your authority has no cap for it.';
}

/**
 * Resolve on the spot (README "Front-line authority"): the agent grants a refund, credit, replacement… within
 * their own limits at once; above them it goes to their lead for approval, and the panel says which limit.
 * The customer's own proposal (portal) can be what is granted.
 */
export function ResolutionPanel({ conversationId, writable }: { conversationId: number; writable: boolean }) {
  const ids = useId();
  const client = useQueryClient();
  const personName = usePersonName();
  const list = useConversationResolutions(conversationId);
  const mine = useQuery({
    queryKey: ['conversation', conversationId, 'authority'],
    queryFn: () => authorityApi.mine(conversationId),
    enabled: writable,
  });
  const proposals = useQuery({
    queryKey: ['conversation', conversationId, 'proposals'],
    queryFn: () => portalApi.proposals(conversationId),
    enabled: writable,
  });
  const [actionId, setActionId] = useState('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [proposalId, setProposalId] = useState('');
  const [notice, setNotice] = useState('');
  const actions = (mine.data?.items ?? []).filter((a) => a.enabled);
  const chosen = actions.find((a) => String(a.id) === actionId);
  const grant = useMutation({
    mutationFn: () =>
      authorityApi.grant(conversationId, {
        actionId: Number(actionId),
        amount: Number(amount),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(proposalId ? { proposalId: Number(proposalId) } : {}),
      }),
    onSuccess: (r) => {
      setNotice(
        r.status === 'applied'
          ? `${chosen?.name ?? 'Granted'} ${amountText(r)} granted.`
          : `Sent to your lead for approval: ${r.exceeded.map((x) => exceededLabel[x] ?? x).join(', ')}.`,
      );
      setAmount('');
      setNote('');
      setProposalId('');
      void client.invalidateQueries({ queryKey: ['conversation', conversationId] });
      void client.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
  const items = list.data?.items ?? [];
  if (!writable && items.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen && Number(amount) > 0) grant.mutate();
  };
  const nameOf = (id: number) => (mine.data?.items ?? []).find((a) => a.id === id)?.name ?? 'Action';
  return (
    <section className="side-card resolution-panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="side-title">
        Resolve on the spot
      </h2>
      {items.length > 0 && (
        <ul className="escalation-list" aria-label="Granted and requested">
          {items.map((r) => (
            <li key={r.id} className="escalation-item">
              <span className={`badge ${r.status === 'pending' ? 'badge-warn' : ''}`}>
                {statusText[r.status]}
              </span>{' '}
              {nameOf(r.actionId)} {amountText(r)}
              <div className="small muted">
                {personName(r.requestedById) ?? 'Someone'}, {formatDateTime(r.createdAt)}
                {r.decidedById !== null &&
                  ` · ${r.status === 'rejected' ? 'rejected' : 'approved'} by ${personName(r.decidedById) ?? 'a lead'}`}
                {r.decisionNote ? `: ${r.decisionNote}` : ''}
                {r.source === 'customer_proposal' ? ' · the customer’s proposal' : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
      {writable && (
        <form className="escalate-form" onSubmit={submit}>
          <label htmlFor={`${ids}-action`}>Action</label>
          <select id={`${ids}-action`} value={actionId} onChange={(e) => setActionId(e.target.value)}>
            <option value="">choose…</option>
            {actions.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          {chosen && <p className="small muted">{limitText(chosen)}</p>}
          <label htmlFor={`${ids}-amount`}>{chosen?.unit === 'count' ? 'How many' : 'Amount'}</label>
          <input
            id={`${ids}-amount`}
            type="number"
            min={chosen?.unit === 'count' ? 1 : 0.01}
            step={chosen?.unit === 'count' ? 1 : 0.01}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <label htmlFor={`${ids}-note`}>Note (optional)</label>
          <input id={`${ids}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          {(proposals.data?.items.length ?? 0) > 0 && (
            <>
              <label htmlFor={`${ids}-proposal`}>The customer’s proposal</label>
              <select
                id={`${ids}-proposal`}
                value={proposalId}
                onChange={(e) => setProposalId(e.target.value)}
              >
                <option value="">not from a proposal</option>
                {proposals.data?.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.body.slice(0, 60)}
                  </option>
                ))}
              </select>
            </>
          )}
          <div className="escalation-actions">
            <button
              type="submit"
              className="button small primary"
              disabled={!chosen || !(Number(amount) > 0) || grant.isPending}
            >
              Grant
            </button>
          </div>
          <FailureNote error={grant.error} />
        </form>
      )}
      {notice && (
        <p className="small" role="status">
          {notice}
        </p>
      )}
    </section>
  );
}
