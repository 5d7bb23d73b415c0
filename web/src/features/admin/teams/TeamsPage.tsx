import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../../api/client';
import { usePersonName, useTeams } from '../../session/session';
import { ErrorNote, QueryNote } from '../ui';
import { TeamDetail } from './TeamDetail';

export type TeamRow = {
  id: number;
  name: string;
  leadId: number | null;
  isVendor: boolean;
  memberIds: number[];
};

/** Teams: who is in each, its lead, and how its conversations find an agent (needs teams.admin). */
export function TeamsPage() {
  const teams = useTeams();
  const personName = usePersonName();
  const client = useQueryClient();
  const [open, setOpen] = useState<number | null>(null);
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<TeamRow>('POST', '/teams', { name }),
    onSuccess: (team) => {
      setName('');
      setOpen(team.id);
      void client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const items = (teams.data?.items ?? []) as TeamRow[];
  const current = items.find((t) => t.id === open);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Teams</h1>
      </div>
      <p className="muted lead">
        A team's conversations go to its members. With round robin or least busy routing, Steward gives each
        new one to a member who is online and has room on its channel; when nobody has, it waits in Unassigned
        until someone comes online, frees a place, or takes it.
      </p>
      <QueryNote pending={teams.isPending} error={teams.error} loading="Loading teams…" />
      {teams.data && items.length === 0 && <p className="empty">No teams yet. Create the first one below.</p>}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Teams</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Lead</th>
              <th scope="col">Members</th>
              <th scope="col">
                <span className="visually-hidden">Manage</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} aria-current={t.id === open ? 'true' : undefined}>
                <td>
                  {t.name} {t.isVendor && <span className="badge badge-muted">vendor</span>}
                </td>
                <td>{personName(t.leadId) ?? '—'}</td>
                <td>{t.memberIds.length}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    aria-expanded={t.id === open}
                    onClick={() => setOpen(t.id === open ? null : t.id)}
                  >
                    {t.id === open ? 'Close' : 'Manage'} <span className="visually-hidden">{t.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && <TeamDetail key={current.id} team={current} onDeleted={() => setOpen(null)} />}
      <form className="admin-form" onSubmit={submit} aria-labelledby="new-team-title">
        <h2 id="new-team-title">New team</h2>
        <div className="field">
          <label htmlFor="new-team-name">Name</label>
          <input
            id="new-team-name"
            required
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <ErrorNote error={create.error} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            Create team
          </button>
        </div>
      </form>
    </div>
  );
}
