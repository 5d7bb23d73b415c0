import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Conversation } from '../../api/types';

/** Forwards the conversation by e-mail to a third party: an internal note Steward sends, the customer's mail quoted. */
export function ForwardDialog({ conversation, onClose }: { conversation: Conversation; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const client = useQueryClient();
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const forward = useMutation({
    mutationFn: () =>
      api('POST', `/conversations/${conversation.id}/forward`, {
        to: to
          .split(/[,;\s]+/)
          .map((a) => a.trim())
          .filter(Boolean),
        ...(note.trim() ? { note } : {}),
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      dialog.current?.close();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    forward.mutate();
  };
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="forward-title" onClose={onClose}>
      <form className="view-form" onSubmit={submit}>
        <h2 id="forward-title">Forward “{conversation.subject}”</h2>
        <p className="muted">
          Sent by e-mail with the customer's last mail quoted; the customer gets nothing. It shows in the
          timeline as an internal note.
        </p>
        <div className="field">
          <label htmlFor="forward-to">To</label>
          <input
            id="forward-to"
            required
            inputMode="email"
            placeholder="supplier@example.com"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="forward-note">Your note</label>
          <textarea id="forward-note" rows={4} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        {forward.isError && (
          <p className="form-error" role="alert">
            {messageOf(forward.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={forward.isPending}>
            Forward
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
