import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useContactReasons } from '../../api/reasons';
import type { Channel, Priority } from '../../api/types';
import {
  type InboxSort,
  type SavedView,
  type SavedViewFilters,
  type SavedViewInput,
  sortLabel,
  viewsApi,
  viewsKey,
} from '../../api/views';
import { channelLabel, statusLabel } from '../../format';
import { ErrorNote } from '../admin/ui';
import { can, usePeople, useSession, useTeams } from '../session/session';

const ANY = '';
const statuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;

/** Creates or edits a saved inbox view, in a modal dialog. */
export function SavedViewForm({ view, onDone }: { view: SavedView | null; onDone(saved?: SavedView): void }) {
  const session = useSession();
  const people = usePeople();
  const teams = useTeams();
  const client = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const f = view?.filters ?? {};
  const [name, setName] = useState(view?.name ?? '');
  const [picked, setPicked] = useState<Set<string>>(new Set(f.statuses ?? ['new', 'open']));
  const [priority, setPriority] = useState<string>(f.priority ?? ANY);
  const [team, setTeam] = useState<string>(f.teamId === undefined ? ANY : String(f.teamId));
  const [assignee, setAssignee] = useState<string>(f.assigneeId === undefined ? ANY : String(f.assigneeId));
  const [channel, setChannel] = useState<string>(f.channel ?? ANY);
  const [tag, setTag] = useState(f.tag ?? '');
  const [tier, setTier] = useState(f.tier ?? '');
  const reasons = useContactReasons();
  const [reason, setReason] = useState<string>(
    f.contactReasonId === undefined ? ANY : String(f.contactReasonId),
  );
  const [distressed, setDistressed] = useState(f.distressed ?? false);
  const [sort, setSort] = useState<InboxSort>(view?.sort ?? 'newest');
  const [shared, setShared] = useState(view?.shared ?? false);
  const save = useMutation({
    mutationFn: (input: SavedViewInput) => (view ? viewsApi.update(view.id, input) : viewsApi.create(input)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: viewsKey });
      void client.invalidateQueries({ queryKey: ['conversations', 'counts'] });
      onDone(saved);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filters: SavedViewFilters = {};
    if (picked.size) filters.statuses = statuses.filter((s) => picked.has(s));
    if (priority) filters.priority = priority as Priority;
    if (team) filters.teamId = team === 'mine' ? 'mine' : Number(team);
    if (assignee) filters.assigneeId = assignee === 'me' || assignee === 'none' ? assignee : Number(assignee);
    if (channel) filters.channel = channel as Channel;
    if (tag.trim()) filters.tag = tag.trim().toLowerCase();
    if (tier.trim()) filters.tier = tier.trim();
    if (reason)
      filters.contactReasonId = reason === 'none' || reason === 'none_fits' ? reason : Number(reason);
    if (distressed) filters.distressed = true;
    save.mutate({ name, filters, sort, ...(can(session, 'views.admin') && { shared }) });
  };
  return (
    <dialog ref={dialog} className="dialog wide" aria-labelledby="view-form-title" onClose={() => onDone()}>
      <form className="view-form" onSubmit={submit}>
        <h2 id="view-form-title">{view ? `Edit the view “${view.name}”` : 'New inbox view'}</h2>
        <div className="field">
          <label htmlFor="view-name">Name</label>
          <input
            id="view-name"
            required
            maxLength={60}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>Status</legend>
          <div className="check-row">
            {statuses.map((s) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  checked={picked.has(s)}
                  onChange={(e) => {
                    const next = new Set(picked);
                    if (e.target.checked) next.add(s);
                    else next.delete(s);
                    setPicked(next);
                  }}
                />
                {statusLabel[s]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="values-grid">
          <label htmlFor="view-priority">Priority</label>
          <select id="view-priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value={ANY}>Any</option>
            {(['urgent', 'high', 'normal', 'low'] as const).map((p) => (
              <option key={p} value={p}>
                {p[0]!.toUpperCase() + p.slice(1)}
              </option>
            ))}
          </select>
          <label htmlFor="view-team">Team</label>
          <select id="view-team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value={ANY}>Any</option>
            <option value="mine">My teams</option>
            {(teams.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <label htmlFor="view-assignee">Assignee</label>
          <select id="view-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value={ANY}>Anyone</option>
            <option value="me">Me (whoever opens the view)</option>
            <option value="none">Nobody (unassigned)</option>
            {(people.data?.items ?? [])
              .filter((p) => p.status === 'active')
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
          <label htmlFor="view-channel">Channel</label>
          <select id="view-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value={ANY}>Any</option>
            {Object.entries(channelLabel).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <label htmlFor="view-tag">Tag</label>
          <input id="view-tag" value={tag} maxLength={50} onChange={(e) => setTag(e.target.value)} />
          <label htmlFor="view-tier">Customer tier</label>
          <input
            id="view-tier"
            value={tier}
            maxLength={50}
            placeholder="gold"
            onChange={(e) => setTier(e.target.value)}
          />
          <label htmlFor="view-reason">Contact reason</label>
          <select id="view-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value={ANY}>Any</option>
            <option value="none">Not set yet</option>
            <option value="none_fits">None of the reasons fits</option>
            {(reasons.data ?? [])
              .filter((r) => r.status === 'active' || String(r.id) === reason)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.pathText}
                </option>
              ))}
          </select>
          <label htmlFor="view-sort">Sort</label>
          <select id="view-sort" value={sort} onChange={(e) => setSort(e.target.value as InboxSort)}>
            {(Object.keys(sortLabel) as InboxSort[]).map((s) => (
              <option key={s} value={s}>
                {sortLabel[s]}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={distressed} onChange={(e) => setDistressed(e.target.checked)} />
          Only customers showing distress (anger, urgency, a threat to leave, repeat contact, high effort)
        </label>
        {can(session, 'views.admin') && (
          <label className="check">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            Shared with everyone in the workspace (otherwise only you see it)
          </label>
        )}
        <ErrorNote error={save.error} lead="The view cannot be saved:" />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {view ? 'Save view' : 'Create view'}
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
