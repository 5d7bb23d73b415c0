import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { calendarsApi } from '../../../api/admin';
import { api } from '../../../api/client';
import {
  availabilityLabel,
  type RoutingMode,
  routingApi,
  routingModeLabel,
  type TeamRouting,
  teamRoutingKey,
} from '../../../api/routing';
import { can, usePeople, useSession } from '../../session/session';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';
import { CapacityFields, capacityOf, capacityText, draftOf } from './CapacityFields';
import type { TeamRow } from './TeamsPage';

const modes: RoutingMode[] = ['manual', 'round_robin', 'least_busy'];

/** One team: name, lead, members (with their status and load), routing and capacities, calendar. */
export function TeamDetail({ team, onDeleted }: { team: TeamRow; onDeleted(): void }) {
  const client = useQueryClient();
  const people = usePeople();
  const routing = useQuery({ queryKey: teamRoutingKey(team.id), queryFn: () => routingApi.get(team.id) });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['teams'] });
    void client.invalidateQueries({ queryKey: teamRoutingKey(team.id) });
  };
  const [name, setName] = useState(team.name);
  const [isVendor, setIsVendor] = useState(team.isVendor);
  const [notice, setNotice] = useState('');
  const [removing, setRemoving] = useState(false);
  const [adding, setAdding] = useState('');
  const rename = useMutation({
    mutationFn: () => api('PATCH', `/teams/${team.id}`, { name, isVendor }),
    onSuccess: () => {
      setNotice('Saved.');
      refresh();
    },
  });
  // The lead chosen shows at once and stays while the team is read again; a refusal puts the old one back.
  const [lead, setLeadChoice] = useState(team.leadId);
  useEffect(() => setLeadChoice(team.leadId), [team.leadId]);
  const setLead = useMutation({
    mutationFn: (leadId: number | null) => {
      setLeadChoice(leadId);
      return api('PATCH', `/teams/${team.id}`, { leadId });
    },
    onSuccess: () => {
      setNotice('Lead saved.');
      refresh();
    },
    onError: () => setLeadChoice(team.leadId),
  });
  const membership = useMutation({
    mutationFn: (v: { personId: number; member: boolean }) =>
      api(v.member ? 'PUT' : 'DELETE', `/teams/${team.id}/members/${v.personId}`),
    onSuccess: (_r, v) => {
      setAdding('');
      setNotice(v.member ? 'Member added.' : 'Member removed.');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/teams/${team.id}`),
    onSuccess: () => {
      setRemoving(false);
      void client.invalidateQueries({ queryKey: ['teams'] });
      onDeleted();
    },
  });
  const nameOf = (id: number) => people.data?.items.find((p) => p.id === id)?.name ?? `person #${id}`;
  const candidates = (people.data?.items ?? []).filter(
    (p) => p.status === 'active' && !team.memberIds.includes(p.id),
  );
  const save = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate();
  };
  return (
    <section className="admin-form team-detail" aria-labelledby="team-detail-title">
      <h2 id="team-detail-title">{team.name}</h2>
      <p role="status" className="small muted">
        {notice}
      </p>
      <form onSubmit={save} className="field">
        <label htmlFor="team-name">Name</label>
        <input
          id="team-name"
          required
          maxLength={80}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={isVendor} onChange={(e) => setIsVendor(e.target.checked)} />
          An outsourced vendor's team
        </label>
        <ErrorNote error={rename.error} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={rename.isPending}>
            Save name
          </button>
        </div>
      </form>

      <h3>Members</h3>
      <ErrorNote error={membership.error ?? setLead.error} />
      {team.memberIds.length === 0 ? (
        <p className="muted">No members yet.</p>
      ) : (
        <MembersTable team={team} routing={routing.data} nameOf={nameOf} onChanged={refresh}>
          {(personId) => (
            <div className="action-bar">
              <label className="check">
                <input
                  type="radio"
                  name={`lead-${team.id}`}
                  checked={lead === personId}
                  onChange={() => setLead.mutate(personId)}
                />
                Lead<span className="visually-hidden"> of the team: {nameOf(personId)}</span>
              </label>
              <button
                type="button"
                className="button small"
                onClick={() => membership.mutate({ personId, member: false })}
                disabled={membership.isPending}
              >
                Remove <span className="visually-hidden">{nameOf(personId)}</span>
              </button>
            </div>
          )}
        </MembersTable>
      )}
      {team.leadId !== null && (
        <div className="form-actions">
          <button type="button" className="button small" onClick={() => setLead.mutate(null)}>
            No lead
          </button>
        </div>
      )}
      <form
        className="filter-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (adding) membership.mutate({ personId: Number(adding), member: true });
        }}
      >
        <label htmlFor="team-add-member">Add a member</label>
        <select id="team-add-member" value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">Choose a colleague…</option>
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.role})
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={!adding || membership.isPending}>
          Add
        </button>
      </form>

      <h3>Routing</h3>
      <QueryNote pending={routing.isPending} error={routing.error} loading="Loading routing…" />
      {routing.data && (
        <RoutingForm
          key={JSON.stringify([routing.data.mode, routing.data.capacity])}
          routing={routing.data}
          onSaved={() => {
            setNotice('Routing saved.');
            refresh();
          }}
        />
      )}

      <TeamCalendar teamId={team.id} />

      <div className="danger-zone">
        <button type="button" className="button danger" onClick={() => setRemoving(true)}>
          Delete team
        </button>
      </div>
      {removing && (
        <ConfirmDialog
          title={`Delete the team “${team.name}”?`}
          confirmLabel="Delete team"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onClose={() => setRemoving(false)}
        >
          <p>Its members stay in the workspace. A team that still has conversations cannot be deleted.</p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}

function MembersTable({
  team,
  routing,
  nameOf,
  onChanged,
  children,
}: {
  team: TeamRow;
  routing: TeamRouting | undefined;
  nameOf(id: number): string;
  onChanged(): void;
  children(personId: number): ReactNode;
}) {
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Members of {team.name}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Open</th>
            <th scope="col">Own limits</th>
            <th scope="col">
              <span className="visually-hidden">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {team.memberIds.map((id) => {
            const m = routing?.members.find((x) => x.personId === id);
            return (
              <tr key={id}>
                <td>{nameOf(id)}</td>
                <td>
                  {m && (
                    <span className={`availability availability-${m.availability}`}>
                      <span className="availability-dot" aria-hidden="true" />
                      {availabilityLabel[m.availability]}
                    </span>
                  )}
                </td>
                <td>{m?.openConversations ?? '—'}</td>
                <td>
                  {m && capacityText(m.capacity) ? (
                    capacityText(m.capacity)
                  ) : (
                    <span className="muted">team's</span>
                  )}{' '}
                  <button type="button" className="button small" onClick={() => setEditing(id)}>
                    Edit <span className="visually-hidden">limits of {nameOf(id)}</span>
                  </button>
                </td>
                <td>{children(id)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing !== null && routing && (
        <MemberLimits
          teamId={team.id}
          personId={editing}
          name={nameOf(editing)}
          current={routing.members.find((x) => x.personId === editing)?.capacity ?? {}}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function MemberLimits(props: {
  teamId: number;
  personId: number;
  name: string;
  current: TeamRouting['capacity'];
  onClose(): void;
  onSaved(): void;
}) {
  const [draft, setDraft] = useState(draftOf(props.current));
  const save = useMutation({
    mutationFn: () => routingApi.setMember(props.teamId, props.personId, capacityOf(draft)),
    onSuccess: props.onSaved,
  });
  return (
    <ConfirmDialog
      title={`Limits of ${props.name} in this team`}
      confirmLabel="Save limits"
      busy={save.isPending}
      onConfirm={() => save.mutate()}
      onClose={props.onClose}
    >
      <p className="small">Most open conversations per channel; an empty field follows the team's limit.</p>
      <CapacityFields idPrefix="member-cap" draft={draft} onChange={setDraft} emptyMeans="team's" />
      <ErrorNote error={save.error} />
    </ConfirmDialog>
  );
}

function RoutingForm({ routing, onSaved }: { routing: TeamRouting; onSaved(): void }) {
  const [mode, setMode] = useState<RoutingMode>(routing.mode);
  const [draft, setDraft] = useState(draftOf(routing.capacity));
  const save = useMutation({
    mutationFn: () => routingApi.set(routing.teamId, { mode, capacity: capacityOf(draft) }),
    onSuccess: onSaved,
  });
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset>
        <legend>How new conversations find an agent</legend>
        {modes.map((m) => (
          <label key={m} className="check radio-line">
            <input
              type="radio"
              name="routing-mode"
              value={m}
              checked={mode === m}
              onChange={() => setMode(m)}
            />
            {routingModeLabel[m]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Capacity: most open conversations per agent and channel</legend>
        <CapacityFields idPrefix="team-cap" draft={draft} onChange={setDraft} emptyMeans="no limit" />
      </fieldset>
      <ErrorNote error={save.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save routing
        </button>
      </div>
    </form>
  );
}

/** The team's business hours, for those who may change calendars. */
function TeamCalendar({ teamId }: { teamId: number }) {
  const session = useSession();
  const client = useQueryClient();
  const allowed = can(session, 'calendars.admin');
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: calendarsApi.list, enabled: allowed });
  const current = useQuery({
    queryKey: ['team-calendar', teamId],
    queryFn: () => api<{ calendarId: number | null }>('GET', `/teams/${teamId}/calendar`),
    enabled: allowed,
  });
  const set = useMutation({
    mutationFn: (calendarId: number | null) => calendarsApi.setTeamCalendar(teamId, calendarId),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['team-calendar', teamId] }),
  });
  if (!allowed || !calendars.data || !current.data) return null;
  return (
    <div className="field">
      <h3>Business hours</h3>
      <label htmlFor="team-calendar">Calendar</label>
      <select
        id="team-calendar"
        value={current.data.calendarId ?? ''}
        onChange={(e) => set.mutate(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">The workspace's default</option>
        {calendars.data.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <ErrorNote error={set.error} />
    </div>
  );
}
