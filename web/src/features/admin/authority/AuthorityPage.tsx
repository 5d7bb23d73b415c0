import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type AuthorityLimit, authorityApi, type LimitValues } from '../../../api/authority';
import { ErrorNote, QueryNote } from '../ui';

const roles = ['agent', 'lead', 'manager'] as const;
const fields: Array<[keyof LimitValues, string]> = [
  ['perAction', 'per grant'],
  ['perConversation', 'per conversation'],
  ['perDay', 'per day'],
  ['perMonth', 'per month'],
];
type Draft = Record<string, { on: boolean } & Record<keyof LimitValues, string>>;
const keyOf = (actionId: number, role: string) => `${actionId}:${role}`;

/**
 * Admin → Authority: which resolution actions agents may grant, and how much each role may grant on its own
 * (an empty box: no cap on that one; a role without a limit asks for approval every time). Person-specific
 * limits are kept as they are (API).
 */
export function AuthorityPage() {
  const ids = useId();
  const client = useQueryClient();
  const actions = useQuery({ queryKey: ['resolution-actions'], queryFn: authorityApi.actions });
  const limits = useQuery({ queryKey: ['authority-limits'], queryFn: authorityApi.limits });
  const settings = useQuery({ queryKey: ['authority-settings'], queryFn: authorityApi.settings });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [currency, setCurrency] = useState('');
  const [hours, setHours] = useState('');
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (!actions.data || !limits.data || draft) return;
    const d: Draft = {};
    for (const a of actions.data.items)
      for (const role of roles) {
        const l = limits.data.items.find((x) => x.actionId === a.id && x.role === role);
        const v = (x: number | null | undefined) => (x == null ? '' : String(x));
        d[keyOf(a.id, role)] = {
          on: l !== undefined,
          perAction: v(l?.perAction),
          perConversation: v(l?.perConversation),
          perDay: v(l?.perDay),
          perMonth: v(l?.perMonth),
        };
      }
    setDraft(d);
  }, [actions.data, limits.data, draft]);
  useEffect(() => {
    if (settings.data && currency === '') {
      setCurrency(settings.data.currency);
      setHours(String(settings.data.approvalBusinessHours));
    }
  }, [settings.data, currency]);
  const save = useMutation({
    mutationFn: async () => {
      const people = (limits.data?.items ?? []).filter((x) => x.personId !== null);
      const items: AuthorityLimit[] = [...people];
      for (const a of actions.data?.items ?? [])
        for (const role of roles) {
          const row = draft?.[keyOf(a.id, role)];
          if (!row?.on) continue;
          const n = (s: string) => (s.trim() === '' ? null : Number(s));
          items.push({
            actionId: a.id,
            role,
            personId: null,
            perAction: n(row.perAction),
            perConversation: n(row.perConversation),
            perDay: n(row.perDay),
            perMonth: n(row.perMonth),
          });
        }
      await authorityApi.saveSettings({
        currency: currency.trim().toUpperCase(),
        approvalBusinessHours: Number(hours),
      });
      return authorityApi.saveLimits(items);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['authority-limits'] });
      void client.invalidateQueries({ queryKey: ['authority-settings'] });
      setNotice('Authority saved.');
    },
  });
  const toggle = useMutation({
    mutationFn: (x: { id: number; enabled: boolean }) =>
      authorityApi.changeAction(x.id, { enabled: x.enabled }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['resolution-actions'] }),
  });
  const set = (key: string, patch: Partial<Draft[string]>) =>
    setDraft((d) => (d ? { ...d, [key]: { ...(d[key] as Draft[string]), ...patch } } : d));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <div className="page">
      <h1>Front-line authority</h1>
      <p className="muted lead">
        What agents may grant on the spot to make things right, without asking. Above a limit, the grant
        becomes a request their lead approves or rejects.
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <QueryNote
        pending={actions.isPending || limits.isPending}
        error={actions.error ?? limits.error}
        loading="Loading…"
      />
      {draft && actions.data && (
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${ids}-currency`}>Currency</label>
            <input
              id={`${ids}-currency`}
              value={currency}
              maxLength={3}
              onChange={(e) => setCurrency(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-hours`}>A request is answered within (business hours)</label>
            <input
              id={`${ids}-hours`}
              type="number"
              min={1}
              max={80}
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          </div>
          {actions.data.items.map((a) => (
            <fieldset key={a.id} className="card authority-action">
              <legend>
                {a.name} <span className="muted small">({a.unit === 'currency' ? currency : 'items'})</span>
              </legend>
              <label className="check">
                <input
                  type="checkbox"
                  checked={a.enabled}
                  onChange={(e) => toggle.mutate({ id: a.id, enabled: e.target.checked })}
                />{' '}
                Offered in this workspace
              </label>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Role</th>
                    <th scope="col">May grant</th>
                    {fields.map(([, label]) => (
                      <th key={label} scope="col">
                        Most {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {roles.map((role) => {
                    const key = keyOf(a.id, role);
                    const row = draft[key] as Draft[string];
                    return (
                      <tr key={role}>
                        <th scope="row">{role}</th>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`${role} may grant ${a.name}`}
                            checked={row.on}
                            onChange={(e) => set(key, { on: e.target.checked })}
                          />
                        </td>
                        {fields.map(([f, label]) => (
                          <td key={f}>
                            <input
                              type="number"
                              min={0}
                              step={a.unit === 'count' ? 1 : 0.01}
                              aria-label={`${role}: ${a.name} most ${label}`}
                              disabled={!row.on}
                              value={row[f]}
                              onChange={(e) => set(key, { [f]: e.target.value })}
                            />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </fieldset>
          ))}
          <button type="submit" className="button primary" disabled={save.isPending}>
            Save authority
          </button>
          <ErrorNote error={save.error ?? toggle.error} />
        </form>
      )}
    </div>
  );
}
