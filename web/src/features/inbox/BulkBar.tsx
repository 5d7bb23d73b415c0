import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Priority, Status } from '../../api/types';
import { plural, statusLabel } from '../../format';
import { can, usePeople, useSession } from '../session/session';

type Change = {
  status?: Status;
  priority?: Priority;
  assigneeId?: number | null;
  addTags?: string[];
  removeTags?: string[];
};
type BulkResult = {
  results: Array<{ id: number; ok: boolean; error?: { code: string; message: string } }>;
  changed: number;
  failed: number;
};

const KEEP = '';

/** One change for every selected conversation: assign, status, priority, a tag added or removed. */
export function BulkBar({
  ids,
  onDone,
}: {
  ids: number[];
  /** The outcome in words; `clear`: everything changed, so the selection may go. */
  onDone(outcome: string, clear: boolean): void;
}) {
  const session = useSession();
  const people = usePeople();
  const client = useQueryClient();
  const [assignee, setAssignee] = useState(KEEP);
  const [status, setStatus] = useState(KEEP);
  const [priority, setPriority] = useState(KEEP);
  const [tag, setTag] = useState('');
  const [tagMode, setTagMode] = useState<'add' | 'remove'>('add');
  const [problem, setProblem] = useState('');
  const apply = useMutation({
    mutationFn: (change: Change) => api<BulkResult>('POST', '/conversations/bulk', { ids, change }),
    onSuccess: (res) => {
      void client.invalidateQueries({ queryKey: ['conversations'] });
      const refused = res.results.filter((r) => !r.ok);
      const text =
        refused.length === 0
          ? `${plural(res.changed, 'conversation')} changed.`
          : `${res.changed} changed; ${refused.length} could not be: ${refused
              .map((r) => `#${r.id} (${r.error?.message ?? 'refused'})`)
              .join(', ')}.`;
      if (refused.length === 0) {
        setAssignee(KEEP);
        setStatus(KEEP);
        setPriority(KEEP);
        setTag('');
      }
      onDone(text, refused.length === 0);
    },
  });
  const canReassign = can(session, 'conversations.reassign');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const change: Change = {};
    if (assignee) change.assigneeId = assignee === 'none' ? null : Number(assignee);
    if (status) change.status = status as Status;
    if (priority) change.priority = priority as Priority;
    const t = tag.trim().toLowerCase();
    if (t) change[tagMode === 'add' ? 'addTags' : 'removeTags'] = [t];
    if (Object.keys(change).length === 0) return setProblem('Choose what to change first.');
    setProblem('');
    apply.mutate(change);
  };
  return (
    <form className="bulk-bar" onSubmit={submit} aria-label="Change the selected conversations">
      <span className="bulk-count">{ids.length} selected</span>
      <label>
        <span className="visually-hidden">Assign to</span>
        <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value={KEEP}>Assignee…</option>
          <option value="none">Unassign</option>
          {(people.data?.items ?? [])
            .filter((p) => p.status === 'active' && (canReassign || p.id === session.person.id))
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === session.person.id ? `${p.name} (me)` : p.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Set status</span>
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value={KEEP}>Status…</option>
          {(['open', 'pending', 'on_hold', 'solved'] as const).map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Set priority</span>
        <select value={priority} onChange={(e) => setPriority(e.target.value)}>
          <option value={KEEP}>Priority…</option>
          {(['low', 'normal', 'high', 'urgent'] as const).map((p) => (
            <option key={p} value={p}>
              {p[0]!.toUpperCase() + p.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Add or remove a tag</span>
        <select value={tagMode} onChange={(e) => setTagMode(e.target.value as 'add' | 'remove')}>
          <option value="add">Add tag</option>
          <option value="remove">Remove tag</option>
        </select>
      </label>
      <label>
        <span className="visually-hidden">Tag</span>
        <input value={tag} maxLength={50} placeholder="tag" onChange={(e) => setTag(e.target.value)} />
      </label>
      <button type="submit" className="button primary small" disabled={apply.isPending}>
        {apply.isPending ? 'Applying…' : 'Apply'}
      </button>
      {apply.isError && (
        <p className="form-error" role="alert">
          {messageOf(apply.error)}
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
