import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, api, messageOf } from '../../api/client';
import type { Role, Session } from '../../api/types';
import {
  Card,
  ErrorLine,
  Field,
  LAST_WORKSPACE,
  leaveSignInNotice,
  NewPassword,
  slugOf,
  tokenFromHash,
  useInstance,
  useSignedIn,
} from './account-parts';

export { Card, LAST_WORKSPACE, leaveSignInNotice, takeSignInNotice, useInstance } from './account-parts';

/**
 * The pages a person reaches without being signed in: the first start's setup, "forgot password", the
 * reset link's page, and the invitation's page. Each secret link carries its token in the fragment
 * (`#token=…`), which the browser never sends to a server.
 */

/** First start: the workspace and its owner. The API allows it once, while no workspace exists. */
export function SetupPage() {
  const signedIn = useSignedIn();
  const [form, setForm] = useState({ workspaceName: '', slug: '', name: '', email: '', password: '' });
  const [demoData, setDemoData] = useState(false);
  const [slugTouched, setSlugTouched] = useState(false);
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const slug = slugTouched ? form.slug : slugOf(form.workspaceName);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== repeat) return setError('The two passwords differ. Type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      signedIn(await api<Session>('POST', '/setup', { ...form, slug: slug || undefined, demoData }));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'SETUP_DONE'
          ? 'This Steward has been set up already. Reload the page to sign in.'
          : messageOf(err),
      );
      setBusy(false);
    }
  }

  return (
    <Card title="Set up Steward" onSubmit={submit}>
      <p>Welcome! Create your company's workspace and your own account. You become its owner.</p>
      <Field
        id="setup-workspace"
        label="Workspace name"
        value={form.workspaceName}
        onChange={(workspaceName) => setForm({ ...form, workspaceName })}
        autoComplete="organization"
        hint="Usually your company's name."
        autoFocus
      />
      <Field
        id="setup-slug"
        label="Workspace address"
        value={slug}
        onChange={(s) => {
          setSlugTouched(true);
          setForm({ ...form, slug: s.toLowerCase() });
        }}
        hint="What everyone types as “workspace” when signing in: lowercase letters, digits and dashes."
      />
      <Field
        id="setup-name"
        label="Your name"
        value={form.name}
        onChange={(name) => setForm({ ...form, name })}
        autoComplete="name"
      />
      <Field
        id="setup-email"
        label="Your e-mail address"
        type="email"
        value={form.email}
        onChange={(email) => setForm({ ...form, email })}
        autoComplete="username"
      />
      <NewPassword
        label="Your password"
        value={form.password}
        repeat={repeat}
        onChange={(password) => setForm({ ...form, password })}
        onRepeat={setRepeat}
      />
      <label className="check setup-demo">
        <input type="checkbox" checked={demoData} onChange={(e) => setDemoData(e.target.checked)} />
        Add demo conversations to try Steward (3,000 made-up conversations, customers and colleagues)
      </label>
      <ErrorLine error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy
          ? demoData
            ? 'Setting up and adding the demo data…'
            : 'Setting up…'
          : 'Create workspace and sign in'}
      </button>
    </Card>
  );
}

/** "Forgot password?": asks for a link. The answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const instance = useInstance();
  const [typed, setWorkspace] = useState(() => localStorage.getItem(LAST_WORKSPACE));
  const workspace = typed ?? instance.data?.onlyWorkspace ?? 'default';
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/password-reset', { email, workspace: workspace.trim() || undefined });
      setSent(true);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (sent)
    return (
      <Card title="Check your e-mail">
        <p role="status">
          If <strong>{email}</strong> has an account in the workspace <strong>{workspace}</strong>, a link to
          set a new password is on its way. It works once, for one hour.
        </p>
        <p className="hint">
          Nothing arrived after a few minutes? Look in the spam folder, or ask again.{' '}
          <Link to="/">Back to sign-in</Link>
        </p>
      </Card>
    );
  return (
    <Card title="Forgot your password?" onSubmit={submit}>
      <p>Tell us where you sign in, and we send you a link to set a new password.</p>
      {instance.data && !instance.data.canSendEmail && (
        <p className="notice" role="status">
          This Steward cannot send e-mail yet, so no link can reach you. Ask an admin of your workspace for
          help.
        </p>
      )}
      <Field
        id="forgot-workspace"
        label="Workspace"
        value={workspace}
        onChange={setWorkspace}
        autoComplete="organization"
      />
      <Field
        id="forgot-email"
        label="E-mail address"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="username"
        autoFocus
      />
      <ErrorLine error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send me a link'}
      </button>
      <p className="hint">
        <Link to="/">Back to sign-in</Link>
      </p>
    </Card>
  );
}

const linkProblem: Record<string, string> = {
  RESET_LINK_INVALID:
    'This link does not work any more: it was used, it expired (after one hour), or the password changed since.',
  INVITATION_LINK_INVALID:
    'This invitation link does not work any more: it was used, revoked, replaced by a newer one, or it expired (after 7 days). Ask your admin to send it again.',
};

/** The reset link's page: a new password, then back to sign-in. */
export function ResetPasswordPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const token = tokenFromHash(location.hash);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) return setError('The two passwords differ. Type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/password-reset/confirm', { token, password });
      leaveSignInNotice('Your new password is set, and you were signed out everywhere. Sign in with it.');
      navigate('/', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? (linkProblem[err.code] ?? messageOf(err)) : messageOf(err));
      setBusy(false);
    }
  }

  if (!token)
    return (
      <Card title="This link is incomplete">
        <p>Open the link from the e-mail exactly as it is, or ask for a new one.</p>
        <p className="hint">
          <Link to="/forgot-password">Ask for a new link</Link> · <Link to="/">Sign in</Link>
        </p>
      </Card>
    );
  return (
    <Card title="Choose a new password" onSubmit={submit}>
      <NewPassword value={password} repeat={repeat} onChange={setPassword} onRepeat={setRepeat} />
      <ErrorLine error={error} />
      {error && (
        <p className="hint">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Saving…' : 'Set the new password'}
      </button>
    </Card>
  );
}

type InvitationInfo = {
  workspace: { name: string; slug: string };
  email: string;
  name: string;
  role: Role;
  expiresAt: string;
};

/** The invitation link's page: who invited you where; choose your name and password, and you are in. */
export function AcceptInvitationPage() {
  const location = useLocation();
  const signedIn = useSignedIn();
  const token = tokenFromHash(location.hash);
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<InvitationInfo>('POST', '/invitations/lookup', { token }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) return setError('The two passwords differ. Type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      signedIn(
        await api<Session>('POST', '/invitations/accept', { token, name: name ?? info.data?.name, password }),
      );
    } catch (err) {
      setError(err instanceof ApiError ? (linkProblem[err.code] ?? messageOf(err)) : messageOf(err));
      setBusy(false);
    }
  }

  if (!token || info.isError)
    return (
      <Card title="This invitation cannot be used">
        <p role="alert">
          {info.error instanceof ApiError
            ? (linkProblem[info.error.code] ?? messageOf(info.error))
            : 'Open the link from the e-mail exactly as it is.'}
        </p>
        <p className="hint">
          <Link to="/">Sign in</Link>
        </p>
      </Card>
    );
  if (!info.data) return <p className="loading-page">Loading your invitation…</p>;
  return (
    <Card title={`Join ${info.data.workspace.name}`} onSubmit={submit}>
      <p>
        You were invited as <strong>{info.data.role}</strong>. You will sign in to the workspace{' '}
        <strong>{info.data.workspace.slug}</strong> as <strong>{info.data.email}</strong>.
      </p>
      <Field
        id="accept-name"
        label="Your name"
        value={name ?? info.data.name}
        onChange={setName}
        autoComplete="name"
        autoFocus
      />
      <NewPassword
        label="Choose a password"
        value={password}
        repeat={repeat}
        onChange={setPassword}
        onRepeat={setRepeat}
      />
      <ErrorLine error={error} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Joining…' : 'Join and sign in'}
      </button>
    </Card>
  );
}
