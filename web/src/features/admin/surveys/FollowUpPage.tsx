import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import {
  type FollowUpSettings,
  type Metric,
  type SurveyQuestions,
  surveySettingsKey,
  surveysApi,
  useSurveyFigures,
  useSurveySettings,
} from '../../../api/surveys';
import { ErrorNote, QueryNote } from '../ui';
import { SurveyOverrides } from './SurveyOverrides';

const questionLabels: Record<keyof SurveyQuestions, string> = {
  csat: 'CSAT (1-5)',
  ces: 'Customer effort (1-7)',
  nps: 'NPS (0-10)',
  comment: 'Comment',
};
const metricLabels: Record<Metric, string> = { csat: 'CSAT', ces: 'CES', nps: 'NPS' };

function FigureCard({ metric, by }: { metric: Metric; by: string }) {
  const figures = useSurveyFigures(metric, by);
  const unit = metric === 'csat' ? ' %' : '';
  return (
    <section className="card" aria-labelledby={`figure-${metric}`}>
      <h3 id={`figure-${metric}`}>{metricLabels[metric]}</h3>
      <QueryNote pending={figures.isPending} error={figures.error} loading="Loading…" />
      {figures.data && (
        <>
          <p className="figure" data-testid={`figure-${metric}`}>
            {figures.data.overall.value === null ? '—' : `${figures.data.overall.value}${unit}`}
          </p>
          <p className="small muted">
            {figures.data.definition}. {figures.data.overall.count} answers, last 30 days.
          </p>
          {figures.data.groups.length > 0 && (
            <table className="table">
              <tbody>
                {figures.data.groups.map((g) => (
                  <tr key={String(g.key)}>
                    <th scope="row">{g.key === null ? 'none' : by === 'channel' ? g.key : `#${g.key}`}</th>
                    <td>{g.value === null ? '—' : `${g.value}${unit}`}</td>
                    <td className="muted">{g.count}</td>
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

/** Follow-up after resolution: when the check-in goes, what it asks, what reopens; and the results. */
export function FollowUpPage() {
  const settings = useSurveySettings();
  const client = useQueryClient();
  const [draft, setDraft] = useState<FollowUpSettings | null>(null);
  const [notice, setNotice] = useState('');
  const [by, setBy] = useState('');
  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data);
  }, [settings.data, draft]);
  const save = useMutation({
    mutationFn: (body: FollowUpSettings) => surveysApi.change(body),
    onSuccess: (saved) => {
      client.setQueryData(surveySettingsKey, saved);
      setDraft(saved);
      setNotice('Follow-up settings saved.');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const set = (patch: Partial<FollowUpSettings>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const hours = (m: number | null) => (m === null ? '' : String(m / 60));
  return (
    <div className="page">
      <h1>Follow-up survey</h1>
      <p className="muted lead">
        When a conversation is solved, Steward checks in with the customer on their channel: is it really
        fixed? with a short survey. One reminder if there is no answer, never more.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <QueryNote pending={settings.isPending} error={settings.error} loading="Loading settings…" />
      {draft && (
        <form className="follow-up-form" onSubmit={submit}>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set({ enabled: e.target.checked })}
            />{' '}
            Send a follow-up after resolution
          </label>
          <label>
            Check in after (hours)
            <input
              type="number"
              min={1}
              step="any"
              value={hours(draft.delayMinutes)}
              onChange={(e) => set({ delayMinutes: Math.max(1, Math.round(Number(e.target.value) * 60)) })}
            />
          </label>
          <label>
            Reminder after the check-in (hours; empty: none)
            <input
              type="number"
              min={1}
              step="any"
              value={hours(draft.reminderMinutes)}
              onChange={(e) =>
                set({
                  reminderMinutes:
                    e.target.value === '' ? null : Math.max(1, Math.round(Number(e.target.value) * 60)),
                })
              }
            />
          </label>
          <label>
            Survey a customer at most once in (days)
            <input
              type="number"
              min={0}
              value={draft.fatigueDays}
              onChange={(e) => set({ fatigueDays: Math.max(0, Math.round(Number(e.target.value))) })}
            />
          </label>
          <fieldset>
            <legend>Questions (besides "Is it fixed?")</legend>
            {(Object.keys(questionLabels) as Array<keyof SurveyQuestions>).map((q) => (
              <label key={q} className="check">
                <input
                  type="checkbox"
                  checked={draft.questions[q]}
                  onChange={(e) => set({ questions: { ...draft.questions, [q]: e.target.checked } })}
                />{' '}
                {questionLabels[q]}
              </label>
            ))}
          </fieldset>
          <SurveyOverrides overrides={draft.overrides} onChange={(overrides) => set({ overrides })} />
          <label className="check">
            <input
              type="checkbox"
              checked={draft.reopenOnNotFixed}
              onChange={(e) => set({ reopenOnNotFixed: e.target.checked })}
            />{' '}
            "Not fixed" reopens the conversation
          </label>
          <label>
            A CSAT at or below this reopens it (empty: never)
            <input
              type="number"
              min={1}
              max={5}
              value={draft.reopenAtOrBelowCsat ?? ''}
              onChange={(e) =>
                set({
                  reopenAtOrBelowCsat:
                    e.target.value === '' ? null : Math.min(5, Math.max(1, Number(e.target.value))),
                })
              }
            />
          </label>
          <ErrorNote error={save.error} />
          <button type="submit" className="button primary" disabled={save.isPending}>
            Save
          </button>
        </form>
      )}
      <h2>Results</h2>
      <label>
        Per{' '}
        <select value={by} onChange={(e) => setBy(e.target.value)}>
          <option value="">—</option>
          <option value="agent">agent</option>
          <option value="team">team</option>
          <option value="channel">channel</option>
        </select>
      </label>
      <div className="cards">
        {(['csat', 'ces', 'nps'] as const).map((m) => (
          <FigureCard key={m} metric={m} by={by} />
        ))}
      </div>
    </div>
  );
}
