import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Conversation, ConversationDetail, Priority, Status } from '../../api/types';
import { priorityLabel, statusLabel } from '../../format';
import { useTeams } from '../session/session';

/** What an agent may set by hand: `new` and `closed` are Steward's own (first contact, auto-close). */
const settableStatuses: Status[] = ['open', 'pending', 'on_hold', 'solved'];
const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

export type ConversationPatch = {
  status?: Status;
  priority?: Priority;
  teamId?: number | null;
  tags?: string[];
};

/**
 * The conversation's properties beside the timeline: status, priority, team and tags, each saved on change
 * through PATCH /conversations/:id (the same rules and events as every other change).
 */
export function DetailsPanel({
  conversation: c,
  writable,
}: {
  conversation: Conversation;
  writable: boolean;
}) {
  const client = useQueryClient();
  const teams = useTeams();
  const ids = useId();
  const [saved, setSaved] = useState('');
  const [tag, setTag] = useState('');
  const save = useMutation({
    mutationFn: (patch: ConversationPatch) => api<Conversation>('PATCH', `/conversations/${c.id}`, patch),
    onSuccess: (after, patch) => {
      client.setQueryData<ConversationDetail>(['conversation', c.id], (d) =>
        d ? { ...d, conversation: after } : d,
      );
      void client.invalidateQueries({ queryKey: ['conversation', c.id] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
      setSaved(
        patch.tags
          ? 'Tags saved.'
          : patch.priority
            ? 'Priority saved.'
            : patch.status
              ? 'Status saved.'
              : 'Team saved.',
      );
    },
  });
  const locked = !writable || c.status === 'closed' || save.isPending;

  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim().toLowerCase();
    if (!t) return;
    setTag('');
    if (!c.tags.includes(t)) save.mutate({ tags: [...c.tags, t] });
  };

  return (
    <section className="side-card details-card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="side-title">
        Details
      </h2>
      <div className="details-grid">
        <label htmlFor={`${ids}-status`}>Status</label>
        <select
          id={`${ids}-status`}
          value={c.status}
          disabled={locked}
          onChange={(e) => save.mutate({ status: e.target.value as Status })}
        >
          {!settableStatuses.includes(c.status) && (
            <option value={c.status} disabled>
              {statusLabel[c.status]}
            </option>
          )}
          {settableStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-priority`}>Priority</label>
        <select
          id={`${ids}-priority`}
          value={c.priority}
          disabled={locked}
          onChange={(e) => save.mutate({ priority: e.target.value as Priority })}
        >
          {priorities.map((p) => (
            <option key={p} value={p}>
              {priorityLabel[p]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-team`}>Team</label>
        <select
          id={`${ids}-team`}
          value={c.teamId ?? ''}
          disabled={locked || teams.isPending}
          onChange={(e) => save.mutate({ teamId: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">No team</option>
          {(teams.data?.items ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <h3 className="details-subtitle" id={`${ids}-tags`}>
        Tags
      </h3>
      {c.tags.length === 0 ? (
        <p className="muted small">No tags.</p>
      ) : (
        <ul className="tag-list" aria-labelledby={`${ids}-tags`}>
          {c.tags.map((t) => (
            <li key={t} className="tag">
              {t}
              {!locked && (
                <button
                  type="button"
                  className="tag-remove"
                  aria-label={`Remove tag ${t}`}
                  onClick={() => save.mutate({ tags: c.tags.filter((x) => x !== t) })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && c.status !== 'closed' && (
        <form className="tag-add" onSubmit={addTag}>
          <label htmlFor={`${ids}-new-tag`} className="visually-hidden">
            New tag
          </label>
          <input
            id={`${ids}-new-tag`}
            value={tag}
            maxLength={50}
            placeholder="Add a tag"
            onChange={(e) => setTag(e.target.value)}
          />
          <button type="submit" className="button small" disabled={save.isPending || !tag.trim()}>
            Add
          </button>
        </form>
      )}
      {save.isError && (
        <p className="form-error" role="alert">
          {messageOf(save.error)}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {saved}
      </p>
    </section>
  );
}
