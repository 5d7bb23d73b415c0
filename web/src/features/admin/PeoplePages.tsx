import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { ApiToken, Person, Role } from '../../api/types';
import { formatWhen } from '../../format';
import { usePeople, useSession } from '../session/session';

const roles: Role[] = ['agent', 'lead', 'manager', 'admin', 'executive'];

/** People: add, change role, deactivate (needs people.admin). */
export function PeoplePage() {
  const client = useQueryClient();
  const session = useSession();
  const people = usePeople();
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role });
  const [created, setCreated] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => api<{ person: Person; generatedPassword?: string }>('POST', '/people', form),
    onSuccess: (res) => {
      setCreated(
        res.generatedPassword
          ? `${res.person.name} can sign in with the password ${res.generatedPassword} (shown only now).`
          : `${res.person.name} was added.`,
      );
      setForm({ name: '', email: '', role: 'agent' });
      void client.invalidateQueries({ queryKey: ['people'] });
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: number; role?: Role; status?: 'active' | 'deactivated' }) =>
      api<Person>('PATCH', `/people/${v.id}`, { role: v.role, status: v.status }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['people'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="people-title" className="admin-section">
      <h1 id="people-title">People</h1>
      {people.isError && <p role="alert">{messageOf(people.error)}</p>}
      {update.isError && (
        <p className="form-error" role="alert">
          {messageOf(update.error)}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {people.data?.items.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.email}</td>
              <td>
                <select
                  aria-label={`Role of ${p.name}`}
                  value={p.role}
                  disabled={p.id === session.person.id}
                  onChange={(e) => update.mutate({ id: p.id, role: e.target.value as Role })}
                >
                  {roles.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>
                {p.id === session.person.id ? (
                  'you'
                ) : (
                  <button
                    type="button"
                    className="button small"
                    onClick={() =>
                      update.mutate({ id: p.id, status: p.status === 'active' ? 'deactivated' : 'active' })
                    }
                  >
                    {p.status === 'active' ? `Deactivate ${p.name}` : `Reactivate ${p.name}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack-form" onSubmit={submit}>
        <h3>Add a colleague</h3>
        <label htmlFor="new-name">Name</label>
        <input
          id="new-name"
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <label htmlFor="new-email">E-mail address</label>
        <input
          id="new-email"
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <label htmlFor="new-role">Role</label>
        <select
          id="new-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        {add.isError && (
          <p className="form-error" role="alert">
            {messageOf(add.error)}
          </p>
        )}
        {created && <p role="status">{created}</p>}
        <button type="submit" className="button primary" disabled={add.isPending}>
          Add
        </button>
      </form>
    </section>
  );
}

/** API tokens: see and revoke (needs tokens.admin). */
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
  return (
    <section aria-labelledby="tokens-title" className="admin-section">
      <h1 id="tokens-title">API tokens</h1>
      {tokens.isError && <p role="alert">{messageOf(tokens.error)}</p>}
      {tokens.data?.items.length === 0 && (
        <p className="muted">No API tokens. Scripts create them through the API.</p>
      )}
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
    </section>
  );
}
