import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type EscalationSettings, escalationsApi } from '../../../api/escalations';
import { mattersApi } from '../../../api/matters';
import { usePeople, useTeams } from '../../session/session';
import { ErrorNote, QueryNote } from '../ui';

const settingsKey = ['escalation-settings'];
const windowKey = ['matter-settings'];

/** Admin → Matters & escalation: the repeat window, and when and to whom a matter escalates by itself. */
export function EscalationPage() {
  const client = useQueryClient();
  const ids = useId();
  const settings = useQuery({ queryKey: settingsKey, queryFn: escalationsApi.settings });
  const matterSettings = useQuery({ queryKey: windowKey, queryFn: mattersApi.settings });
  const people = usePeople();
  const teams = useTeams();
  const [draft, setDraft] = useState<EscalationSettings | null>(null);
  const [days, setDays] = useState('');
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (settings.data && !draft) setDraft(settings.data);
  }, [settings.data, draft]);
  useEffect(() => {
    if (matterSettings.data && days === '') setDays(String(matterSettings.data.repeatWindowDays));
  }, [matterSettings.data, days]);
  const save = useMutation({
    mutationFn: async (body: EscalationSettings) => {
      const saved = await escalationsApi.saveSettings(body);
      const window = await mattersApi.saveSettings(Number(days));
      return { saved, window };
    },
    onSuccess: ({ saved, window }) => {
      client.setQueryData(settingsKey, saved);
      client.setQueryData(windowKey, window);
      setDraft(saved);
      setNotice('Saved.');
    },
  });
  const set = (patch: Partial<EscalationSettings>) => setDraft((d) => (d ? { ...d, ...patch } : d));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const active = (people.data?.items ?? []).filter((p) => p.status === 'active');
  const teamOptions = teams.data?.items ?? [];
  const id = (v: string) => (v === '' ? null : Number(v));
  return (
    <div className="page">
      <h1>Matters and escalation</h1>
      <p className="muted lead">
        A matter is one customer's one problem over all its conversations. When the customer has to contact
        you again and again about it, Steward hands it to a senior person, who calls the customer back.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <QueryNote pending={settings.isPending} error={settings.error} loading="Loading settings…" />
      {draft && (
        <form className="follow-up-form" onSubmit={submit}>
          <label htmlFor={`${ids}-window`}>
            Repeat window (days): a new conversation may join a matter contacted this recently
          </label>
          <input
            id={`${ids}-window`}
            type="number"
            min={1}
            max={90}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => set({ enabled: e.target.checked })}
            />{' '}
            Escalate a matter by itself
          </label>
          <label htmlFor={`${ids}-threshold`}>At its contact number</label>
          <input
            id={`${ids}-threshold`}
            type="number"
            min={2}
            max={20}
            value={draft.contactThreshold}
            onChange={(e) => set({ contactThreshold: Number(e.target.value) })}
          />
          <label htmlFor={`${ids}-target`}>To</label>
          <select
            id={`${ids}-target`}
            value={draft.target}
            onChange={(e) => set({ target: e.target.value as EscalationSettings['target'] })}
          >
            <option value="team_lead">The lead of the conversation's team</option>
            <option value="person">A named person</option>
            <option value="team">A senior team (and its lead)</option>
          </select>
          {draft.target === 'person' && (
            <>
              <label htmlFor={`${ids}-person`}>Person</label>
              <select
                id={`${ids}-person`}
                value={draft.personId ?? ''}
                onChange={(e) => set({ personId: id(e.target.value) })}
              >
                <option value="">choose…</option>
                {active.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </>
          )}
          {draft.target === 'team' && (
            <>
              <label htmlFor={`${ids}-team`}>Senior team</label>
              <select
                id={`${ids}-team`}
                value={draft.teamId ?? ''}
                onChange={(e) => set({ teamId: id(e.target.value) })}
              >
                <option value="">choose…</option>
                {teamOptions.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor={`${ids}-hours`}>Call the customer back within (business hours)</label>
          <input
            id={`${ids}-hours`}
            type="number"
            min={1}
            max={80}
            value={draft.callbackBusinessHours}
            onChange={(e) => set({ callbackBusinessHours: Number(e.target.value) })}
          />
          <label htmlFor={`${ids}-priority`}>Raise the priority to</label>
          <select
            id={`${ids}-priority`}
            value={draft.raisePriority}
            onChange={(e) => set({ raisePriority: e.target.value as EscalationSettings['raisePriority'] })}
          >
            <option value="high">High</option>
            <option value="urgent">Urgent</option>
          </select>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.tellCustomer}
              onChange={(e) => set({ tellCustomer: e.target.checked })}
            />{' '}
            Tell the customer who will call back, and by when
          </label>
          <label htmlFor={`${ids}-exec`}>Executive-escalation queue (manual escalations)</label>
          <select
            id={`${ids}-exec`}
            value={draft.executiveTeamId ?? ''}
            onChange={(e) => set({ executiveTeamId: id(e.target.value) })}
          >
            <option value="">none</option>
            {teamOptions.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <div>
            <button type="submit" className="button primary" disabled={save.isPending}>
              Save
            </button>
          </div>
          <ErrorNote error={save.error} />
        </form>
      )}
    </div>
  );
}
