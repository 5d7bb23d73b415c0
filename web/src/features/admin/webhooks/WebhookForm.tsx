import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type Webhook, webhooksApi } from '../../../api/admin';
import { ErrorNote } from '../ui';

/** What people most often subscribe to; any type, prefix (`x.*`) or `*` may be typed. */
export const eventSuggestions = [
  '*',
  'conversation.*',
  'conversation.created',
  'conversation.assigned',
  'conversation.solved',
  'conversation.reopened',
  'conversation.updated',
  'message.*',
  'message.received',
  'message.sent',
  'note.added',
  'customer.*',
  'customer.created',
  'customer.merged',
  'contact_reason.*',
];
const pattern = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Create (no `webhook`) or edit a webhook's name, URL, event types and description. */
export function WebhookForm({
  webhook,
  onSaved,
  onCancel,
}: {
  webhook?: Webhook;
  onSaved: (res: { webhook: Webhook; secret: string } | { webhook: Webhook }) => void;
  onCancel?: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.url ?? 'https://');
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [types, setTypes] = useState<string[]>(webhook?.eventTypes ?? []);
  const [draft, setDraft] = useState('');
  const [typeProblem, setTypeProblem] = useState('');
  const save = useMutation({
    mutationFn: async () => {
      const body = { name, url, eventTypes: types, description: description.trim() || null };
      return webhook ? { webhook: await webhooksApi.update(webhook.id, body) } : webhooksApi.create(body);
    },
    onSuccess: (res) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      client.setQueryData(['webhook', res.webhook.id], res.webhook);
      onSaved(res);
    },
  });
  const add = () => {
    const t = draft.trim();
    if (!t) return;
    if (!pattern.test(t))
      return setTypeProblem(
        `“${t}” is not an event type: write one such as conversation.solved, conversation.* or *.`,
      );
    if (t.startsWith('webhook.'))
      return setTypeProblem("The webhooks' own events (webhook.*) are never sent.");
    setTypeProblem('');
    if (!types.includes(t)) setTypes([...types, t]);
    setDraft('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) return add();
    if (types.length === 0) return setTypeProblem('Add at least one event type.');
    save.mutate();
  };
  const form = (
    <form className="admin-form" onSubmit={submit}>
      {webhook && <h2>Edit webhook</h2>}
      <div className="field">
        <label htmlFor="wh-name">Name</label>
        <input id="wh-name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="wh-url">URL</label>
        <input
          id="wh-url"
          type="url"
          required
          maxLength={2000}
          value={url}
          aria-describedby="wh-url-hint"
          onChange={(e) => setUrl(e.target.value)}
        />
        <p id="wh-url-hint" className="hint">
          Must start with https://. Private and local addresses are refused unless your Steward allows them.
        </p>
      </div>
      <div className="field">
        <label htmlFor="wh-type">Event types</label>
        <div className="inline-row">
          <input
            id="wh-type"
            list="wh-suggestions"
            value={draft}
            placeholder="conversation.*"
            aria-describedby="wh-type-hint wh-type-problem"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="button" className="button" onClick={add}>
            Add event type
          </button>
        </div>
        <datalist id="wh-suggestions">
          {eventSuggestions
            .filter((s) => !types.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
        <p id="wh-type-hint" className="hint">
          An exact type (message.received), every type that starts alike (conversation.*), or * for all.
        </p>
        {typeProblem && (
          <p id="wh-type-problem" className="form-error" role="alert">
            {typeProblem}
          </p>
        )}
        {types.length > 0 && (
          <ul className="chips" aria-label="Chosen event types">
            {types.map((t) => (
              <li className="chip" key={t}>
                {t}
                <button
                  type="button"
                  aria-label={`Remove ${t}`}
                  onClick={() => setTypes(types.filter((x) => x !== t))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="field">
        <label htmlFor="wh-description">Description (optional)</label>
        <textarea
          id="wh-description"
          rows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <ErrorNote error={save.error} lead="The webhook cannot be saved:" />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {webhook ? 'Save webhook' : 'Create webhook'}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
  if (webhook) return form;
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/admin/webhooks">Webhooks</Link>
      </p>
      <h1>New webhook</h1>
      {form}
    </div>
  );
}
