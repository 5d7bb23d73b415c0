import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ContactForm, embedSnippet, portalApi } from '../../../api/portal';
import { useSession, useTeams } from '../../session/session';
import { ErrorNote, QueryNote } from '../ui';

const formsKey = ['contact-forms'];

/** Contact forms: the hosted form's link, the snippet that embeds it, and what it asks (workspace admins). */
export function ContactFormsPage() {
  const session = useSession();
  const client = useQueryClient();
  const forms = useQuery({ queryKey: formsKey, queryFn: portalApi.forms });
  const [name, setName] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const create = useMutation({
    mutationFn: () => portalApi.createForm({ name }),
    onSuccess: (form) => {
      setName('');
      setOpen(form.id);
      void client.invalidateQueries({ queryKey: formsKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const items = forms.data?.items ?? [];
  const origin = window.location.origin;
  const portal = `${origin}/portal/${session.workspace.slug}`;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Contact forms</h1>
      </div>
      <p className="muted lead">
        A contact form is a page Steward hosts for your customers: each message sent with it becomes a
        conversation on the web form channel, with its attachments. Link to it, or embed it on your own site.
        Customers follow their requests in the customer portal: <a href={portal}>{portal}</a>.
      </p>
      <QueryNote pending={forms.isPending} error={forms.error} loading="Loading contact forms…" />
      {forms.data && items.length === 0 && <p className="empty">No contact forms yet. Create one below.</p>}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Contact forms</caption>
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="visually-hidden">Manage</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} aria-current={f.id === open ? 'true' : undefined}>
                <td>
                  {f.name} {!f.active && <span className="badge badge-muted">off</span>}
                </td>
                <td>
                  <a href={`${origin}${f.path}`} target="_blank" rel="noreferrer">
                    {`${origin}${f.path}`}
                  </a>
                </td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    aria-expanded={f.id === open}
                    onClick={() => setOpen(f.id === open ? null : f.id)}
                  >
                    {f.id === open ? 'Close' : 'Manage'} <span className="visually-hidden">{f.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items
        .filter((f) => f.id === open)
        .map((f) => (
          <FormDetail key={f.id} form={f} origin={origin} onDeleted={() => setOpen(null)} />
        ))}
      <form className="admin-form" onSubmit={submit} aria-labelledby="new-form-title">
        <h2 id="new-form-title">New contact form</h2>
        <div className="field">
          <label htmlFor="new-form-name">Name</label>
          <input
            id="new-form-name"
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <ErrorNote error={create.error} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            Create contact form
          </button>
        </div>
      </form>
    </div>
  );
}

function FormDetail({
  form,
  origin,
  onDeleted,
}: {
  form: ContactForm;
  origin: string;
  onDeleted: () => void;
}) {
  const client = useQueryClient();
  const teams = useTeams();
  const [draft, setDraft] = useState({
    name: form.name,
    intro: form.intro,
    teamId: form.teamId,
    askPhone: form.askPhone,
    allowAttachments: form.allowAttachments,
    active: form.active,
    origins: form.allowedOrigins.join('\n'),
  });
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      portalApi.updateForm(form.id, {
        name: draft.name,
        intro: draft.intro,
        teamId: draft.teamId,
        askPhone: draft.askPhone,
        allowAttachments: draft.allowAttachments,
        active: draft.active,
        allowedOrigins: draft.origins
          .split(/\s+/)
          .map((o) => o.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      setSaved(true);
      void client.invalidateQueries({ queryKey: formsKey });
    },
  });
  const remove = useMutation({
    mutationFn: () => portalApi.deleteForm(form.id),
    onSuccess: () => {
      onDeleted();
      void client.invalidateQueries({ queryKey: formsKey });
    },
  });
  const set = (patch: Partial<typeof draft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const id = (x: string) => `form-${form.id}-${x}`;
  return (
    <section className="admin-form" aria-labelledby={id('title')}>
      <h2 id={id('title')}>{form.name}</h2>
      <div className="field">
        <label htmlFor={id('link')}>Link to the hosted form</label>
        <input id={id('link')} readOnly value={`${origin}${form.path}`} />
      </div>
      <div className="field">
        <label htmlFor={id('snippet')}>Embed it on your site</label>
        <textarea id={id('snippet')} readOnly rows={3} value={embedSnippet(origin, form)} />
        <p className="muted small">
          Paste this into a page of your site, and add that site's origin (such as https://www.example.com) to
          the allowed origins below: other sites cannot frame the form or post to it.
        </p>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={id('name')}>Name (the page's heading)</label>
          <input
            id={id('name')}
            required
            maxLength={120}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={id('intro')}>Introduction</label>
          <textarea
            id={id('intro')}
            maxLength={2000}
            rows={3}
            value={draft.intro}
            onChange={(e) => set({ intro: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={id('team')}>Team that gets its conversations</label>
          <select
            id={id('team')}
            value={draft.teamId ?? ''}
            onChange={(e) => set({ teamId: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">No team</option>
            {(teams.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={draft.askPhone}
              onChange={(e) => set({ askPhone: e.target.checked })}
            />{' '}
            Ask for a phone number (optional for the customer)
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.allowAttachments}
              onChange={(e) => set({ allowAttachments: e.target.checked })}
            />{' '}
            Let customers attach files
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.active}
              onChange={(e) => set({ active: e.target.checked })}
            />{' '}
            Form is on (switched off, its link answers “not found”)
          </label>
        </div>
        <div className="field">
          <label htmlFor={id('origins')}>Allowed origins for embedding (one a line)</label>
          <textarea
            id={id('origins')}
            rows={3}
            value={draft.origins}
            placeholder="https://www.example.com"
            onChange={(e) => set({ origins: e.target.value })}
          />
        </div>
        <ErrorNote error={save.error ?? remove.error} />
        <p role="status" className="muted">
          {saved ? 'Saved.' : ''}
        </p>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            Save form
          </button>
          <button
            type="button"
            className="button danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Delete form
          </button>
        </div>
      </form>
    </section>
  );
}
