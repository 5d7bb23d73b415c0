import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { tokensApi } from '../../api/admin';
import { api, messageOf } from '../../api/client';
import type { ApiToken } from '../../api/types';
import { formatWhen } from '../../format';
import { CopyButton } from './ui';

/** API tokens: create (the value shown once), see and revoke (needs tokens.admin). */
export function TokensPage() {
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api<{ items: ApiToken[] }>('GET', '/tokens'),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api('DELETE', `/tokens/${id}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const [created, setCreated] = useState<{ name: string; value: string } | null>(null);
  return (
    <section aria-labelledby="tokens-title" className="admin-section">
      <h1 id="tokens-title">API tokens</h1>
      {tokens.isError && <p role="alert">{messageOf(tokens.error)}</p>}
      {created && (
        <div className="secret-box" role="status">
          <p>
            <strong>Copy the token now: it will not be shown again.</strong> Steward keeps only a fingerprint
            of it. Scripts send it as <code>Authorization: Bearer …</code>. If you lose it, revoke it and
            create a new one.
          </p>
          <div className="secret-row">
            <input
              className="secret"
              aria-label={`API token ${created.name}`}
              readOnly
              value={created.value}
              onFocus={(e) => e.target.select()}
            />
            <CopyButton text={created.value} label="Copy token" />
          </div>
          <button type="button" className="button small" onClick={() => setCreated(null)}>
            I have stored it: hide the token
          </button>
        </div>
      )}
      {tokens.data?.items.length === 0 && <p className="muted">No API tokens yet.</p>}
      {tokens.data && tokens.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.name} <span className="muted small">{t.prefix}…</span>
                </td>
                <td>{t.scopes.join(', ')}</td>
                <td>{t.lastUsedAt ? formatWhen(t.lastUsedAt) : 'never'}</td>
                <td>
                  {t.revokedAt ? (
                    'revoked'
                  ) : (
                    <button type="button" className="button small" onClick={() => revoke.mutate(t.id)}>
                      Revoke {t.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateToken
        onCreated={(name, value) => {
          setCreated({ name, value });
          void client.invalidateQueries({ queryKey: ['tokens'] });
        }}
      />
    </section>
  );
}

/** A token for me: a name, its scopes (those my role can use), and an optional expiry date. */
function CreateToken({ onCreated }: { onCreated: (name: string, value: string) => void }) {
  const scopes = useQuery({
    queryKey: ['token-scopes'],
    queryFn: tokensApi.scopes,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [expires, setExpires] = useState('');
  const [missing, setMissing] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      tokensApi.create({
        name,
        scopes: chosen,
        // The end of the chosen day, in the browser's time zone.
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
      }),
    onSuccess: (res) => {
      onCreated(res.token.name, res.value);
      setName('');
      setChosen([]);
      setExpires('');
    },
  });
  const toggle = (scope: string) =>
    setChosen((c) => (c.includes(scope) ? c.filter((s) => s !== scope) : [...c, scope]));
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <form
      className="stack-form wide-form"
      aria-labelledby="create-token-title"
      onSubmit={(e) => {
        e.preventDefault();
        setMissing(chosen.length === 0);
        if (chosen.length > 0) create.mutate();
      }}
    >
      <h2 id="create-token-title">Create a token</h2>
      <p className="muted small">
        The token acts as you, with at most the scopes you tick here and never more than your role allows.
      </p>
      <label htmlFor="token-name">Name</label>
      <input
        id="token-name"
        required
        maxLength={80}
        placeholder="Nightly CRM sync"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <fieldset className="checks scope-checks" aria-describedby="scopes-hint">
        <legend>Scopes</legend>
        <p id="scopes-hint" className="field-hint">
          <code>read</code> lets it look, <code>write</code> lets it change too; <code>all</code> means every
          area.
        </p>
        {scopes.isError && <p role="alert">{messageOf(scopes.error)}</p>}
        {scopes.data?.items
          .filter((s) => s.usable)
          .map((s) => (
            <label key={s.scope} title={s.permissions.join(', ')}>
              <input type="checkbox" checked={chosen.includes(s.scope)} onChange={() => toggle(s.scope)} />{' '}
              <code>{s.scope}</code>
            </label>
          ))}
      </fieldset>
      {missing && (
        <p className="form-error" role="alert">
          Tick at least one scope.
        </p>
      )}
      <label htmlFor="token-expires">Expires on (optional)</label>
      <input
        id="token-expires"
        type="date"
        min={tomorrow}
        value={expires}
        onChange={(e) => setExpires(e.target.value)}
        aria-describedby="token-expires-hint"
      />
      <p id="token-expires-hint" className="field-hint">
        Empty: the token works until it is revoked.
      </p>
      {create.isError && (
        <p className="form-error" role="alert">
          {messageOf(create.error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}
