import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type ChatWidget,
  type ChatWidgetInput,
  chatWidgetsApi,
  chatWidgetsKey,
  useChatWidgets,
} from '../../../api/chat';
import { useTeams } from '../../session/session';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';

const splitOrigins = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);

/** Live-chat widgets: what the chat says and looks like, which sites may show it, and the snippet to paste. */
export function ChatWidgetsPage() {
  const widgets = useChatWidgets();
  const teams = useTeams();
  const [editing, setEditing] = useState<ChatWidget | 'new' | null>(null);
  const [removing, setRemoving] = useState<ChatWidget | null>(null);
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (w: ChatWidget) => chatWidgetsApi.remove(w.id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: chatWidgetsKey });
    },
  });
  const items = widgets.data?.items ?? [];
  const teamName = (id: number | null) =>
    id === null ? 'Anyone' : (teams.data?.items.find((t) => t.id === id)?.name ?? `Team ${id}`);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Live chat</h1>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            New chat widget
          </button>
        )}
      </div>
      <p className="muted lead">
        Put the chat on your website by pasting a widget's snippet into your pages, before{' '}
        <code>&lt;/body&gt;</code>. Visitors' messages arrive in the inbox as chat conversations; outside the
        team's business hours, or when nobody of the team is online, the chat says when you will answer and
        asks for an e-mail address.
      </p>
      {editing !== null && (
        <WidgetForm
          key={editing === 'new' ? 'new' : editing.id}
          widget={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <QueryNote pending={widgets.isPending} error={widgets.error} loading="Loading chat widgets…" />
      {widgets.data && items.length === 0 && (
        <p className="empty">No chat widget yet. Create one to chat with the visitors of your website.</p>
      )}
      {items.map((w) => (
        <section key={w.id} className="card chat-widget" aria-labelledby={`chat-widget-${w.id}`}>
          <div className="page-head">
            <h2 id={`chat-widget-${w.id}`}>
              <span className="swatch" style={{ background: w.color }} aria-hidden="true" /> {w.name}
            </h2>
            <div className="action-bar">
              <button type="button" className="button small" onClick={() => setEditing(w)}>
                Edit <span className="visually-hidden">{w.name}</span>
              </button>
              <button type="button" className="button small" onClick={() => setRemoving(w)}>
                Delete <span className="visually-hidden">{w.name}</span>
              </button>
            </div>
          </div>
          <dl className="facts">
            <dt>Greeting</dt>
            <dd>{w.greeting}</dd>
            <dt>Team</dt>
            <dd>{teamName(w.teamId)}</dd>
            <dt>Sites</dt>
            <dd>{w.allowedOrigins.length ? w.allowedOrigins.join(', ') : 'Any site'}</dd>
          </dl>
          <Snippet widget={w} />
        </section>
      ))}
      {removing && (
        <ConfirmDialog
          title={`Delete the chat widget “${removing.name}”?`}
          confirmLabel="Delete widget"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>Pages with its snippet stop showing the chat. Its conversations stay in the inbox.</p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function Snippet({ widget }: { widget: ChatWidget }) {
  const [copied, setCopied] = useState(false);
  const id = `chat-snippet-${widget.id}`;
  return (
    <div className="field">
      <label htmlFor={id}>Snippet to paste into your pages</label>
      <textarea
        id={id}
        className="code"
        readOnly
        rows={2}
        value={widget.snippet}
        onFocus={(e) => e.target.select()}
      />
      <div className="snippet-actions">
        <button
          type="button"
          className="button small"
          onClick={() =>
            void navigator.clipboard?.writeText(widget.snippet).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy snippet
        </button>
        <span role="status" className="muted small">
          {copied ? ' Copied.' : ''}
        </span>
      </div>
    </div>
  );
}

function WidgetForm({ widget, onDone }: { widget: ChatWidget | null; onDone(): void }) {
  const teams = useTeams();
  const client = useQueryClient();
  const [name, setName] = useState(widget?.name ?? 'Website');
  const [greeting, setGreeting] = useState(widget?.greeting ?? 'Hi! How can we help?');
  const [color, setColor] = useState(widget?.color ?? '#2f6fed');
  const [origins, setOrigins] = useState((widget?.allowedOrigins ?? []).join('\n'));
  const [team, setTeam] = useState(widget?.teamId ? String(widget.teamId) : '');
  const save = useMutation({
    mutationFn: (input: ChatWidgetInput) =>
      widget ? chatWidgetsApi.update(widget.id, input) : chatWidgetsApi.create(input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: chatWidgetsKey });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      name,
      greeting,
      color,
      allowedOrigins: splitOrigins(origins),
      teamId: team ? Number(team) : null,
    });
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="chat-widget-form-title">
      <h2 id="chat-widget-form-title">{widget ? `Edit “${widget.name}”` : 'New chat widget'}</h2>
      <div className="field">
        <label htmlFor="chat-name">Name (the chat's title)</label>
        <input
          id="chat-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="chat-greeting">Greeting</label>
        <input
          id="chat-greeting"
          required
          maxLength={500}
          value={greeting}
          onChange={(e) => setGreeting(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="chat-color">Colour</label>
        <input id="chat-color" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="chat-team">Team</label>
        <select
          id="chat-team"
          value={team}
          onChange={(e) => setTeam(e.target.value)}
          aria-describedby="chat-team-hint"
        >
          <option value="">No team (the workspace's hours, anyone online)</option>
          {(teams.data?.items ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <p id="chat-team-hint" className="hint">
          Chats go to this team; its business hours and whether any of its members is online decide what the
          chat tells visitors.
        </p>
      </div>
      <div className="field">
        <label htmlFor="chat-origins">Sites allowed to show the chat</label>
        <textarea
          id="chat-origins"
          rows={3}
          value={origins}
          placeholder="https://www.example.com"
          aria-describedby="chat-origins-hint"
          onChange={(e) => setOrigins(e.target.value)}
        />
        <p id="chat-origins-hint" className="hint">
          One address per line, such as https://www.example.com. Leave it empty to allow any site.
        </p>
      </div>
      <ErrorNote error={save.error} lead="The chat widget cannot be saved:" />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {widget ? 'Save widget' : 'Create widget'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
