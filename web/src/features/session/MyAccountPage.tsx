import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, messageOf, setCsrfToken } from '../../api/client';
import { leaveSignInNotice } from './AccountPages';
import { useSession } from './session';

/** My account: who I am here, a new password (with the current one), and signing out everywhere else. */
export default function MyAccountPage() {
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => api('PUT', '/me/password', { currentPassword: current, newPassword: next }),
    onSuccess: () => {
      // The API ends every session of mine, this one too: back to sign-in, with a word why.
      leaveSignInNotice(
        'Your password is changed, and you were signed out everywhere. Sign in with the new one.',
      );
      setCsrfToken(null);
      navigate('/', { replace: true });
      client.setQueryData(['session'], null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
  });
  const others = useMutation({ mutationFn: () => api<{ ended: number }>('DELETE', '/me/sessions') });

  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next === repeat) change.mutate();
  }

  const changeError =
    change.error instanceof ApiError && change.error.code === 'INVALID_CREDENTIALS'
      ? 'The current password is not right. Nothing was changed.'
      : change.error
        ? messageOf(change.error)
        : null;

  return (
    <div className="page">
      <h1>My account</h1>
      <dl className="account-facts">
        <dt>Name</dt>
        <dd>{session.person.name}</dd>
        <dt>E-mail address</dt>
        <dd>{session.person.email}</dd>
        <dt>Role</dt>
        <dd>
          {session.person.role}
          {session.person.isOwner ? ', owner' : ''} in {session.workspace.name} (workspace{' '}
          <code>{session.workspace.slug}</code>)
        </dd>
      </dl>
      <p className="muted small">An admin of your workspace can change your name, address and role.</p>

      <form className="stack-form" onSubmit={submit} aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          aria-describedby="new-password-hint"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <p id="new-password-hint" className="field-hint">
          At least 10 characters. Afterwards you sign in again, everywhere.
        </p>
        <label htmlFor="repeat-password">The new password again</label>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        {mismatch && (
          <p className="form-error" role="alert">
            The two new passwords differ. Type the same one twice.
          </p>
        )}
        {changeError && (
          <p className="form-error" role="alert">
            {changeError}
          </p>
        )}
        <button type="submit" className="button primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </form>

      <section className="stack-form" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Other sessions</h2>
        <p>Signed in on another computer or a lost phone? End every session but this one.</p>
        {others.isError && (
          <p className="form-error" role="alert">
            {messageOf(others.error)}
          </p>
        )}
        {others.data && (
          <p role="status">
            {others.data.ended === 0
              ? 'You were not signed in anywhere else.'
              : others.data.ended === 1
                ? 'One other session was ended.'
                : `${others.data.ended} other sessions were ended.`}
          </p>
        )}
        <button type="button" className="button" disabled={others.isPending} onClick={() => others.mutate()}>
          Sign out everywhere else
        </button>
      </section>
    </div>
  );
}
