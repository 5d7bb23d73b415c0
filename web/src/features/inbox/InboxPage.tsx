import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import { api, messageOf, qs } from '../../api/client';
import type { Conversation, ConversationListItem, Page } from '../../api/types';
import { channelLabel, formatAge, statusLabel } from '../../format';
import { useShortcuts } from '../../keyboard';
import { usePersonName, useSession } from '../session/session';
import { inboxViews } from './views';

const PAGE = 25;

/** A customer is waiting when their last message came after our last answer. */
function waitingSince(c: Conversation): string | null {
  if (!c.lastInboundAt || ['solved', 'closed'].includes(c.status)) return null;
  if (c.lastOutboundAt && c.lastOutboundAt >= c.lastInboundAt) return null;
  return c.lastInboundAt;
}

export function InboxPage() {
  const session = useSession();
  const { view: viewId = 'open' } = useParams();
  const view = inboxViews.find((v) => v.id === viewId) ?? inboxViews[2]!;
  const navigate = useNavigate();
  const personName = usePersonName();
  const list = useInfiniteQuery({
    queryKey: ['conversations', 'inbox', view.id, session.person.id],
    queryFn: ({ pageParam }) =>
      api<Page<ConversationListItem>>(
        'GET',
        `/conversations${qs({ ...view.query(session.person.id), limit: PAGE, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Each row carries its customer (read in the same query on the server): no request per row.
  const [selected, setSelected] = useState(0);
  const links = useRef<Array<HTMLAnchorElement | null>>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another view starts at its first row
  useEffect(() => setSelected(0), [view.id]);
  const move = (to: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setSelected(next);
    links.current[next]?.focus();
  };
  const openSelected = (e: KeyboardEvent) => {
    const row = rows[selected];
    // On a focused row link, Enter follows the link itself.
    if (row && !(e.target instanceof HTMLAnchorElement)) navigate(`/conversations/${row.id}`);
  };
  useShortcuts({ j: () => move(selected + 1), k: () => move(selected - 1), Enter: openSelected });

  return (
    <div className="inbox">
      <nav className="views" aria-label="Inbox views">
        <h1 className="views-title">Inbox</h1>
        <ul>
          {inboxViews.map((v) => (
            <li key={v.id}>
              <NavLink
                to={v.id === 'open' ? '/' : `/inbox/${v.id}`}
                end
                className={() => (v.id === view.id ? 'active' : '')}
                aria-current={v.id === view.id ? 'page' : undefined}
              >
                {v.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <section className="list" aria-labelledby="list-title">
        <h2 id="list-title" className="list-title">
          {view.label}
          <span className="muted small"> · newest activity first · j/k to move, Enter to open</span>
        </h2>
        {list.isPending && <p className="loading">Loading conversations…</p>}
        {list.isError && (
          <div className="error-box" role="alert">
            <p>{messageOf(list.error)}</p>
            <button type="button" className="button" onClick={() => void list.refetch()}>
              Try again
            </button>
          </div>
        )}
        {list.isSuccess && rows.length === 0 && <p className="empty">{view.empty}</p>}
        {rows.length > 0 && (
          <ol className="rows">
            {rows.map((c, i) => {
              const waiting = waitingSince(c);
              const assignee = personName(c.assigneeId);
              return (
                <li key={c.id} className={i === selected ? 'row selected' : 'row'}>
                  <Link
                    to={`/conversations/${c.id}`}
                    ref={(el) => {
                      links.current[i] = el;
                    }}
                    onFocus={() => setSelected(i)}
                    className="row-link"
                  >
                    <span className="row-customer">{c.customer.name}</span>
                    <span className="row-subject">{c.subject}</span>
                    <span className="row-preview">{c.lastMessagePreview}</span>
                    <span className="row-meta">
                      <span className="row-badges">
                        {c.priority !== 'normal' && (
                          <span className={`badge priority-${c.priority}`}>{c.priority}</span>
                        )}
                        <span className={`badge status-${c.status}`}>{statusLabel[c.status]}</span>
                      </span>
                      <span className="row-facts">
                        <span className="muted">{channelLabel[c.channel]}</span>
                        <span className={waiting ? 'waiting' : 'muted'}>
                          {waiting
                            ? `waiting ${formatAge(waiting)}`
                            : `updated ${formatAge(c.updatedAt)} ago`}
                        </span>
                        <span className="muted">{assignee ? `→ ${assignee}` : 'unassigned'}</span>
                        {c.tags.length > 0 && (
                          <span className="row-tags">
                            <span className="visually-hidden">Tags: </span>
                            {c.tags.slice(0, 3).map((t) => (
                              <span key={t} className="tag">
                                {t}
                              </span>
                            ))}
                            {c.tags.length > 3 && <span className="muted"> +{c.tags.length - 3}</span>}
                          </span>
                        )}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ol>
        )}
        {list.hasNextPage && (
          <button
            type="button"
            className="button load-more"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
    </div>
  );
}
