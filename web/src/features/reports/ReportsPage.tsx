import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, messageOf } from '../../api/client';
import { commitmentsApi, rateText } from '../../api/commitments';
import { type Metric, useSurveyFigures } from '../../api/surveys';
import { plural } from '../../format';
import { RateTable } from '../promises/PromisesPage';
import { usePersonName, useTeamName } from '../session/session';
import { AuthorityFigures, MatterFigures } from './OutcomeReports';
import { QueryState } from './QueryState';

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

/** Promises kept by their due time, for the period: the workspace, each agent and each team. */
function PromiseKeeping({ period }: { period: string | null }) {
  const data = useQuery({
    queryKey: ['reports', 'kept-rate', period],
    queryFn: () => commitmentsApi.keptRateOf(period ?? ''),
    enabled: period !== null,
  });
  return (
    <section className="report-section" aria-labelledby="kept-rate-title">
      <h2 id="kept-rate-title">Promise-kept rate</h2>
      <p className="muted">
        Promises fulfilled by their due time, out of those due in the period whose outcome is known (due by
        now, or already kept or broken).
      </p>
      <QueryState error={data.error} pending={data.isPending && period !== null} />
      {data.data && (
        <>
          <p className="kpi">
            <span className="kpi-value" data-testid="report-kept-rate">
              {rateText(data.data.workspace)}
            </span>{' '}
            <span className="muted">
              workspace: {data.data.workspace.kept} of {data.data.workspace.due} kept by their due time
            </span>
          </p>
          {data.data.workspace.due > 0 && (
            <>
              <RateTable caption="Per agent" rows={data.data.agents} who="Agent" />
              <RateTable caption="Per team" rows={data.data.teams} who="Team" />
            </>
          )}
        </>
      )}
    </section>
  );
}

const metrics: Array<{ metric: Metric; name: string; unit: string }> = [
  { metric: 'csat', name: 'CSAT', unit: ' %' },
  { metric: 'ces', name: 'Customer effort (CES)', unit: '' },
  { metric: 'nps', name: 'NPS', unit: '' },
];
const feedbackGroups: [string, string][] = [
  ['', 'Workspace'],
  ['agent', 'Agent'],
  ['team', 'Team'],
  ['channel', 'Channel'],
];

function FeedbackFigure({
  metric,
  name,
  unit,
  by,
  period,
  label,
}: (typeof metrics)[number] & {
  by: string;
  period: string;
  label: (key: number | string | null) => string;
}) {
  const figures = useSurveyFigures(metric, by, period);
  const titleId = useId();
  const value = (v: number | null) => (v === null ? '–' : `${v}${unit}`);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h3 id={titleId}>{name}</h3>
      <QueryState error={figures.error} pending={figures.isPending} />
      {figures.data && (
        <>
          <p className="kpi">
            <span className="kpi-value" data-testid={`report-${metric}`}>
              {value(figures.data.overall.value)}
            </span>{' '}
            <span className="muted">{plural(figures.data.overall.count, 'answer')}</span>
          </p>
          <p className="small muted">{figures.data.definition}.</p>
          {figures.data.groups.length > 0 && (
            <table className="table">
              <caption className="visually-hidden">
                {name} per {by}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{feedbackGroups.find(([g]) => g === by)?.[1]}</th>
                  <th scope="col">{name}</th>
                  <th scope="col">Answers</th>
                </tr>
              </thead>
              <tbody>
                {figures.data.groups.map((g) => (
                  <tr key={String(g.key)}>
                    <th scope="row">{label(g.key)}</th>
                    <td>{value(g.value)}</td>
                    <td>{g.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** What customers answered to the follow-up after resolution: CSAT, CES and NPS as PRODUCT.md defines them. */
function CustomerFeedback({ period }: { period: string | null }) {
  const [by, setBy] = useState('');
  const teamName = useTeamName();
  const personName = usePersonName();
  const byId = useId();
  const label = (key: number | string | null) => {
    if (by === 'team') return key === null ? 'No team' : (teamName(Number(key)) ?? `Team ${key}`);
    if (by === 'agent') return key === null ? 'Unassigned' : (personName(Number(key)) ?? `Person ${key}`);
    return String(key);
  };
  return (
    <section className="report-section" aria-labelledby="feedback-title">
      <h2 id="feedback-title">Follow-up survey answers</h2>
      <p className="muted">Answers given in the period to the check-in after a conversation was solved.</p>
      <div className="field report-by">
        <label htmlFor={byId}>Per</label>
        <select id={byId} value={by} onChange={(e) => setBy(e.target.value)}>
          {feedbackGroups.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {period && (
        <div className="report-cards">
          {metrics.map((m) => (
            <FeedbackFigure key={m.metric} {...m} by={by} period={period} label={label} />
          ))}
        </div>
      )}
    </section>
  );
}

/** Reports → Keeping promises: the period's figures of SLAs, promises and the follow-up survey. */
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
      <PromiseKeeping period={period.query} />
      <MatterFigures period={period.query} />
      <AuthorityFigures period={period.query} />
      <CustomerFeedback period={period.query} />
    </div>
  );
}
