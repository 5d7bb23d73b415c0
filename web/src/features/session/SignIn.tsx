import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, messageOf, setCsrfToken } from '../../api/client';
import type { Session } from '../../api/types';
import { LAST_WORKSPACE, takeSignInNotice, useInstance } from './AccountPages';

export function SignIn() {
  const client = useQueryClient();
  const instance = useInstance();
  const [typed, setWorkspace] = useState(() => localStorage.getItem(LAST_WORKSPACE));
  // What this browser used last, else the only workspace there is.
  const workspace = typed ?? instance.data?.onlyWorkspace ?? 'default';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice] = useState(takeSignInNotice);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<Session>('POST', '/session', {
        workspace: workspace.trim(),
        email,
        password,
      });
      localStorage.setItem(LAST_WORKSPACE, workspace.trim());
      setCsrfToken(session.csrfToken);
      client.setQueryData(['session'], session);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" /> Steward
        </div>
        <h1 id="signin-title">Sign in</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor="signin-workspace">Workspace</label>
        <input
          id="signin-workspace"
          name="workspace"
          autoComplete="organization"
          value={workspace}
          onChange={(e) => setWorkspace(e.target.value)}
          required
        />
        <label htmlFor="signin-email">E-mail address</label>
        <input
          id="signin-email"
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          // biome-ignore lint/a11y/noAutofocus: signing in is the only thing this page is for
          autoFocus
        />
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          <Link to="/forgot-password">Forgot your password?</Link>
          <br />
          No account yet? Ask an admin of your workspace to invite you.
        </p>
      </form>
    </main>
  );
}
