import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { messageOf } from '../../api/client';
import {
  type EmailMode,
  getPreferences,
  kindLabels,
  type NotificationPreferences,
  putPreferences,
} from '../../api/notifications';

const modeLabels: Record<EmailMode, string> = {
  off: 'No e-mail',
  immediate: 'E-mail at once',
  digest: 'In the digest',
};

const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  return all.includes(current) ? all : [current, ...all];
}

/** My notification settings: every kind shows in the app; e-mail per kind; when the digest comes. */
export default function PreferencesPage() {
  const client = useQueryClient();
  const prefs = useQuery({ queryKey: ['notifications', 'preferences'], queryFn: getPreferences });
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (prefs.data && !draft) setDraft(prefs.data);
  }, [prefs.data, draft]);
  const save = useMutation({
    mutationFn: (p: NotificationPreferences) =>
      putPreferences({
        email: p.email,
        digest: { frequency: p.digest.frequency, hour: p.digest.hour, timeZone: p.digest.timeZone },
      }),
    onSuccess: (saved) => {
      client.setQueryData(['notifications', 'preferences'], saved);
      setDraft(saved);
      setNotice('Your notification settings are saved.');
    },
  });

  if (prefs.isPending || (prefs.isSuccess && !draft))
    return <p className="loading">Loading your notification settings…</p>;
  if (prefs.isError)
    return (
      <div className="error-box" role="alert">
        <h1>Your notification settings could not be loaded</h1>
        <p>{messageOf(prefs.error)}</p>
      </div>
    );
  const d = draft!;
  const kinds = Object.keys(d.email);
  const usesDigest = kinds.some((k) => d.email[k] === 'digest');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice('');
    save.mutate(d);
  };
  const change = (next: Partial<NotificationPreferences>) => {
    setNotice('');
    setDraft({ ...d, ...next });
  };

  return (
    <div className="page prefs">
      <h1>Notification settings</h1>
      <p className="muted">
        Every notification shows in the app (the bell in the top bar). Choose which ones also reach you by
        e-mail.
      </p>
      {!d.emailActive && (
        <p className="notice" role="note">
          <strong>E-mail is off on this Steward.</strong>{' '}
          {d.emailInactiveReason ?? 'No mail server is configured; your choices are kept for when it is.'}
        </p>
      )}
      <form onSubmit={submit}>
        <table className="table prefs-table">
          <caption className="visually-hidden">What you are told, and how</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">In the app</th>
              <th scope="col">By e-mail</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((kind) => (
              <tr key={kind}>
                <th scope="row">{kindLabels[kind] ?? kind}</th>
                <td className="muted">Always</td>
                <td>
                  <select
                    aria-label={`E-mail for: ${kindLabels[kind] ?? kind}`}
                    value={d.email[kind]}
                    onChange={(e) => change({ email: { ...d.email, [kind]: e.target.value as EmailMode } })}
                  >
                    {(Object.keys(modeLabels) as EmailMode[]).map((m) => (
                      <option key={m} value={m}>
                        {modeLabels[m]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <fieldset className="prefs-digest">
          <legend>The digest</legend>
          <p className="muted small">
            One e-mail listing what is still unread.{' '}
            {usesDigest ? '' : 'Nothing is set to "In the digest" yet, so none is sent.'}
          </p>
          <div className="prefs-row">
            <label htmlFor="digest-frequency">Comes</label>
            <select
              id="digest-frequency"
              value={d.digest.frequency}
              onChange={(e) =>
                change({ digest: { ...d.digest, frequency: e.target.value as 'hourly' | 'daily' } })
              }
            >
              <option value="hourly">Every hour</option>
              <option value="daily">Once a day</option>
            </select>
          </div>
          {d.digest.frequency === 'daily' && (
            <div className="prefs-row">
              <label htmlFor="digest-hour">At</label>
              <select
                id="digest-hour"
                value={d.digest.hour}
                onChange={(e) => change({ digest: { ...d.digest, hour: Number(e.target.value) } })}
              >
                {Array.from({ length: 24 }, (_, h) => (
                  <option key={hourLabel(h)} value={h}>
                    {hourLabel(h)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="prefs-row">
            <label htmlFor="digest-zone">Time zone</label>
            <select
              id="digest-zone"
              value={d.digest.timeZone}
              onChange={(e) => change({ digest: { ...d.digest, timeZone: e.target.value } })}
            >
              {timeZones(d.digest.timeZone).map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        {save.isError && (
          <p className="form-error" role="alert">
            The settings were not saved. {messageOf(save.error)}
          </p>
        )}
        <div className="prefs-actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          <span role="status" className="muted">
            {notice}
          </span>
        </div>
      </form>
    </div>
  );
}
