import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { messageOf } from '../../api/client';
import { type Commitment, commitmentsApi, useConversationCommitments } from '../../api/commitments';
import { dueText, timeText } from '../../api/sla';
import { FailureNote } from '../../ui';
import { usePersonName } from '../session/session';

const statusLabel: Record<Commitment['status'], string> = {
  suggested: 'Suggested',
  open: 'Open',
  kept: 'Kept',
  broken: 'Broken',
  dismissed: 'Dismissed',
};

type Closing = { id: number; outcome: 'kept' | 'broken' } | null;

/**
 * The conversation's promises to the customer: open ones with their due time, suggestions found in replies
 * (confirm or dismiss), kept and broken ones with their note; add a promise with a due time in words.
 */
export function PromisesPanel({ conversationId, writable }: { conversationId: number; writable: boolean }) {
  const uid = useId();
  const client = useQueryClient();
  const list = useConversationCommitments(conversationId);
  const personName = usePersonName();
  const [text, setText] = useState('');
  const [due, setDue] = useState('');
  /** The due words last left (blur): what they mean is shown before the promise is added. */
  const [checked, setChecked] = useState('');
  const preview = useQuery({
    queryKey: ['due-preview', conversationId, checked],
    queryFn: () => commitmentsApi.preview(conversationId, checked),
    enabled: checked !== '',
    retry: false,
  });
  const [closing, setClosing] = useState<Closing>(null);
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState('');
  const refresh = () =>
    client.invalidateQueries({ queryKey: ['conversation', conversationId, 'commitments'] });

  const add = useMutation({
    mutationFn: () => commitmentsApi.create(conversationId, { text: text.trim(), due: due.trim() }),
    onSuccess: (c) => {
      setText('');
      setDue('');
      setChecked('');
      setNotice(`Promise added, due ${timeText(c.dueAt, { endOfDay: true })}.`);
      void refresh();
    },
  });
  const act = useMutation({
    mutationFn: (a: { c: Commitment; kind: 'kept' | 'broken' | 'confirm' | 'dismiss'; note?: string }) => {
      if (a.kind === 'kept') return commitmentsApi.fulfil(conversationId, a.c.id, a.note);
      if (a.kind === 'broken') return commitmentsApi.break(conversationId, a.c.id, a.note ?? '');
      if (a.kind === 'confirm') return commitmentsApi.confirm(conversationId, a.c.id);
      return commitmentsApi.dismiss(conversationId, a.c.id);
    },
    onSuccess: (c, a) => {
      setClosing(null);
      setNote('');
      const done = {
        kept: 'marked kept',
        broken: 'marked broken',
        confirm: 'confirmed',
        dismiss: 'dismissed',
      };
      setNotice(`Promise “${c.text.slice(0, 60)}” ${done[a.kind]}.`);
      void refresh();
    },
  });

  const submitAdd = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() && due.trim()) add.mutate();
  };
  const submitClose = (e: FormEvent, c: Commitment) => {
    e.preventDefault();
    if (!closing) return;
    if (closing.outcome === 'broken' && !note.trim()) return;
    act.mutate({ c, kind: closing.outcome, note: note.trim() || undefined });
  };

  const items = list.data?.items ?? [];
  const now = Date.now();
  return (
    <section className="side-card promises-card" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="side-title">
        Promises
      </h2>
      {list.isError && <FailureNote error={list.error} />}
      {items.length === 0 && list.isSuccess && <p className="muted">No promises on this conversation.</p>}
      <ul className="promise-list">
        {items.map((c) => (
          <li key={c.id} className={`promise promise-${c.status}${c.overdue ? ' promise-overdue' : ''}`}>
            <p className="promise-text">{c.text}</p>
            <p className="small">
              <span className={`badge promise-badge promise-badge-${c.status}`}>
                {c.overdue ? 'Overdue' : statusLabel[c.status]}
              </span>{' '}
              {c.status === 'kept' && c.keptAt
                ? `kept ${timeText(c.keptAt)}${Date.parse(c.keptAt) > Date.parse(c.dueAt) ? ' (late)' : ''}`
                : c.status === 'broken' && c.brokenAt
                  ? `broken ${timeText(c.brokenAt)}`
                  : `${dueText(c.dueAt, now)} (by ${timeText(c.dueAt, { endOfDay: true })})`}
              {' · '}
              {personName(c.ownerId) ?? 'someone'}
            </p>
            {c.note && (
              <p className="small muted">{c.status === 'broken' ? `Reason: ${c.note}` : `Note: ${c.note}`}</p>
            )}
            {writable && c.status === 'suggested' && (
              <div className="promise-actions">
                <span className="small muted">Found in a reply.</span>
                <button type="button" className="button" onClick={() => act.mutate({ c, kind: 'confirm' })}>
                  Confirm<span className="visually-hidden"> promise “{c.text}”</span>
                </button>
                <button type="button" className="button" onClick={() => act.mutate({ c, kind: 'dismiss' })}>
                  Dismiss<span className="visually-hidden"> suggestion “{c.text}”</span>
                </button>
              </div>
            )}
            {writable && c.status === 'open' && closing?.id !== c.id && (
              <div className="promise-actions">
                <button
                  type="button"
                  className="button"
                  onClick={() => setClosing({ id: c.id, outcome: 'kept' })}
                >
                  Kept<span className="visually-hidden"> “{c.text}”</span>
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => setClosing({ id: c.id, outcome: 'broken' })}
                >
                  Broken<span className="visually-hidden"> “{c.text}”</span>
                </button>
              </div>
            )}
            {closing?.id === c.id && (
              <form className="promise-close" onSubmit={(e) => submitClose(e, c)}>
                <label htmlFor={`${uid}-note-${c.id}`}>
                  {closing.outcome === 'kept' ? 'Note (optional)' : 'Why was it broken?'}
                </label>
                <input
                  id={`${uid}-note-${c.id}`}
                  value={note}
                  required={closing.outcome === 'broken'}
                  maxLength={2000}
                  onChange={(e) => setNote(e.target.value)}
                />
                <button type="submit" className="button primary" disabled={act.isPending}>
                  {closing.outcome === 'kept' ? 'Mark kept' : 'Mark broken'}
                </button>
                <button type="button" className="button" onClick={() => setClosing(null)}>
                  Cancel
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <FailureNote error={act.error} />
      {writable && (
        <form className="promise-add" onSubmit={submitAdd} aria-label="Add a promise">
          <label htmlFor={`${uid}-text`}>Promise</label>
          <input
            id={`${uid}-text`}
            value={text}
            maxLength={500}
            placeholder="Refund the second charge"
            onChange={(e) => setText(e.target.value)}
          />
          <label htmlFor={`${uid}-due`}>Due</label>
          <input
            id={`${uid}-due`}
            value={due}
            maxLength={100}
            placeholder="in 5 business days, tomorrow at 10, by Friday"
            aria-describedby={`${uid}-due-help`}
            onChange={(e) => setDue(e.target.value)}
            onBlur={() => setChecked(due.trim())}
          />
          <p id={`${uid}-due-help`} className="small muted" aria-live="polite">
            {checked && preview.data
              ? `Due ${timeText(preview.data.dueAt, { endOfDay: true })}.`
              : checked && preview.error
                ? messageOf(preview.error)
                : "In words, read with the team's business hours."}
          </p>
          <button type="submit" className="button" disabled={add.isPending || !text.trim() || !due.trim()}>
            Add promise
          </button>
          <FailureNote error={add.error} />
        </form>
      )}
      <p className="visually-hidden" role="status">
        {notice}
      </p>
    </section>
  );
}
