import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, messageOf } from '../../api/client';
import type { Conversation, Page } from '../../api/types';
import { formatWhen, statusLabel } from '../../format';

type Merged = { conversation: Conversation; merged: Conversation; movedMessageIds: number[] };
type Split = { conversation: Conversation; from: Conversation; movedMessageIds: number[] };

/** Merge this conversation into another open one of the same customer, chosen from theirs. */
export function MergeDialog({ conversation, onClose }: { conversation: Conversation; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const client = useQueryClient();
  const navigate = useNavigate();
  const others = useQuery({
    queryKey: ['customer-conversations', conversation.customerId],
    queryFn: () =>
      api<Page<Conversation>>('GET', `/customers/${conversation.customerId}/conversations?limit=50`),
  });
  const candidates = (others.data?.items ?? []).filter(
    (c) => c.id !== conversation.id && c.status !== 'closed',
  );
  const [into, setInto] = useState<number | null>(null);
  const merge = useMutation({
    mutationFn: (intoId: number) =>
      api<Merged>('POST', `/conversations/${conversation.id}/merge`, { intoId }),
    onSuccess: (done) => {
      void client.invalidateQueries({ queryKey: ['conversations'] });
      void client.invalidateQueries({ queryKey: ['customer-conversations'] });
      void client.invalidateQueries({ queryKey: ['conversation'] });
      dialog.current?.close();
      navigate(`/conversations/${done.conversation.id}`, {
        state: { notice: `#${conversation.id} was merged into this conversation.` },
      });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (into !== null) merge.mutate(into);
  };
  return (
    <dialog ref={dialog} className="dialog wide" aria-labelledby="merge-title" onClose={onClose}>
      <form className="view-form" onSubmit={submit}>
        <h2 id="merge-title">Merge “{conversation.subject}” into another conversation</h2>
        <p className="muted">
          All its messages move into the one you choose, which keeps going; this one is closed and points
          there. Only open conversations of the same customer can be chosen.
        </p>
        {others.isPending && <p className="loading">Loading the customer's conversations…</p>}
        {others.isSuccess && candidates.length === 0 && (
          <p className="empty">This customer has no other open conversation to merge into.</p>
        )}
        {candidates.length > 0 && (
          <fieldset className="field">
            <legend>Merge into</legend>
            {candidates.map((c) => (
              <label key={c.id} className="check merge-choice">
                <input
                  type="radio"
                  name="merge-into"
                  value={c.id}
                  checked={into === c.id}
                  onChange={() => setInto(c.id)}
                />
                <span>
                  #{c.id} {c.subject}{' '}
                  <span className="muted small">
                    · {statusLabel[c.status]} · {formatWhen(c.updatedAt)}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {merge.isError && (
          <p className="form-error" role="alert">
            {messageOf(merge.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={into === null || merge.isPending}>
            Merge
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The bar shown while choosing messages to split off: the new subject, and the split itself. */
export function SplitBar({
  conversation,
  chosen,
  onCancel,
}: {
  conversation: Conversation;
  chosen: number[];
  onCancel(): void;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [subject, setSubject] = useState(conversation.subject);
  const split = useMutation({
    mutationFn: () =>
      api<Split>('POST', `/conversations/${conversation.id}/split`, { messageIds: chosen, subject }),
    onSuccess: (done) => {
      void client.invalidateQueries({ queryKey: ['conversations'] });
      void client.invalidateQueries({ queryKey: ['customer-conversations'] });
      void client.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      onCancel();
      navigate(`/conversations/${done.conversation.id}`, {
        state: { notice: `Split off from #${conversation.id}.` },
      });
    },
  });
  return (
    <form
      className="split-bar"
      aria-label="Split messages into a new conversation"
      onSubmit={(e) => {
        e.preventDefault();
        split.mutate();
      }}
    >
      <p>
        Choose the messages that belong to another problem (their boxes below); they move to a new
        conversation of this customer. At least one message stays here.
      </p>
      <label htmlFor="split-subject">Subject of the new conversation</label>
      <input
        id="split-subject"
        required
        maxLength={500}
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
      />
      {split.isError && (
        <p className="form-error" role="alert">
          {messageOf(split.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={chosen.length === 0 || split.isPending}>
          {chosen.length === 1 ? 'Split off 1 message' : `Split off ${chosen.length} messages`}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
