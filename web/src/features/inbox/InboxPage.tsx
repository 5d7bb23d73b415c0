import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type MouseEvent, useEffect, useRef, useState } from 'react';
import { Link, NavLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, messageOf, qs } from '../../api/client';
import { claimConversation, claimRefusal } from '../../api/routing';
import type { ConversationListItem, Page } from '../../api/types';
import {
  type InboxSort,
  type SavedView,
  savedViewQuery,
  sortLabel,
  useSavedViews,
  viewsApi,
  viewsKey,
} from '../../api/views';
import { plural } from '../../format';
import { useShortcuts } from '../../keyboard';
import { ConfirmDialog, ErrorNote } from '../admin/ui';
import { can, usePersonName, useSession } from '../session/session';
import { BulkBar } from './BulkBar';
import { RowSummary } from './RowSummary';
import { SavedViewForm } from './SavedViewForm';
import { type InboxView, inboxViews } from './views';

type Count = { count: number; capped: boolean };
type Counts = { views: Record<string, Count>; saved: Array<{ id: number } & Count>; cap: number };
const showCount = (c: Count) => (c.capped ? `${c.count}+` : String(c.count));
const isSort = (s: string | null): s is InboxSort => s !== null && s in sortLabel;

/** A saved view as the inbox shows it: its own path, its filters, its sort. */
function fromSaved(v: SavedView): InboxView & { saved: SavedView } {
  return {
    id: `saved-${v.id}`,
    label: v.name,
    query: (me) => savedViewQuery(v.filters, me),
    empty: 'No conversation matches this view right now.',
    saved: v,
  };
}

const PAGE = 25;

export function InboxPage() {
  const session = useSession();
  const { view: viewId = 'open' } = useParams();
  const navigate = useNavigate();
  const savedViews = useSavedViews();
  const saved = (savedViews.data?.items ?? []).map(fromSaved);
  const view: InboxView & { saved?: SavedView } =
    inboxViews.find((v) => v.id === viewId) ??
    saved.find((v) => v.id === viewId) ??
    inboxViews.find((v) => v.id === 'open')!;
  const [search, setSearch] = useSearchParams();
  const asked = search.get('sort');
  const sort: InboxSort = isSort(asked) ? asked : (view.saved?.sort ?? view.sort ?? 'newest');
  const [editingView, setEditingView] = useState<SavedView | 'new' | null>(null);
  const [removingView, setRemovingView] = useState<SavedView | null>(null);
  const client = useQueryClient();
  const removeView = useMutation({
    mutationFn: (v: SavedView) => viewsApi.remove(v.id),
    onSuccess: () => {
      setRemovingView(null);
      void client.invalidateQueries({ queryKey: viewsKey });
      navigate('/');
    },
  });
  const mayChangeView = (v: SavedView) =>
    v.shared ? can(session, 'views.admin') : v.ownerId === session.person.id;
  const personName = usePersonName();
  const query = view.query(session.person.id);
  const list = useInfiniteQuery({
    queryKey: ['conversations', 'inbox', view.id, session.person.id, sort, query],
    queryFn: ({ pageParam }) =>
      api<Page<ConversationListItem>>(
        'GET',
        `/conversations${qs({ ...query, sort, limit: PAGE, cursor: pageParam })}`,
      ),
    // A saved view's filters are known once the views are: no request for the wrong view meanwhile.
    enabled: !(viewId.startsWith('saved-') && savedViews.isPending),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Kept fresh by the realtime stream, which invalidates every ['conversations', …] query.
  const counts = useQuery({
    queryKey: ['conversations', 'counts'],
    queryFn: () => api<Counts>('GET', '/conversations/counts'),
    staleTime: 5_000,
  });
  const countOf = (id: string): Count | undefined =>
    id.startsWith('saved-') ? counts.data?.saved.find((c) => `saved-${c.id}` === id) : counts.data?.views[id];
  // The selection for bulk changes: ids, plus the row a shift-click extends from.
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [bulkNotice, setBulkNotice] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: another view starts with nothing selected
  useEffect(() => setChecked(new Set()), [view.id]);
  const toggle = (index: number, range: boolean) => {
    const next = new Set(checked);
    const on = !checked.has(rows[index]!.id);
    const [from, to] =
      range && anchor !== null ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
    for (let i = from; i <= to; i++) {
      const id = rows[i]?.id;
      if (id === undefined) continue;
      if (on) next.add(id);
      else next.delete(id);
    }
    setChecked(next);
    setAnchor(index);
  };
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));
  const writable = can(session, 'conversations.write');
  const claim = useMutation({
    mutationFn: claimConversation,
    onSuccess: (c) => setBulkNotice(`“${c.subject}” is yours now.`),
    onSettled: () => void client.invalidateQueries({ queryKey: ['conversations'] }),
  });
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
  useShortcuts({
    j: () => move(selected + 1),
    k: () => move(selected - 1),
    x: () => {
      if (rows[selected]) toggle(selected, false);
    },
    Enter: openSelected,
  });

  return (
    <div className="inbox">
      <nav className="views" aria-label="Inbox views">
        <h1 className="views-title">Inbox</h1>
        <ul>
          {inboxViews.map((v) => (
            <ViewLink key={v.id} view={v} current={view.id} count={countOf(v.id)} />
          ))}
        </ul>
        <h2 className="views-subtitle" id="saved-views-title">
          Saved views
        </h2>
        {saved.length > 0 && (
          <ul aria-labelledby="saved-views-title">
            {saved.map((v) => (
              <ViewLink key={v.id} view={v} current={view.id} count={countOf(v.id)} />
            ))}
          </ul>
        )}
        {can(session, 'views.write') && (
          <button type="button" className="button small new-view" onClick={() => setEditingView('new')}>
            New view
          </button>
        )}
        <p className="views-extra">
          <Link to="/spam">Spam</Link>
        </p>
      </nav>
      <section className="list" aria-labelledby="list-title" aria-busy={list.isPending}>
        <div className="list-head">
          <h2 id="list-title" className="list-title">
            {view.label}
            <span className="muted small"> · j/k to move, Enter to open, x to select</span>
          </h2>
          <label className="sort-pick">
            Sort
            <select
              id="inbox-sort"
              value={sort}
              onChange={(e) => {
                const next = new URLSearchParams(search);
                next.set('sort', e.target.value);
                setSearch(next, { replace: true });
              }}
            >
              {(Object.keys(sortLabel) as InboxSort[]).map((k) => (
                <option key={k} value={k}>
                  {sortLabel[k]}
                </option>
              ))}
            </select>
          </label>
          {view.saved && mayChangeView(view.saved) && (
            <span className="action-bar">
              <button type="button" className="button small" onClick={() => setEditingView(view.saved!)}>
                Edit view
              </button>
              <button type="button" className="button small" onClick={() => setRemovingView(view.saved!)}>
                Delete view
              </button>
            </span>
          )}
        </div>
        {rows.length > 0 && (
          <div className="select-bar">
            <label className="check">
              <input
                type="checkbox"
                checked={allChecked}
                onChange={() => setChecked(allChecked ? new Set() : new Set(rows.map((r) => r.id)))}
              />
              Select all shown
            </label>
            {checked.size > 0 && (
              <BulkBar
                ids={[...checked]}
                onDone={(outcome, clear) => {
                  setBulkNotice(outcome);
                  if (clear) setChecked(new Set());
                }}
              />
            )}
          </div>
        )}
        <p className="bulk-outcome" role="status">
          {bulkNotice}
        </p>
        {claim.isError && (
          <p className="form-error" role="alert">
            {claimRefusal(claim.error, personName)}
          </p>
        )}
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
              return (
                <li
                  key={c.id}
                  className={`row${i === selected ? ' selected' : ''}${checked.has(c.id) ? ' checked' : ''}`}
                >
                  <input
                    type="checkbox"
                    className="row-check"
                    aria-label={`Select “${c.subject}” from ${c.customer.name}`}
                    checked={checked.has(c.id)}
                    onChange={() => {}}
                    onClick={(e: MouseEvent<HTMLInputElement>) => toggle(i, e.shiftKey)}
                  />
                  <Link
                    to={`/conversations/${c.id}`}
                    ref={(el) => {
                      links.current[i] = el;
                    }}
                    onFocus={() => setSelected(i)}
                    className="row-link"
                  >
                    <RowSummary c={c} assignee={personName(c.assigneeId)} />
                  </Link>
                  {view.id === 'unassigned' && writable && c.assigneeId === null && (
                    <button
                      type="button"
                      className="button small row-claim"
                      aria-label={`Take it: “${c.subject}” from ${c.customer.name}`}
                      disabled={claim.isPending}
                      onClick={() => claim.mutate(c.id)}
                    >
                      Take it
                    </button>
                  )}
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
      {editingView !== null && (
        <SavedViewForm
          view={editingView === 'new' ? null : editingView}
          onDone={(done) => {
            setEditingView(null);
            if (done) navigate(`/inbox/saved-${done.id}`);
          }}
        />
      )}
      {removingView && (
        <ConfirmDialog
          title={`Delete the view “${removingView.name}”?`}
          confirmLabel="Delete view"
          danger
          busy={removeView.isPending}
          onConfirm={() => removeView.mutate(removingView)}
          onClose={() => setRemovingView(null)}
        >
          <p>
            {removingView.shared
              ? 'It disappears for everyone in the workspace.'
              : 'Only the view goes; the conversations stay as they are.'}
          </p>
          <ErrorNote error={removeView.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function ViewLink({ view, current, count }: { view: InboxView; current: string; count: Count | undefined }) {
  return (
    <li>
      <NavLink
        to={view.id === 'open' ? '/' : `/inbox/${view.id}`}
        end
        className={() => (view.id === current ? 'active' : '')}
        aria-current={view.id === current ? 'page' : undefined}
      >
        <span>{view.label}</span>
        {count && (
          <span className="view-count">
            <span className="visually-hidden">
              , {plural(count.count, 'conversation')}
              {count.capped ? ' or more' : ''}
            </span>
            <span aria-hidden="true">{showCount(count)}</span>
          </span>
        )}
      </NavLink>
    </li>
  );
}
