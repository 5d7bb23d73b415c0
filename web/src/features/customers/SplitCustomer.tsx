import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, messageOf } from '../../api/client';
import type { Conversation, Customer, Page } from '../../api/types';

type SplitOutcome = { newCustomerId: number; identityIds: number[]; conversationIds: number[] };

const toggle = (set: Set<number>, id: number, on: boolean) => {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
};

/** Two people taken for one: the chosen identities and conversations become a new customer. */
export function SplitCustomerDialog({ customer, onClose }: { customer: Customer; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [identities, setIdentities] = useState(new Set<number>());
  const [conversations, setConversations] = useState(new Set<number>());
  const list = useQuery({
    queryKey: ['customer-conversations', customer.id, 'split'],
    queryFn: () => api<Page<Conversation>>('GET', `/customers/${customer.id}/conversations?limit=100`),
  });
  const split = useMutation({
    mutationFn: () =>
      api<SplitOutcome>('POST', `/customers/${customer.id}/split`, {
        name,
        identityIds: [...identities],
        conversationIds: [...conversations],
      }),
    onSuccess: (out) => {
      void client.invalidateQueries({ queryKey: ['customer'] });
      void client.invalidateQueries({ queryKey: ['customer-conversations'] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
      dialog.current?.close();
      // Closed now, not when the dialog's close event comes: the new customer's page must not open it again.
      onClose();
      navigate(`/customers/${out.newCustomerId}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    split.mutate();
  };
  return (
    <dialog ref={dialog} className="dialog wide" aria-labelledby="split-customer-title" onClose={onClose}>
      <form className="view-form" onSubmit={submit}>
        <h2 id="split-customer-title">Split off a customer from {customer.name}</h2>
        <p className="muted">
          For two people taken for one (a shared e-mail address, a wrong merge): what you choose moves to a
          new customer, with the messages of the conversations.
        </p>
        <div className="field">
          <label htmlFor="split-name">Name of the new customer</label>
          <input
            id="split-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>Identities to move</legend>
          {customer.identities.map((i) => (
            <label key={i.id} className="check">
              <input
                type="checkbox"
                checked={identities.has(i.id)}
                onChange={(e) => setIdentities(toggle(identities, i.id, e.target.checked))}
              />{' '}
              {i.kind}: {i.value}
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>Conversations to move</legend>
          {(list.data?.items ?? []).map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={conversations.has(c.id)}
                onChange={(e) => setConversations(toggle(conversations, c.id, e.target.checked))}
              />{' '}
              #{c.id} {c.subject}
            </label>
          ))}
        </fieldset>
        {split.isError && (
          <p className="form-error" role="alert">
            {messageOf(split.error)}
          </p>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={split.isPending || identities.size + conversations.size === 0}
          >
            Split off
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
