import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import {
  type Escalation,
  type EscalationLevel,
  escalationsApi,
  levelLabel,
  useConversationEscalations,
} from '../../api/escalations';
import { formatDateTime } from '../../format';
import { FailureNote } from '../../ui';
import { usePeople, usePersonName } from '../session/session';

/** One escalation: to whom, why, the call-back and its state, with "Call-back done" and "Resolve". */
export function EscalationItem({
  e,
  writable,
  onChanged,
  heading,
}: {
  e: Escalation;
  writable: boolean;
  onChanged: (text: string) => void;
  /** Shown first (the Escalations page names the conversation). */
  heading?: ReactNode;
}) {
  const personName = usePersonName();
  const ids = useId();
  const [note, setNote] = useState('');
  const [noting, setNoting] = useState(false);
  const done = useMutation({
    mutationFn: () => escalationsApi.callbackDone(e.id, note.trim()),
    onSuccess: () => {
      setNoting(false);
      onChanged('Call-back recorded.');
    },
  });
  const resolve = useMutation({
    mutationFn: () => escalationsApi.resolve(e.id),
    onSuccess: () => onChanged('Escalation resolved.'),
  });
  const owner = e.ownerId !== null ? (personName(e.ownerId) ?? `Person ${e.ownerId}`) : 'nobody yet';
  const failure = done.error ?? resolve.error;
  return (
    <li className="escalation-item">
      {heading}
      <div>
        <span className={`badge ${e.status === 'open' ? 'badge-warn' : ''}`}>
          {e.kind === 'automatic' ? 'Automatic' : levelLabel[e.level]}
          {e.status === 'resolved' ? ' · resolved' : ''}
        </span>{' '}
        to <strong>{owner}</strong>
      </div>
      <div className="small">{e.reason}</div>
      {e.callbackDueAt && (
        <div className="small">
          {e.callbackDoneAt ? (
            <>
              Called back {formatDateTime(e.callbackDoneAt)}
              {e.callbackNote ? `: ${e.callbackNote}` : ''}
            </>
          ) : (
            <>
              Call-back due {formatDateTime(e.callbackDueAt)}
              {e.callbackOverdue && <span className="badge badge-warn"> overdue</span>}
            </>
          )}
          {e.customerToldAt && <span className="muted"> · customer told</span>}
        </div>
      )}
      {writable && e.status === 'open' && (
        <div className="escalation-actions">
          {e.callbackDueAt && !e.callbackDoneAt && !noting && (
            <button type="button" className="button small" onClick={() => setNoting(true)}>
              Call-back done
            </button>
          )}
          <button
            type="button"
            className="button small"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate()}
          >
            Resolve
          </button>
        </div>
      )}
      {noting && (
        <form
          className="escalation-note"
          onSubmit={(ev) => {
            ev.preventDefault();
            if (note.trim()) done.mutate();
          }}
        >
          <label htmlFor={`${ids}-note`} className="small">
            What was agreed on the call?
          </label>
          <input
            id={`${ids}-note`}
            value={note}
            onChange={(ev) => setNote(ev.target.value)}
            maxLength={2000}
          />
          <button type="submit" className="button small primary" disabled={!note.trim() || done.isPending}>
            Save call-back
          </button>
        </form>
      )}
      <FailureNote error={failure} />
    </li>
  );
}

/**
 * The conversation's escalations (README "Escalation"), and "Escalate…": to the team lead, a named manager or
 * the executive-escalation queue, with a reason and, optionally, a call-back the customer is told about.
 */
export function EscalationPanel({ conversationId, writable }: { conversationId: number; writable: boolean }) {
  const list = useConversationEscalations(conversationId);
  const people = usePeople();
  const client = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState<EscalationLevel>('lead');
  const [personId, setPersonId] = useState('');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('');
  const [tell, setTell] = useState(false);
  const [notice, setNotice] = useState('');
  const changed = (text: string) => {
    setNotice(text);
    void client.invalidateQueries({ queryKey: ['conversation', conversationId] });
    void client.invalidateQueries({ queryKey: ['escalations'] });
  };
  const escalate = useMutation({
    mutationFn: () =>
      escalationsApi.escalate(conversationId, {
        level,
        reason: reason.trim(),
        ...(personId ? { personId: Number(personId) } : {}),
        ...(hours ? { callbackHours: Number(hours), tellCustomer: tell } : {}),
      }),
    onSuccess: () => {
      setOpen(false);
      setReason('');
      setPersonId('');
      setHours('');
      changed('Escalated.');
    },
  });
  const items = list.data?.items ?? [];
  if (!writable && items.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) escalate.mutate();
  };
  const seniors = (people.data?.items ?? []).filter(
    (p) => p.status === 'active' && ['lead', 'manager', 'admin', 'owner', 'executive'].includes(p.role),
  );
  return (
    <section className="side-card escalation-panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="side-title">
        Escalation
      </h2>
      {items.length === 0 && <p className="muted small">Not escalated.</p>}
      {items.length > 0 && (
        <ul className="escalation-list">
          {items.map((e) => (
            <EscalationItem key={e.id} e={e} writable={writable} onChanged={changed} />
          ))}
        </ul>
      )}
      {writable && !open && (
        <button type="button" className="button small" onClick={() => setOpen(true)}>
          Escalate…
        </button>
      )}
      {writable && open && (
        <form className="escalate-form" onSubmit={submit}>
          <label htmlFor={`${ids}-level`}>To</label>
          <select
            id={`${ids}-level`}
            value={level}
            onChange={(e) => setLevel(e.target.value as EscalationLevel)}
          >
            {(Object.keys(levelLabel) as EscalationLevel[]).map((l) => (
              <option key={l} value={l}>
                {levelLabel[l]}
              </option>
            ))}
          </select>
          <label htmlFor={`${ids}-person`}>Person {level === 'manager' ? '' : '(optional)'}</label>
          <select id={`${ids}-person`} value={personId} onChange={(e) => setPersonId(e.target.value)}>
            <option value="">{level === 'manager' ? 'choose…' : 'the default for this level'}</option>
            {seniors.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor={`${ids}-reason`}>Reason</label>
          <textarea
            id={`${ids}-reason`}
            value={reason}
            rows={2}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
          />
          <label htmlFor={`${ids}-hours`}>Call back within (business hours, optional)</label>
          <input
            id={`${ids}-hours`}
            type="number"
            min={1}
            max={80}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
          {hours && (
            <label className="check">
              <input type="checkbox" checked={tell} onChange={(e) => setTell(e.target.checked)} /> Tell the
              customer who will call and when
            </label>
          )}
          <div className="escalation-actions">
            <button
              type="submit"
              className="button small primary"
              disabled={!reason.trim() || (level === 'manager' && !personId) || escalate.isPending}
            >
              Escalate
            </button>
            <button type="button" className="button small" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          <FailureNote error={escalate.error} />
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
