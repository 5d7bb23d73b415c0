import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, messageOf } from '../../api/client';
import { usePersonName, useTeamName } from '../session/session';

type Share = { met: number; decided: number; rate: number | null };
type Target = 'first_response' | 'next_response' | 'resolution';
type Attainment = {
  from: string;
  to: string;
  by: Group;
  rows: Array<{ key: number | string | null; overall: Share; targets: Record<Target, Share> }>;
};
type Group = 'workspace' | 'team' | 'agent' | 'channel';

const targets: [Target, string][] = [
  ['first_response', 'First response'],
  ['next_response', 'Next response'],
  ['resolution', 'Resolution'],
];
const groups: [Group, string][] = [
  ['workspace', 'Workspace'],
  ['team', 'Team'],
  ['agent', 'Agent'],
  ['channel', 'Channel'],
];
const DAY = 86_400_000;
/** A date input's value for a day of the viewer's own calendar (not UTC's). */
const dayInput = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** Midnight at the start of that day, in the viewer's time zone. */
const startOf = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/** "83.3 % (5 of 6)", or a dash when nothing was decided: an empty period is not a 0 %. */
export function ShareCell({ share }: { share: Share }) {
  if (share.rate === null) return <span className="muted">–</span>;
  return (
    <span>
      {(share.rate * 100).toFixed(1)} % <span className="muted">({`${share.met} of ${share.decided}`})</span>
    </span>
  );
}

/** The period picker the report sections share: whole days of the viewer's time zone, `to` inclusive. */
export function usePeriod() {
  const [from, setFrom] = useState(() => dayInput(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(() => dayInput(new Date()));
  const valid = from <= to;
  const query = valid
    ? `from=${encodeURIComponent(startOf(from))}&to=${encodeURIComponent(startOf(to, 1))}`
    : null;
  return { from, to, setFrom, setTo, valid, query };
}

function SlaAttainment({ period }: { period: string | null }) {
  const [by, setBy] = useState<Group>('workspace');
  const teamName = useTeamName();
  const personName = usePersonName();
  const byId = useId();
  const data = useQuery({
    queryKey: ['reports', 'sla', period, by],
    queryFn: () => api<Attainment>('GET', `/sla/attainment?${period}&by=${by}`),
    enabled: period !== null,
  });
  const label = (key: number | string | null) => {
    if (by === 'workspace') return 'All conversations';
    if (by === 'team') return key === null ? 'No team' : (teamName(Number(key)) ?? `Team ${key}`);
    if (by === 'agent') return key === null ? 'Unassigned' : (personName(Number(key)) ?? `Person ${key}`);
    return String(key);
  };
  return (
    <section className="report-section" aria-labelledby="sla-attainment-title">
      <h2 id="sla-attainment-title">SLA attainment</h2>
      <p className="muted">
        Deadlines met in time, out of those met or missed in the period. Each customer message waiting for an
        answer is a next-response deadline of its own.
      </p>
      <div className="field report-by">
        <label htmlFor={byId}>Per</label>
        <select id={byId} value={by} onChange={(e) => setBy(e.target.value as Group)}>
          {groups.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {data.error && (
        <p className="error-box" role="alert">
          {messageOf(data.error)}
        </p>
      )}
      {data.isPending && period && <p className="loading">Loading…</p>}
      {data.data?.rows.every((r) => r.overall.decided === 0) && (
        <p className="muted">No deadline was met or missed in this period.</p>
      )}
      {data.data?.rows.some((r) => r.overall.decided > 0) && (
        <table className="table">
          <caption className="visually-hidden">SLA attainment per {by}</caption>
          <thead>
            <tr>
              <th scope="col">{groups.find(([g]) => g === by)?.[1]}</th>
              <th scope="col">All targets</th>
              {targets.map(([t, text]) => (
                <th key={t} scope="col">
                  {text}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.data.rows.map((r) => (
              <tr key={String(r.key)}>
                <th scope="row">{label(r.key)}</th>
                <td>
                  <ShareCell share={r.overall} />
                </td>
                {targets.map(([t]) => (
                  <td key={t}>
                    <ShareCell share={r.targets[t]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Reports → Keeping promises: the period's figures of SLAs (and, as they land, promises and surveys). */
export default function ReportsPage() {
  const period = usePeriod();
  const fromId = useId();
  const toId = useId();
  return (
    <div className="page">
      <h1>Keeping promises</h1>
      <form className="report-period" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={fromId}>From</label>
          <input
            id={fromId}
            type="date"
            value={period.from}
            onChange={(e) => period.setFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={toId}>To (inclusive)</label>
          <input id={toId} type="date" value={period.to} onChange={(e) => period.setTo(e.target.value)} />
        </div>
        {!period.valid && (
          <p className="error-box" role="alert">
            The period must start before it ends.
          </p>
        )}
      </form>
      <SlaAttainment period={period.query} />
    </div>
  );
}
