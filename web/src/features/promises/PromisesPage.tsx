import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { commitmentsApi, type RateRow, rateText } from '../../api/commitments';
import { dueText } from '../../api/sla';
import { FailureNote } from '../../ui';
import { can, useSession } from '../session/session';

const periods = [7, 30, 90] as const;
const DAY = 86_400_000;

export function RateTable({ caption, rows, who }: { caption: string; rows: RateRow[]; who: string }) {
  return (
    <table className="table rate-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{who}</th>
          <th scope="col">Kept by due time</th>
          <th scope="col">Due</th>
          <th scope="col">Kept rate</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">
              Nothing was due in this period.
            </td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={String(r.id)}>
            <th scope="row">{r.name ?? (who === 'Team' ? 'No team' : 'Workspace')}</th>
            <td>{r.kept}</td>
            <td>{r.due}</td>
            <td>{rateText(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Promises across the workspace: the overdue ones (oldest first, linked to their conversations) and, for those
 * who read analytics, the promise-kept rate of the workspace, each agent and each team for a period.
 */
export function PromisesPage() {
  const session = useSession();
  const uid = useId();
  const [days, setDays] = useState<(typeof periods)[number]>(30);
  const showRates = can(session, 'analytics.read');
  const overdue = useQuery({ queryKey: ['commitments', 'overdue'], queryFn: commitmentsApi.overdue });
  const rates = useQuery({
    queryKey: ['commitments', 'kept-rate', days],
    enabled: showRates,
    queryFn: () => {
      const to = new Date();
      return commitmentsApi.keptRate(new Date(to.getTime() - days * DAY).toISOString(), to.toISOString());
    },
  });
  const now = Date.now();
  return (
    <div className="page promises-page">
      <h1>Promises</h1>
      {showRates && (
        <section aria-labelledby={`${uid}-rates`}>
          <h2 id={`${uid}-rates`}>Promise-kept rate</h2>
          <p className="muted small">
            Promises fulfilled by their due time, out of those due in the period whose outcome is known (due
            by now, or already kept or broken).
          </p>
          <label htmlFor={`${uid}-period`}>Period</label>{' '}
          <select
            id={`${uid}-period`}
            value={days}
            onChange={(e) => setDays(Number(e.target.value) as (typeof periods)[number])}
          >
            {periods.map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
          <FailureNote error={rates.error} />
          {rates.data && (
            <>
              <p className="kpi">
                <span className="kpi-value" data-testid="workspace-kept-rate">
                  {rateText(rates.data.workspace)}
                </span>{' '}
                <span className="muted">
                  workspace: {rates.data.workspace.kept} of {rates.data.workspace.due} kept by their due time
                </span>
              </p>
              <RateTable caption="Per agent" rows={rates.data.agents} who="Agent" />
              <RateTable caption="Per team" rows={rates.data.teams} who="Team" />
            </>
          )}
        </section>
      )}
      <section aria-labelledby={`${uid}-overdue`}>
        <h2 id={`${uid}-overdue`}>Overdue promises</h2>
        <FailureNote error={overdue.error} />
        {overdue.data && overdue.data.items.length === 0 && <p className="muted">No promise is overdue.</p>}
        {overdue.data && overdue.data.items.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Promise</th>
                <th scope="col">Owner</th>
                <th scope="col">Conversation</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {overdue.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.text}</td>
                  <td>{c.ownerName}</td>
                  <td>
                    <Link to={`/conversations/${c.conversationId}`}>
                      #{c.conversationId} {c.conversationSubject}
                    </Link>
                  </td>
                  <td>{dueText(c.dueAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
