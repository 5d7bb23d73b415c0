import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, messageOf, qs } from '../../api/client';
import type { Customer, Page } from '../../api/types';

/** One attribute as the form edits it: values are kept as text, numbers and booleans shown as such. */
type Row = { id: number; key: string; value: string };
let nextRowId = 0;
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The customer's profile, notes and custom attributes, edited in place (PATCH /customers/:id). */
export function CustomerProfileForm({ customer, onDone }: { customer: Customer; onDone(): void }) {
  const client = useQueryClient();
  const [name, setName] = useState(customer.name);
  const [company, setCompany] = useState(customer.company ?? '');
  const [tier, setTier] = useState(customer.tier ?? '');
  const [value, setValue] = useState(customer.lifetimeValue === null ? '' : String(customer.lifetimeValue));
  const [notes, setNotes] = useState(customer.notes ?? '');
  const [rows, setRows] = useState<Row[]>(
    Object.entries(customer.attributes ?? {}).map(([key, v]) => ({ id: ++nextRowId, key, value: shown(v) })),
  );
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Customer>('PATCH', `/customers/${customer.id}`, body),
    onSuccess: (saved) => {
      client.setQueryData(['customer', customer.id], saved);
      void client.invalidateQueries({ queryKey: ['customers'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const attributes: Record<string, unknown> = {};
    const kept = new Set(rows.map((r) => r.key.trim()).filter(Boolean));
    for (const key of Object.keys(customer.attributes ?? {})) if (!kept.has(key)) attributes[key] = null;
    for (const r of rows) if (r.key.trim()) attributes[r.key.trim()] = r.value;
    save.mutate({
      name,
      company: company.trim() || null,
      tier: tier.trim() || null,
      lifetimeValue: value.trim() === '' ? null : Number(value),
      notes: notes.trim() || null,
      attributes,
    });
  };
  return (
    <form className="view-form customer-form" onSubmit={submit} aria-labelledby="customer-form-title">
      <h2 id="customer-form-title">Edit {customer.name}</h2>
      <div className="values-grid">
        <label htmlFor="customer-name">Name</label>
        <input
          id="customer-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="customer-company">Company</label>
        <input
          id="customer-company"
          maxLength={200}
          value={company}
          onChange={(e) => setCompany(e.target.value)}
        />
        <label htmlFor="customer-tier">Tier</label>
        <input id="customer-tier" maxLength={50} value={tier} onChange={(e) => setTier(e.target.value)} />
        <label htmlFor="customer-value">Lifetime value</label>
        <input
          id="customer-value"
          type="number"
          min={0}
          step="0.01"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="customer-notes">Notes (colleagues only)</label>
        <textarea
          id="customer-notes"
          rows={4}
          maxLength={10000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
      </div>
      <fieldset className="field">
        <legend>Custom attributes</legend>
        {rows.length === 0 && <p className="muted small">None yet.</p>}
        {rows.map((r, i) => (
          <div key={r.id} className="attribute-row">
            <input
              aria-label={`Attribute ${i + 1} name`}
              maxLength={100}
              value={r.key}
              placeholder="plan"
              onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
            />
            <input
              aria-label={`Attribute ${i + 1} value`}
              maxLength={1000}
              value={r.value}
              placeholder="business"
              onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
            />
            <button
              type="button"
              className="button small"
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              Remove <span className="visually-hidden">attribute {r.key || i + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() => setRows([...rows, { id: ++nextRowId, key: '', value: '' }])}
        >
          Add attribute
        </button>
      </fieldset>
      {save.isError && (
        <p className="form-error" role="alert">
          {messageOf(save.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save customer
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type MergeOutcome = { conversationIds: number[]; identityIds: number[] };

/** Merge a duplicate customer into this one: found by name, e-mail or phone, then confirmed. */
export function MergeCustomerDialog({ customer, onClose }: { customer: Customer; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const client = useQueryClient();
  const [term, setTerm] = useState('');
  const [picked, setPicked] = useState<Customer | null>(null);
  const found = useQuery({
    queryKey: ['customers', 'merge-search', term],
    queryFn: () => api<Page<Customer>>('GET', `/customers${qs({ q: term, limit: 10 })}`),
    enabled: term.trim().length >= 2,
  });
  const merge = useMutation({
    mutationFn: (source: Customer) =>
      api<MergeOutcome>('POST', `/customers/${customer.id}/merge`, { sourceCustomerId: source.id }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customer', customer.id] });
      void client.invalidateQueries({ queryKey: ['customer-conversations', customer.id] });
      void client.invalidateQueries({ queryKey: ['customers'] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
      dialog.current?.close();
    },
  });
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== customer.id);
  return (
    <dialog ref={dialog} className="dialog wide" aria-labelledby="merge-customer-title" onClose={onClose}>
      <form
        className="view-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked) merge.mutate(picked);
        }}
      >
        <h2 id="merge-customer-title">Merge a duplicate into {customer.name}</h2>
        <p className="muted">
          The other customer's conversations, messages and identities (e-mail, phone, …) move here; they are
          one customer from then on. This cannot be undone.
        </p>
        <div className="field">
          <label htmlFor="merge-customer-search">Find the duplicate (name, e-mail or phone)</label>
          <input
            id="merge-customer-search"
            type="search"
            value={term}
            onChange={(e) => {
              setTerm(e.target.value);
              setPicked(null);
            }}
          />
        </div>
        {found.isSuccess && candidates.length === 0 && <p className="empty">No other customer matches.</p>}
        {candidates.length > 0 && (
          <fieldset className="field">
            <legend>Merge into {customer.name}</legend>
            {candidates.map((c) => (
              <label key={c.id} className="check merge-choice">
                <input
                  type="radio"
                  name="merge-customer"
                  checked={picked?.id === c.id}
                  onChange={() => setPicked(c)}
                />
                <span>
                  {c.name}{' '}
                  <span className="muted small">
                    · {c.identities.map((i) => i.value).join(', ') || `#${c.id}`}
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
          <button type="submit" className="button primary" disabled={!picked || merge.isPending}>
            {picked ? `Merge ${picked.name} into ${customer.name}` : 'Merge'}
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
