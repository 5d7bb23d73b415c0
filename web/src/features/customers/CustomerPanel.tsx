import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, messageOf } from '../../api/client';
import type { Conversation, Customer, Page } from '../../api/types';
import { attributeName, attributeValue, formatDateTime, formatWhen, statusLabel } from '../../format';
import { can, useSession } from '../session/session';
import { CustomerProfileForm, MergeCustomerDialog } from './CustomerEdit';
import { SplitCustomerDialog } from './SplitCustomer';

const identityLabel: Record<string, string> = {
  email: 'E-mail',
  phone: 'Phone',
  chat: 'Chat',
  social: 'Social',
  external: 'External id',
};

export function useCustomer(id: number) {
  return useQuery({
    queryKey: ['customer', id],
    queryFn: () => api<Customer>('GET', `/customers/${id}`),
    staleTime: 60_000,
  });
}

/** The customer beside a conversation, or on their own page: profile, identities, past conversations. */
export function CustomerPanel({
  customerId,
  currentConversationId,
  headingLevel = 2,
}: {
  customerId: number;
  currentConversationId?: number;
  headingLevel?: 1 | 2;
}) {
  const customer = useCustomer(customerId);
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [splitting, setSplitting] = useState(false);
  const history = useQuery({
    queryKey: ['customer-conversations', customerId],
    queryFn: () => api<Page<Conversation>>('GET', `/customers/${customerId}/conversations?limit=20`),
  });
  const H = headingLevel === 1 ? 'h1' : 'h2';
  if (customer.isPending) return <aside className="customer-panel">Loading the customer…</aside>;
  if (customer.isError)
    return (
      <aside className="customer-panel" role="alert">
        {messageOf(customer.error)}
      </aside>
    );
  const c = customer.data;
  return (
    <aside className="customer-panel" aria-labelledby={`customer-${c.id}`}>
      <H id={`customer-${c.id}`} className="customer-name">
        {currentConversationId ? <Link to={`/customers/${c.id}`}>{c.name}</Link> : c.name}
      </H>
      <dl className="facts">
        {c.company && (
          <>
            <dt>Company</dt>
            <dd>{c.company}</dd>
          </>
        )}
        {c.tier && (
          <>
            <dt>Tier</dt>
            <dd>{c.tier}</dd>
          </>
        )}
        {c.lifetimeValue !== null && (
          <>
            <dt>Lifetime value</dt>
            <dd>
              {c.lifetimeValue.toLocaleString(undefined, {
                minimumFractionDigits: 2,
                maximumFractionDigits: 2,
              })}
            </dd>
          </>
        )}
        <dt>Customer since</dt>
        <dd>{formatDateTime(c.customerSince ?? c.createdAt)}</dd>
        {c.identities.map((i) => (
          <div key={i.id} className="fact-row">
            <dt>{identityLabel[i.kind] ?? i.kind}</dt>
            <dd className="identity">{i.value}</dd>
          </div>
        ))}
      </dl>
      {Object.keys(c.attributes ?? {}).length > 0 && (
        <dl className="facts attributes">
          {Object.entries(c.attributes ?? {}).map(([k, v]) => (
            <div key={k} className="fact-row">
              <dt title={k}>{attributeName(k)}</dt>
              <dd>{attributeValue(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {c.notes && <p className="customer-notes">{c.notes}</p>}
      {editing ? (
        <CustomerProfileForm customer={c} onDone={() => setEditing(false)} />
      ) : (
        <div className="action-bar customer-actions">
          {can(session, 'customers.write') && (
            <button type="button" className="button small" onClick={() => setEditing(true)}>
              Edit customer
            </button>
          )}
          {can(session, 'customers.merge') && (
            <button type="button" className="button small" onClick={() => setMerging(true)}>
              Merge a duplicate…
            </button>
          )}
          {can(session, 'customers.merge') && (
            <button type="button" className="button small" onClick={() => setSplitting(true)}>
              Split off…
            </button>
          )}
        </div>
      )}
      {merging && <MergeCustomerDialog customer={c} onClose={() => setMerging(false)} />}
      {splitting && <SplitCustomerDialog customer={c} onClose={() => setSplitting(false)} />}
      <h3>Conversations</h3>
      {history.isError && <p role="alert">{messageOf(history.error)}</p>}
      {history.data && history.data.items.length === 0 && <p className="muted">No conversations yet.</p>}
      <ul className="history">
        {history.data?.items.map((h) => (
          <li key={h.id} className={h.id === currentConversationId ? 'current' : ''}>
            <Link
              to={`/conversations/${h.id}`}
              aria-current={h.id === currentConversationId ? 'page' : undefined}
            >
              {h.subject}
            </Link>
            <span className="muted small">
              {statusLabel[h.status]} · {formatWhen(h.updatedAt)}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
