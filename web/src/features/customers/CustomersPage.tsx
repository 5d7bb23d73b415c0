import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, messageOf, qs } from '../../api/client';
import type { Customer, Page } from '../../api/types';

export function CustomersPage() {
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['customers', term],
    queryFn: ({ pageParam }) =>
      api<Page<Customer>>('GET', `/customers${qs({ q: term || undefined, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <h1>Customers</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet announced by every screen reader */}
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setTerm(q.trim());
        }}
      >
        <label htmlFor="customer-q">Find a customer by name, e-mail, phone or company</label>
        <div className="inline-row">
          <input id="customer-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          <button type="submit" className="button">
            Find
          </button>
        </div>
      </form>
      {list.isError && <p role="alert">{messageOf(list.error)}</p>}
      {list.isSuccess && rows.length === 0 && (
        <p className="empty">
          {term
            ? `No customer matches “${term}”.`
            : 'No customers yet. They appear with their first message.'}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Company</th>
            <th scope="col">Tier</th>
            <th scope="col">Contact</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/customers/${c.id}`}>{c.name}</Link>
              </td>
              <td>{c.company ?? '—'}</td>
              <td>{c.tier ?? '—'}</td>
              <td className="identity">{c.identities[0]?.value ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      )}
    </div>
  );
}
