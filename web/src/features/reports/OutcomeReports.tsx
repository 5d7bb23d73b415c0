import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { amountText, authorityApi } from '../../api/authority';
import { type MatterGroup, mattersApi } from '../../api/matters';
import { usePersonName, useTeamName } from '../session/session';
import { QueryState } from './QueryState';

/* Reports on what happened to customers' problems: first-contact resolution and repeat contacts (matters), and
   what was granted on the spot or after approval (front-line authority). */

const matterGroups: [MatterGroup, string][] = [
  ['workspace', 'Workspace'],
  ['agent', 'Agent'],
  ['team', 'Team'],
  ['channel', 'Channel'],
  ['reason', 'Contact reason'],
];
const pct = (n: number, d: number, r: number | null) =>
  r === null ? '–' : `${(r * 100).toFixed(1)} % (${n} of ${d})`;

/** First-contact resolution and repeat-contact rate (PRODUCT.md), from the matters of the period. */
export function MatterFigures({ period }: { period: string | null }) {
  const [by, setBy] = useState<MatterGroup>('workspace');
  const teamName = useTeamName();
  const personName = usePersonName();
  const byId = useId();
  const data = useQuery({
    queryKey: ['reports', 'matters', period, by],
    queryFn: () => mattersApi.figures(period ?? '', by),
    enabled: period !== null,
  });
  const label = (key: string | null, name: string | null) => {
    if (by === 'workspace') return 'All matters';
    if (key === null) return by === 'agent' ? 'Unassigned' : by === 'team' ? 'No team' : 'No reason';
    if (by === 'team') return teamName(Number(key)) ?? name ?? `Team ${key}`;
    if (by === 'agent') return personName(Number(key)) ?? name ?? `Person ${key}`;
    return name ?? key;
  };
  return (
    <section className="report-section" aria-labelledby="matters-title">
      <h2 id="matters-title">First-contact resolution and repeat contacts</h2>
      <p className="muted">
        A matter is one customer's one problem, over all its conversations and channels. First-contact
        resolution: matters first solved in the period after exactly one contact, with no further contact
        within 7 days, out of those whose outcome is known. Repeat-contact rate: matters first contacted in
        the period that took 2 or more contacts.
      </p>
      <div className="field report-by">
        <label htmlFor={byId}>Per</label>
        <select id={byId} value={by} onChange={(e) => setBy(e.target.value as MatterGroup)}>
          {matterGroups.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      <QueryState error={data.error} pending={data.isPending && period !== null} />
      {data.data && data.data.rows.length > 0 && (
        <table className="table" data-testid="matter-figures">
          <caption className="visually-hidden">First-contact resolution and repeat contacts per {by}</caption>
          <thead>
            <tr>
              <th scope="col">{matterGroups.find(([g]) => g === by)?.[1]}</th>
              <th scope="col">First-contact resolution</th>
              <th scope="col">Still within 7 days</th>
              <th scope="col">Repeat-contact rate</th>
            </tr>
          </thead>
          <tbody>
            {data.data.rows.map((r) => (
              <tr key={String(r.key)}>
                <th scope="row">{label(r.key, r.name)}</th>
                <td>{pct(r.firstContactResolved, r.solved, r.firstContactResolution)}</td>
                <td>{r.pending}</td>
                <td>{pct(r.repeated, r.matters, r.repeatContactRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const amountGroups: [string, string][] = [
  ['agent', 'Agent'],
  ['team', 'Team'],
  ['reason', 'Contact reason'],
];
const ratio = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);

/** Front-line authority: matters resolved on the spot vs escalated for approval, what followed, and amounts. */
export function AuthorityFigures({ period }: { period: string | null }) {
  const [by, setBy] = useState('agent');
  const teamName = useTeamName();
  const personName = usePersonName();
  const byId = useId();
  const data = useQuery({
    queryKey: ['reports', 'authority', period, by],
    queryFn: () => authorityApi.figures(period ?? '', by),
    enabled: period !== null,
  });
  const label = (key: string | null) => {
    if (key === null) return by === 'agent' ? 'Nobody' : by === 'team' ? 'No team' : 'No reason';
    if (by === 'team') return teamName(Number(key)) ?? `Team ${key}`;
    if (by === 'agent') return personName(Number(key)) ?? `Person ${key}`;
    return `Reason ${key}`;
  };
  const f = data.data;
  return (
    <section className="report-section" aria-labelledby="authority-title">
      <h2 id="authority-title">Resolved on the spot</h2>
      <p className="muted">
        Matters with a refund, credit or other resolution asked for in the period: granted by the agent within
        their own authority, or escalated for a lead's approval; and what followed (CSAT of later survey
        answers, contacting us again).
      </p>
      <QueryState error={data.error} pending={data.isPending && period !== null} />
      {f && (
        <table className="table" data-testid="authority-paths">
          <caption className="visually-hidden">On the spot vs approval</caption>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Matters</th>
              <th scope="col">Share</th>
              <th scope="col">Later CSAT</th>
              <th scope="col">Contacted again</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['On the spot', f.onTheSpot],
                ['Approval', f.approval],
              ] as const
            ).map(([name, p]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{p.matters}</td>
                <td>{ratio(p.share)}</td>
                <td>
                  {ratio(p.csat)} <span className="muted">({p.csatAnswers} answers)</span>
                </td>
                <td>{ratio(p.repeatContactRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="field report-by">
        <label htmlFor={byId}>Amounts granted per</label>
        <select id={byId} value={by} onChange={(e) => setBy(e.target.value)}>
          {amountGroups.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {f && f.amounts.length === 0 && <p className="muted">Nothing was granted in this period.</p>}
      {f && f.amounts.length > 0 && (
        <table className="table" data-testid="authority-amounts">
          <caption className="visually-hidden">Amounts granted per {by}</caption>
          <thead>
            <tr>
              <th scope="col">{amountGroups.find(([g]) => g === by)?.[1]}</th>
              <th scope="col">Action</th>
              <th scope="col">Granted</th>
              <th scope="col">Grants (on the spot)</th>
            </tr>
          </thead>
          <tbody>
            {f.amounts.map((a) => (
              <tr key={`${a.key}-${a.kind}-${a.currency}`}>
                <th scope="row">{label(a.key)}</th>
                <td>{a.kind.replace('_', ' ')}</td>
                <td>{amountText(a)}</td>
                <td>
                  {a.grants} ({a.onTheSpot})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
