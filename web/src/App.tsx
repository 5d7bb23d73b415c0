import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { messageOf } from './api/client';
import { PageErrorBoundary } from './ErrorBoundary';
import { canAdminister } from './features/admin/access';
import { ConversationPage } from './features/conversations/ConversationPage';
import { CustomerPage } from './features/customers/CustomerPage';
import { CustomersPage } from './features/customers/CustomersPage';
import { InboxPage } from './features/inbox/InboxPage';
import { NotificationBell } from './features/notifications/NotificationBell';
import { PromisesPage } from './features/promises/PromisesPage';
import { SearchPage } from './features/search/SearchPage';
import {
  AcceptInvitationPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SetupPage,
  useInstance,
} from './features/session/AccountPages';
import { AvailabilityPicker } from './features/session/AvailabilityPicker';
import { SignIn } from './features/session/SignIn';
import { can, SessionContext, useSession, useSessionQuery, useSignOut } from './features/session/session';
import { SHORTCUTS, useShortcuts } from './keyboard';
import { type LiveState, useRealtime } from './realtime';

/** Loaded when an admin opens it: agents never download the admin pages. */
const AdminSection = lazy(() => import('./features/admin/AdminSection'));
const SpamPage = lazy(() => import('./features/inbox/SpamPage'));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage'));
const EscalationsPage = lazy(() => import('./features/escalations/EscalationsPage'));
const ApprovalsPage = lazy(() => import('./features/approvals/ApprovalsPage'));
// Seldom visited: loaded when first opened, so the first page load stays small.
const PreferencesPage = lazy(() => import('./features/notifications/PreferencesPage'));
const MyAccountPage = lazy(() => import('./features/session/MyAccountPage'));

export function App() {
  const session = useSessionQuery();
  if (session.isPending) return <p className="loading-page">Loading Steward…</p>;
  if (session.isError)
    return (
      <main className="signin" id="main">
        <div className="signin-card" role="alert">
          <h1>Steward is not answering</h1>
          <p>{messageOf(session.error)}</p>
          <button type="button" className="button primary" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  if (!session.data) return <SignedOut />;
  return (
    <SessionContext.Provider value={session.data}>
      <Shell />
    </SessionContext.Provider>
  );
}

/** Signed out: the setup on a fresh Steward, else sign-in and the pages its links lead to. */
function SignedOut() {
  const instance = useInstance();
  if (instance.isPending) return <p className="loading-page">Loading Steward…</p>;
  if (instance.data?.setupNeeded) return <SetupPage />;
  return (
    <Routes>
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route path="*" element={<SignIn />} />
    </Routes>
  );
}

/** A link meant for someone signed out, opened while signed in. */
function SignedInAlready({ what }: { what: string }) {
  // From the context App provides (never null here), not the query: signing out must not render this with null.
  const session = useSession();
  const signOut = useSignOut();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <div className="empty">
      <h1>You are signed in as {session.person.name}</h1>
      <p>
        This link is for {what}. To use it, sign out first, then open it again; or{' '}
        <Link to="/">go to the inbox</Link>.
      </p>
      <button
        type="button"
        className="button"
        onClick={() =>
          void signOut().then(() => navigate(`${location.pathname}${location.hash}`, { replace: true }))
        }
      >
        Sign out and use the link
      </button>
    </div>
  );
}

const liveText: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline: reconnecting',
};

function Shell() {
  // From the context App provides (never null here), not the query: signing out must not render this with null.
  const session = useSession();
  const live = useRealtime();
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useSignOut();
  const search = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const [help, setHelp] = useState(false);
  const [bellOpen, setBellOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const userMenu = useRef<HTMLDetailsElement>(null);

  useShortcuts({
    '/': (e) => {
      e.preventDefault();
      search.current?.focus();
      search.current?.select();
    },
    '?': () => setHelp(true),
    // biome-ignore lint/correctness/noComponentHookFactories: the key Shift+N, not a component
    N: (e) => {
      e.preventDefault();
      setBellOpen((o) => !o);
    },
  });
  // A new page: focus goes to its content, so keyboard and screen-reader users start there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path on purpose
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <SessionContext.Provider value={session}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Steward, inbox">
          <span className="brand-mark" aria-hidden="true" /> Steward
        </Link>
        <nav aria-label="Main" className="mainnav">
          <NavLink to="/" end className={({ isActive }) => (isActive ? 'active' : '')}>
            Inbox
          </NavLink>
          <NavLink to="/customers" className={({ isActive }) => (isActive ? 'active' : '')}>
            Customers
          </NavLink>
          <NavLink to="/promises" className={({ isActive }) => (isActive ? 'active' : '')}>
            Promises
          </NavLink>
          <NavLink to="/escalations" className={({ isActive }) => (isActive ? 'active' : '')}>
            Escalations
          </NavLink>
          {can(session, 'approvals.approve') && (
            <NavLink to="/approvals" className={({ isActive }) => (isActive ? 'active' : '')}>
              Approvals
            </NavLink>
          )}
          {can(session, 'analytics.read') && (
            <NavLink to="/reports" className={({ isActive }) => (isActive ? 'active' : '')}>
              Reports
            </NavLink>
          )}
          {canAdminister(session) && (
            <NavLink to="/admin" className={({ isActive }) => (isActive ? 'active' : '')}>
              Admin
            </NavLink>
          )}
        </nav>
        {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet announced by every screen reader */}
        <form
          role="search"
          className="topsearch"
          onSubmit={(e) => {
            e.preventDefault();
            if (q.trim()) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
          }}
        >
          <label htmlFor="global-search" className="visually-hidden">
            Search messages and customers
          </label>
          <input
            id="global-search"
            ref={search}
            type="search"
            placeholder="Search  ( / )"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') search.current?.blur();
            }}
          />
        </form>
        <span className={`live live-${live}`} role="status" title="Updates arrive without reloading">
          <span className="live-dot" aria-hidden="true" />
          {liveText[live]}
        </span>
        {can(session, 'profile.write') && <AvailabilityPicker />}
        <NotificationBell open={bellOpen} onOpenChange={setBellOpen} />
        <details className="usermenu" ref={userMenu}>
          <summary>
            <span className="visually-hidden">Account menu of </span>
            <span className="avatar" aria-hidden="true">
              {session.person.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="usermenu-name">{session.person.name}</span>
          </summary>
          <div className="usermenu-panel">
            <p>
              {session.person.email}
              <br />
              <span className="muted">
                {session.person.role} in {session.workspace.name}
              </span>
            </p>
            <Link
              to="/settings/account"
              className="button"
              onClick={() => userMenu.current?.removeAttribute('open')}
            >
              My account
            </Link>
            <Link
              to="/settings/notifications"
              className="button"
              onClick={() => userMenu.current?.removeAttribute('open')}
            >
              Notification settings
            </Link>
            <button type="button" className="button" onClick={() => setHelp(true)}>
              Keyboard shortcuts
            </button>
            <button type="button" className="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </details>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <PageErrorBoundary resetKey={location.pathname}>
          <Routes>
            <Route path="/" element={<InboxPage />} />
            <Route path="/inbox/:view" element={<InboxPage />} />
            <Route path="/conversations/:id" element={<ConversationPage />} />
            <Route path="/customers" element={<CustomersPage />} />
            <Route path="/customers/:id" element={<CustomerPage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/promises" element={<PromisesPage />} />
            <Route
              path="/approvals"
              element={
                <Suspense fallback={<p className="loading">Loading…</p>}>
                  <ApprovalsPage />
                </Suspense>
              }
            />
            <Route
              path="/escalations"
              element={
                <Suspense fallback={<p className="loading">Loading…</p>}>
                  <EscalationsPage />
                </Suspense>
              }
            />
            <Route
              path="/spam"
              element={
                <Suspense fallback={<p className="loading">Loading…</p>}>
                  <SpamPage />
                </Suspense>
              }
            />
            <Route
              path="/reports"
              element={
                <Suspense fallback={<p className="loading">Loading the reports…</p>}>
                  <ReportsPage />
                </Suspense>
              }
            />
            <Route
              path="/admin/*"
              element={
                <Suspense fallback={<p className="loading">Loading the admin pages…</p>}>
                  <AdminSection />
                </Suspense>
              }
            />
            <Route
              path="/settings/notifications"
              element={
                <Suspense fallback={<p className="loading">Loading your notification settings…</p>}>
                  <PreferencesPage />
                </Suspense>
              }
            />
            <Route
              path="/settings/account"
              element={
                <Suspense fallback={<p className="loading">Loading your account…</p>}>
                  <MyAccountPage />
                </Suspense>
              }
            />
            <Route path="/reset-password" element={<SignedInAlready what="setting a new password" />} />
            <Route path="/accept-invitation" element={<SignedInAlready what="accepting an invitation" />} />
            <Route
              path="*"
              element={
                <div className="empty">
                  <h1>This page does not exist</h1>
                  <p>
                    The address may be mistyped, or the page has moved. <Link to="/">Go to the inbox</Link>.
                  </p>
                </div>
              }
            />
          </Routes>
        </PageErrorBoundary>
      </main>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </SessionContext.Provider>
  );
}

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="button primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
