import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../../api/client';
import {
  type AppNotification,
  kindLabels,
  useMarkAllRead,
  useMarkRead,
  useNotificationList,
  useUnreadCount,
} from '../../api/notifications';
import { formatWhen, plural } from '../../format';

/**
 * The bell in the top bar: the unread count (kept live by the realtime stream), and a panel with my
 * notifications, newest first. Opening one marks it read and goes to its cause.
 */
export function NotificationBell({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [announce, setAnnounce] = useState('');
  const previous = useRef<number | undefined>(undefined);

  // A count that grows is said once to screen readers; the button's name carries it from then on.
  useEffect(() => {
    if (unread.data === undefined) return;
    if (previous.current !== undefined && unread.data > previous.current)
      setAnnounce(plural(unread.data, 'unread notification'));
    previous.current = unread.data;
  }, [unread.data]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) onOpenChange(false);
    };
    // Escape anywhere closes it too (focus may have left with a button that went away).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      onOpenChange(false);
      button.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, onOpenChange]);

  const close = (refocus: boolean) => {
    onOpenChange(false);
    if (refocus) button.current?.focus();
  };
  const label = count > 0 ? `Notifications, ${count} unread` : 'Notifications, none unread';

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: focus leaving the bell and its panel closes the panel
    <div
      className="bell"
      ref={wrapper}
      onBlur={(e) => {
        const next = e.relatedTarget as Node | null;
        if (open && next && !e.currentTarget.contains(next)) onOpenChange(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls="notifications-panel"
        aria-keyshortcuts="Shift+N"
        title="Notifications (Shift+N)"
        onClick={() => onOpenChange(!open)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15.5a2.5 2.5 0 0 0 5 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinejoin="round"
          />
        </svg>
        {count > 0 && (
          <span className="bell-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      <span className="visually-hidden" role="status">
        {announce}
      </span>
      {open && <NotificationPanel unread={count} onClose={close} />}
    </div>
  );
}

function NotificationPanel({ unread, onClose }: { unread: number; onClose(refocus: boolean): void }) {
  const list = useNotificationList(true);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div id="notifications-panel" className="bell-panel" role="dialog" aria-labelledby="notifications-title">
      <div className="bell-panel-head">
        <h2 id="notifications-title" ref={heading} tabIndex={-1}>
          Notifications
        </h2>
        <button
          type="button"
          className="button small"
          disabled={unread === 0 || markAll.isPending}
          onClick={() => {
            // The button is disabled once all is read: keep focus in the panel.
            heading.current?.focus();
            markAll.mutate();
          }}
        >
          Mark all read
        </button>
      </div>
      {(markAll.isError || markRead.isError) && (
        <p className="form-error" role="alert">
          {messageOf(markAll.error ?? markRead.error)}
        </p>
      )}
      {list.isPending && <p className="muted bell-empty">Loading notifications…</p>}
      {list.isError && (
        <div className="bell-empty" role="alert">
          <p>The notifications could not be loaded. {messageOf(list.error)}</p>
          <button type="button" className="button small" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      )}
      {list.isSuccess && items.length === 0 && (
        <p className="muted bell-empty">
          Nothing yet. You are told here when a conversation is assigned to you or a colleague mentions you in
          a note.
        </p>
      )}
      {items.length > 0 && (
        <ul className="bell-list" aria-label="Newest first">
          {items.map((n) => (
            <NotificationItem
              key={n.id}
              n={n}
              onOpen={() => {
                if (!n.read) markRead.mutate(n.id);
                onClose(false);
              }}
              onMarkRead={() => markRead.mutate(n.id)}
            />
          ))}
        </ul>
      )}
      <div className="bell-panel-foot">
        {list.hasNextPage ? (
          <button
            type="button"
            className="button small"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Show older'}
          </button>
        ) : (
          <span />
        )}
        <Link to="/settings/notifications" onClick={() => onClose(false)}>
          Notification settings
        </Link>
      </div>
    </div>
  );
}

function NotificationItem({
  n,
  onOpen,
  onMarkRead,
}: {
  n: AppNotification;
  onOpen(): void;
  onMarkRead(): void;
}) {
  return (
    <li className={n.read ? 'bell-item' : 'bell-item unread'}>
      <Link to={n.link} className="bell-link" onClick={onOpen}>
        <span className="bell-dot" aria-hidden="true" />
        <span className="bell-title">
          {!n.read && <span className="visually-hidden">Unread: </span>}
          {n.title}
        </span>
        <span className="bell-meta">
          {kindLabels[n.kind] ?? n.kind} · <time dateTime={n.createdAt}>{formatWhen(n.createdAt)}</time>
        </span>
      </Link>
      {!n.read && (
        <button
          type="button"
          className="button small bell-mark"
          aria-label={`Mark read: ${n.title}`}
          onClick={(e) => {
            // The button goes away once read: keep focus on the notification itself.
            (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
            onMarkRead();
          }}
        >
          Mark read
        </button>
      )}
    </li>
  );
}
