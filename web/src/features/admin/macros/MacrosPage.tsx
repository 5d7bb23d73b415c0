import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type Macro,
  type MacroActions,
  type MacroInput,
  macrosApi,
  macrosKey,
  useMacros,
} from '../../../api/macros';
import type { Priority } from '../../../api/types';
import { statusLabel } from '../../../format';
import { actionSummary } from '../../conversations/MacroPicker';
import { can, usePeople, useSession, useTeams } from '../../session/session';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';

const KEEP = '';
const splitTags = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);

/** Canned replies: the text (with placeholders) and what applying one changes. */
export function MacrosPage() {
  const macros = useMacros();
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const [removing, setRemoving] = useState<Macro | null>(null);
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (m: Macro) => macrosApi.remove(m.id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: macrosKey });
    },
  });
  const items = macros.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Macros</h1>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            New macro
          </button>
        )}
      </div>
      <p className="muted lead">
        A macro is a canned reply for the composer (placeholders such as {'{{customer.first_name}}'} are
        filled in for each conversation) plus actions applied with it: status, priority, assignee, team, tags.
        Agents apply them from the composer with the Macros button or the m key.
      </p>
      {editing !== null && (
        <MacroForm
          key={editing === 'new' ? 'new' : editing.id}
          macro={editing === 'new' ? null : editing}
          placeholders={macros.data?.placeholders ?? []}
          onDone={() => setEditing(null)}
        />
      )}
      <QueryNote pending={macros.isPending} error={macros.error} loading="Loading macros…" />
      {macros.data && items.length === 0 && (
        <p className="empty">No macros yet. Create one for the replies your team writes again and again.</p>
      )}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Macros</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Text</th>
              <th scope="col">Actions</th>
              <th scope="col">For</th>
              <th scope="col">
                <span className="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td className="small excerpt">{m.body.length > 120 ? `${m.body.slice(0, 120)}…` : m.body}</td>
                <td className="small">{actionSummary(m) || '—'}</td>
                <td>{m.shared ? 'Everyone' : 'Only me'}</td>
                <td>
                  <div className="action-bar">
                    <button type="button" className="button small" onClick={() => setEditing(m)}>
                      Edit <span className="visually-hidden">{m.name}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setRemoving(m)}>
                      Delete <span className="visually-hidden">{m.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {removing && (
        <ConfirmDialog
          title={`Delete the macro “${removing.name}”?`}
          confirmLabel="Delete macro"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            Agents will no longer find it in the composer. Conversations it was applied to keep their changes.
          </p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function MacroForm({
  macro,
  placeholders,
  onDone,
}: {
  macro: Macro | null;
  placeholders: string[];
  onDone(): void;
}) {
  const session = useSession();
  const people = usePeople();
  const teams = useTeams();
  const client = useQueryClient();
  const a = macro?.actions ?? {};
  const [name, setName] = useState(macro?.name ?? '');
  const [body, setBody] = useState(macro?.body ?? '');
  const [shared, setShared] = useState(macro ? macro.shared : can(session, 'macros.admin'));
  const [status, setStatus] = useState<string>(a.status ?? KEEP);
  const [priority, setPriority] = useState<string>(a.priority ?? KEEP);
  const [assignee, setAssignee] = useState<string>(
    a.assigneeId === undefined ? KEEP : a.assigneeId === null ? 'none' : String(a.assigneeId),
  );
  const [team, setTeam] = useState<string>(
    a.teamId === undefined ? KEEP : a.teamId === null ? 'none' : String(a.teamId),
  );
  const [addTags, setAddTags] = useState((a.addTags ?? []).join(', '));
  const [removeTags, setRemoveTags] = useState((a.removeTags ?? []).join(', '));
  const save = useMutation({
    mutationFn: (input: MacroInput) => (macro ? macrosApi.update(macro.id, input) : macrosApi.create(input)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: macrosKey });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const actions: MacroActions = {};
    if (status) actions.status = status as MacroActions['status'];
    if (priority) actions.priority = priority as Priority;
    if (assignee) actions.assigneeId = assignee === 'none' ? null : Number(assignee);
    if (team) actions.teamId = team === 'none' ? null : Number(team);
    if (splitTags(addTags).length) actions.addTags = splitTags(addTags);
    if (splitTags(removeTags).length) actions.removeTags = splitTags(removeTags);
    save.mutate({ name, body, actions, shared });
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="macro-form-title">
      <h2 id="macro-form-title">{macro ? `Edit “${macro.name}”` : 'New macro'}</h2>
      <div className="field">
        <label htmlFor="macro-name">Name</label>
        <input
          id="macro-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="macro-body">Text</label>
        <textarea
          id="macro-body"
          rows={5}
          maxLength={20000}
          value={body}
          aria-describedby="macro-body-hint"
          onChange={(e) => setBody(e.target.value)}
        />
        <p id="macro-body-hint" className="hint">
          Placeholders: {placeholders.map((p) => `{{${p}}}`).join(', ')}. Leave the text empty for a macro
          that only changes the conversation.
        </p>
      </div>
      <fieldset className="field">
        <legend>When applied</legend>
        <div className="values-grid">
          <label htmlFor="macro-status">Status</label>
          <select id="macro-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value={KEEP}>Leave as it is</option>
            {(['open', 'pending', 'on_hold', 'solved'] as const).map((s) => (
              <option key={s} value={s}>
                {statusLabel[s]}
              </option>
            ))}
          </select>
          <label htmlFor="macro-priority">Priority</label>
          <select id="macro-priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value={KEEP}>Leave as it is</option>
            {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
              <option key={p} value={p}>
                {p[0]!.toUpperCase() + p.slice(1)}
              </option>
            ))}
          </select>
          <label htmlFor="macro-assignee">Assignee</label>
          <select id="macro-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value={KEEP}>Leave as it is</option>
            <option value="none">Unassign</option>
            {(people.data?.items ?? [])
              .filter((p) => p.status === 'active')
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
          <label htmlFor="macro-team">Team</label>
          <select id="macro-team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value={KEEP}>Leave as it is</option>
            <option value="none">No team</option>
            {(teams.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <label htmlFor="macro-add-tags">Add tags</label>
          <input
            id="macro-add-tags"
            value={addTags}
            placeholder="refund, vip"
            onChange={(e) => setAddTags(e.target.value)}
          />
          <label htmlFor="macro-remove-tags">Remove tags</label>
          <input id="macro-remove-tags" value={removeTags} onChange={(e) => setRemoveTags(e.target.value)} />
        </div>
      </fieldset>
      {can(session, 'macros.admin') && (
        <label className="check">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          Shared with everyone in the workspace (otherwise only you see it)
        </label>
      )}
      <ErrorNote error={save.error} lead="The macro cannot be saved:" />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {macro ? 'Save macro' : 'Create macro'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
