import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Route, Routes, useParams } from 'react-router';
import { type Calendar, calendarsApi } from '../../../api/admin';
import { plural } from '../../../format';
import { ErrorNote, QueryNote } from '../ui';
import { CalendarEditor } from './CalendarEditor';
import { weekSummary } from './week';

export function CalendarsSection() {
  return (
    <Routes>
      <Route index element={<CalendarList />} />
      <Route path="new" element={<CalendarEditor />} />
      <Route path=":id" element={<EditCalendar />} />
    </Routes>
  );
}

export const useCalendars = () => useQuery({ queryKey: ['calendars'], queryFn: calendarsApi.list });

function EditCalendar() {
  const id = Number(useParams().id);
  const calendar = useQuery({ queryKey: ['calendar', id], queryFn: () => calendarsApi.get(id) });
  if (!calendar.data)
    return (
      <div className="page">
        <p className="crumbs">
          <Link to="/admin/calendars">Business hours</Link>
        </p>
        <QueryNote pending={calendar.isPending} error={calendar.error} loading="Loading the calendar…" />
      </div>
    );
  return <CalendarEditor key={calendar.data.id} calendar={calendar.data} />;
}

function CalendarList() {
  const calendars = useCalendars();
  const items = calendars.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Business hours</h1>
        <Link to="/admin/calendars/new" className="button primary">
          New calendar
        </Link>
      </div>
      <p className="muted lead">
        A calendar says when your team works: its time zone, opening hours per weekday and holidays. Deadlines
        count only open time. A team works by its own calendar, else by the workspace default.
      </p>
      <QueryNote pending={calendars.isPending} error={calendars.error} loading="Loading calendars…" />
      {calendars.data && items.length === 0 && (
        <p className="empty">
          No calendars yet, so every deadline counts around the clock. Create one with your opening hours.
        </p>
      )}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Calendars</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Time zone</th>
              <th scope="col">Hours</th>
              <th scope="col">Used by</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/admin/calendars/${c.id}`}>{c.name}</Link>{' '}
                  {c.isDefault && <span className="badge badge-accent">Workspace default</span>}
                </td>
                <td>{c.timeZone}</td>
                <td className="small">{c.alwaysOpen ? 'Always open' : weekSummary(c.week)}</td>
                <td className="small">
                  {[
                    c.teamIds.length > 0 ? plural(c.teamIds.length, 'team') : '',
                    c.isDefault ? 'teams without their own' : '',
                  ]
                    .filter(Boolean)
                    .join(' and ') || '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {calendars.data && <TeamCalendars calendars={items} />}
    </div>
  );
}

/** Which calendar each team works by: its own, or the workspace default. */
function TeamCalendars({ calendars }: { calendars: Calendar[] }) {
  const client = useQueryClient();
  const teams = useQuery({ queryKey: ['teams'], queryFn: calendarsApi.teams });
  const assign = useMutation({
    mutationFn: (v: { teamId: number; calendarId: number | null }) =>
      calendarsApi.setTeamCalendar(v.teamId, v.calendarId),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['calendars'] }),
  });
  const fallback = calendars.find((c) => c.isDefault);
  const own = (teamId: number) => calendars.find((c) => c.teamIds.includes(teamId))?.id ?? null;
  return (
    <section aria-labelledby="team-calendars" className="admin-section">
      <h2 id="team-calendars">Calendars of teams</h2>
      <QueryNote pending={teams.isPending} error={teams.error} loading="Loading teams…" />
      <ErrorNote error={assign.error} />
      {teams.data?.items.length === 0 && (
        <p className="empty">No teams yet. Teams get calendars once they exist.</p>
      )}
      {teams.data && teams.data.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Calendars of teams</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Works by</th>
            </tr>
          </thead>
          <tbody>
            {teams.data.items.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <select
                    aria-label={`Calendar of ${t.name}`}
                    value={own(t.id) ?? ''}
                    disabled={assign.isPending}
                    onChange={(e) =>
                      assign.mutate({
                        teamId: t.id,
                        calendarId: e.target.value ? Number(e.target.value) : null,
                      })
                    }
                  >
                    <option value="">
                      {fallback ? `Workspace default (${fallback.name})` : 'Workspace default (always open)'}
                    </option>
                    {calendars.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
