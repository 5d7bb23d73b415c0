import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, messageOf, qs } from '../../api/client';
import type { SearchResult } from '../../api/types';
import { formatWhen, statusLabel } from '../../format';

export function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const result = useQuery({
    queryKey: ['search', q],
    queryFn: () => api<SearchResult>('GET', `/search${qs({ q, limit: 25 })}`),
    enabled: q.length > 0,
  });
  if (!q)
    return (
      <div className="page">
        <h1>Search</h1>
        <p className="empty">
          Type in the search box at the top (press <kbd>/</kbd>) to search messages and customers.
        </p>
      </div>
    );
  return (
    <div className="page">
      <h1>Search results for “{q}”</h1>
      {result.isPending && <p className="loading">Searching…</p>}
      {result.isError && <p role="alert">{messageOf(result.error)}</p>}
      {result.data && (
        <>
          <section aria-labelledby="search-customers">
            <h2 id="search-customers">Customers</h2>
            {result.data.customers.length === 0 ? (
              <p className="muted">No customer matches.</p>
            ) : (
              <ul className="hits">
                {result.data.customers.map(({ customer }) => (
                  <li key={customer.id}>
                    <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
                    <span className="muted small"> {customer.identities[0]?.value}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="search-messages">
            <h2 id="search-messages">Messages</h2>
            {result.data.messages.length === 0 ? (
              <p className="muted">No message matches. Try fewer or other words.</p>
            ) : (
              <ul className="hits">
                {result.data.messages.map((m) => (
                  <li key={m.messageId}>
                    <Link to={`/conversations/${m.conversationId}`}>{m.subject}</Link>
                    <span className="muted small">
                      {' '}
                      {statusLabel[m.status]} · {formatWhen(m.createdAt)}
                    </span>
                    <p className="snippet">
                      <Snippet parts={m.snippet} />
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}

/** A passage with its matches highlighted; keyed by each part's offset in the passage. */
function Snippet({ parts }: { parts: Array<{ text: string; match: boolean }> }) {
  let offset = 0;
  const keyed = parts.map((p) => {
    const at = offset;
    offset += p.text.length;
    return { ...p, at };
  });
  return (
    <>{keyed.map((p) => (p.match ? <mark key={p.at}>{p.text}</mark> : <span key={p.at}>{p.text}</span>))}</>
  );
}
