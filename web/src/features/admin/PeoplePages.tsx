import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Invitation, type InvitationSent, invitationsApi } from '../../api/admin';
import { api, messageOf } from '../../api/client';
import type { Person, Role } from '../../api/types';
import { formatWhen } from '../../format';
import { usePeople, useSession, useTeams } from '../session/session';
import { ConfirmDialog, CopyButton } from './ui';

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
          {people.data?.items
            .filter((p) => p.status !== 'invited')
            .map((p) => (
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
      <Invitations />
      <form className="stack-form" onSubmit={submit}>
        <h2>Add a colleague with a password</h2>
        <p className="muted small">
          For someone who cannot receive the invitation by e-mail: Steward makes a password that you pass on,
          shown once.
        </p>
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

/** Pending invitations (resend, revoke) and the form to invite a colleague. */
function Invitations() {
  const client = useQueryClient();
  const teams = useTeams();
  const list = useQuery({ queryKey: ['invitations'], queryFn: invitationsApi.list });
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, teamIds: [] as number[] });
  const [outcome, setOutcome] = useState<InvitationSent | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['invitations'] });
    void client.invalidateQueries({ queryKey: ['people'] });
  };
  const invite = useMutation({
    mutationFn: () => invitationsApi.create(form),
    onSuccess: (res) => {
      setOutcome(res);
      setForm({ name: '', email: '', role: 'agent', teamIds: [] });
      refresh();
    },
  });
  const resend = useMutation({
    mutationFn: (id: number) => invitationsApi.resend(id),
    onSuccess: (res) => {
      setOutcome(res);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => invitationsApi.revoke(id),
    onSuccess: () => {
      setRevoking(null);
      setOutcome(null);
      refresh();
    },
  });
  const toggleTeam = (id: number) =>
    setForm((f) => ({
      ...f,
      teamIds: f.teamIds.includes(id) ? f.teamIds.filter((t) => t !== id) : [...f.teamIds, id],
    }));
  const pending = list.data?.items ?? [];
  return (
    <section aria-labelledby="invitations-title" className="admin-section">
      <h2 id="invitations-title">Invitations</h2>
      {list.data && !list.data.canSendEmail && (
        <p className="notice" role="status">
          Steward cannot send e-mail: STEWARD_SMTP_URL, STEWARD_MAIL_FROM and STEWARD_PUBLIC_URL must be set.
          Until then, an invitation gives you its link to pass on yourself, and nobody can reset a forgotten
          password by e-mail.
        </p>
      )}
      {list.isError && <p role="alert">{messageOf(list.error)}</p>}
      {outcome && <InvitationOutcome sent={outcome} onDismiss={() => setOutcome(null)} />}
      {(resend.isError || revoke.isError) && (
        <p className="form-error" role="alert">
          {messageOf(resend.error ?? revoke.error)}
        </p>
      )}
      {pending.length === 0 ? (
        <p className="muted">No invitation is waiting to be accepted.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Invitations not yet accepted</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Link valid until</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td>{i.email}</td>
                <td>{i.role}</td>
                <td>
                  {i.expired ? <span className="badge badge-danger">Expired</span> : formatWhen(i.expiresAt)}
                </td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    disabled={resend.isPending}
                    onClick={() => resend.mutate(i.id)}
                  >
                    Resend to {i.name}
                  </button>{' '}
                  <button type="button" className="button small" onClick={() => setRevoking(i)}>
                    Revoke {i.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke the invitation of ${revoking.name}?`}
          confirmLabel="Revoke invitation"
          danger
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking.id)}
          onClose={() => setRevoking(null)}
        >
          <p>The link stops working, and {revoking.email} is removed from the workspace.</p>
        </ConfirmDialog>
      )}
      <form
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
        aria-labelledby="invite-title"
      >
        <h3 id="invite-title">Invite a colleague</h3>
        <label htmlFor="invite-name">Name</label>
        <input
          id="invite-name"
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <label htmlFor="invite-email">E-mail address</label>
        <input
          id="invite-email"
          type="email"
          required
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <label htmlFor="invite-role">Role</label>
        <select
          id="invite-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        {teams.data && teams.data.items.length > 0 && (
          <fieldset className="checks">
            <legend>Teams</legend>
            {teams.data.items.map((t) => (
              <label key={t.id}>
                <input
                  type="checkbox"
                  checked={form.teamIds.includes(t.id)}
                  onChange={() => toggleTeam(t.id)}
                />{' '}
                {t.name}
              </label>
            ))}
          </fieldset>
        )}
        {invite.isError && (
          <p className="form-error" role="alert">
            {messageOf(invite.error)}
          </p>
        )}
        <button type="submit" className="button primary" disabled={invite.isPending}>
          {invite.isPending ? 'Inviting…' : 'Send invitation'}
        </button>
      </form>
    </section>
  );
}

function InvitationOutcome({ sent, onDismiss }: { sent: InvitationSent; onDismiss: () => void }) {
  if (sent.delivery === 'email' || !sent.link)
    return (
      <p role="status" className="notice">
        An invitation is on its way to {sent.invitation.email}. Its link works for 7 days.{' '}
        <button type="button" className="button small" onClick={onDismiss}>
          OK
        </button>
      </p>
    );
  return (
    <div className="secret-box" role="status">
      <p>
        <strong>Steward cannot send e-mail, so pass this link on to {sent.invitation.name} yourself.</strong>{' '}
        It is shown only now and works once, for 7 days. Anyone with it can join as {sent.invitation.email}.
      </p>
      <div className="secret-row">
        <input
          className="secret"
          aria-label={`Invitation link for ${sent.invitation.name}`}
          readOnly
          value={sent.link}
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={sent.link} label="Copy link" />
      </div>
      <button type="button" className="button small" onClick={onDismiss}>
        Done: hide the link
      </button>
    </div>
  );
}
