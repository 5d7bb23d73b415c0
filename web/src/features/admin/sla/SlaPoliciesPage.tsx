import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type SlaConditions,
  type SlaPolicy,
  type SlaPolicyInput,
  slaApi,
  slaPoliciesKey,
  useSlaPolicies,
} from '../../../api/sla';
import type { Channel, Priority } from '../../../api/types';
import { channelLabel } from '../../../format';
import { useTeams } from '../../session/session';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';

const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];
const channels: Channel[] = ['email', 'chat', 'webform', 'phone', 'sms', 'whatsapp', 'social', 'api'];
const words = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
const duration = (m: number | null) =>
  m === null ? '—' : m % 1440 === 0 ? `${m / 1440} d` : m % 60 === 0 ? `${m / 60} h` : `${m} min`;

/** The conditions in words: "urgent or high · tier gold · team Support". */
function conditionSummary(c: SlaConditions, teamName: (id: number) => string): string {
  const parts: string[] = [];
  if (c.priorities?.length) parts.push(`priority ${c.priorities.join(' or ')}`);
  if (c.tiers?.length) parts.push(`tier ${c.tiers.join(' or ')}`);
  if (c.channels?.length) parts.push(`channel ${c.channels.map((x) => channelLabel[x]).join(' or ')}`);
  if (c.teamIds?.length) parts.push(`team ${c.teamIds.map(teamName).join(' or ')}`);
  if (c.tags?.length) parts.push(`tagged ${c.tags.join(' or ')}`);
  return parts.length ? parts.join(' · ') : 'Every conversation';
}

/** SLA policies: targets per kind of conversation, tried in order (first match wins). */
export function SlaPoliciesPage() {
  const policies = useSlaPolicies();
  const teams = useTeams();
  const client = useQueryClient();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [removing, setRemoving] = useState<SlaPolicy | null>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: slaPoliciesKey });
  const remove = useMutation({
    mutationFn: (p: SlaPolicy) => slaApi.remove(p.id),
    onSuccess: () => {
      setRemoving(null);
      setNotice('Policy deleted.');
      void refresh();
    },
  });
  const reorder = useMutation({
    mutationFn: (ids: number[]) => slaApi.reorder(ids),
    onSuccess: (result) => {
      client.setQueryData(slaPoliciesKey, result);
      setNotice('Order saved.');
    },
  });
  const items = policies.data?.items ?? [];
  const teamName = (id: number) => teams.data?.items.find((t) => t.id === id)?.name ?? `#${id}`;
  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((p) => p.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    reorder.mutate(ids);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>SLA policies</h1>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            New policy
          </button>
        )}
      </div>
      <p className="muted lead">
        Each conversation gets the first policy below whose conditions it matches: targets for the first
        response, every next response and the resolution. The clock runs in business hours (the team's
        calendar, else the default one) or around the clock; it pauses while the conversation waits on the
        customer.
      </p>
      {editing !== null && (
        <PolicyForm
          key={editing === 'new' ? 'new' : editing.id}
          policy={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setNotice('Policy saved.');
          }}
        />
      )}
      <QueryNote pending={policies.isPending} error={policies.error} loading="Loading SLA policies…" />
      {policies.data && items.length === 0 && (
        <p className="empty">No SLA policies yet: conversations have no deadlines.</p>
      )}
      <ErrorNote error={reorder.error} />
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">SLA policies, in the order they are tried</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Name</th>
              <th scope="col">Applies to</th>
              <th scope="col">First response</th>
              <th scope="col">Next response</th>
              <th scope="col">Resolution</th>
              <th scope="col">Clock</th>
              <th scope="col">
                <span className="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((p, i) => (
              <tr key={p.id}>
                <td>{i + 1}</td>
                <td>{p.name}</td>
                <td className="small">{conditionSummary(p.conditions, teamName)}</td>
                <td>{duration(p.firstResponseMinutes)}</td>
                <td>{duration(p.nextResponseMinutes)}</td>
                <td>{duration(p.resolutionMinutes)}</td>
                <td className="small">
                  {p.businessHours ? 'Business hours' : 'Around the clock'}; warn at {p.warnPercent} %
                </td>
                <td>
                  <div className="action-bar">
                    <button
                      type="button"
                      className="button small"
                      disabled={i === 0 || reorder.isPending}
                      onClick={() => move(i, -1)}
                    >
                      Up <span className="visually-hidden">{p.name}</span>
                    </button>
                    <button
                      type="button"
                      className="button small"
                      disabled={i === items.length - 1 || reorder.isPending}
                      onClick={() => move(i, 1)}
                    >
                      Down <span className="visually-hidden">{p.name}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setEditing(p)}>
                      Edit <span className="visually-hidden">{p.name}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setRemoving(p)}>
                      Delete <span className="visually-hidden">{p.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {removing && (
        <ConfirmDialog
          title={`Delete the SLA policy “${removing.name}”?`}
          confirmLabel="Delete policy"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            Conversations in progress that match it get the next matching policy, recomputed in the
            background.
          </p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Minutes as the form shows them: empty when not measured. */
const minutesField = (m: number | null) => (m === null ? '' : String(m));
const minutesValue = (s: string) => (s.trim() === '' ? null : Number(s));

function PolicyForm({ policy, onDone }: { policy: SlaPolicy | null; onDone(saved: boolean): void }) {
  const teams = useTeams();
  const client = useQueryClient();
  const c = policy?.conditions ?? {};
  const [name, setName] = useState(policy?.name ?? '');
  const [pick, setPick] = useState({
    priorities: new Set<string>(c.priorities ?? []),
    channels: new Set<string>(c.channels ?? []),
    teamIds: new Set<string>((c.teamIds ?? []).map(String)),
  });
  const [tiers, setTiers] = useState((c.tiers ?? []).join(', '));
  const [tags, setTags] = useState((c.tags ?? []).join(', '));
  const [first, setFirst] = useState(minutesField(policy?.firstResponseMinutes ?? 60));
  const [next, setNext] = useState(minutesField(policy?.nextResponseMinutes ?? null));
  const [resolution, setResolution] = useState(minutesField(policy?.resolutionMinutes ?? null));
  const [businessHours, setBusinessHours] = useState(policy?.businessHours ?? true);
  const [pauseOnHold, setPauseOnHold] = useState(policy?.pauseOnHold ?? true);
  const [warnPercent, setWarnPercent] = useState(String(policy?.warnPercent ?? 75));
  const [raise, setRaise] = useState<string>(policy?.breachActions.raisePriority ?? '');
  const [reassign, setReassign] = useState(policy?.breachActions.reassignToTeam ?? false);
  const save = useMutation({
    mutationFn: (input: SlaPolicyInput) => (policy ? slaApi.update(policy.id, input) : slaApi.create(input)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: slaPoliciesKey });
      onDone(true);
    },
  });
  const toggle = (group: keyof typeof pick, value: string) =>
    setPick((p) => {
      const s = new Set(p[group]);
      if (s.has(value)) s.delete(value);
      else s.add(value);
      return { ...p, [group]: s };
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const conditions: SlaConditions = {};
    if (pick.priorities.size) conditions.priorities = [...pick.priorities] as Priority[];
    if (pick.channels.size) conditions.channels = [...pick.channels] as Channel[];
    if (pick.teamIds.size) conditions.teamIds = [...pick.teamIds].map(Number);
    if (words(tiers).length) conditions.tiers = words(tiers);
    if (words(tags).length) conditions.tags = words(tags).map((t) => t.toLowerCase());
    save.mutate({
      name,
      conditions,
      firstResponseMinutes: minutesValue(first),
      nextResponseMinutes: minutesValue(next),
      resolutionMinutes: minutesValue(resolution),
      businessHours,
      pauseOnHold,
      warnPercent: Number(warnPercent),
      breachActions: {
        ...(raise ? { raisePriority: raise as 'high' | 'urgent' } : {}),
        ...(reassign ? { reassignToTeam: true } : {}),
      },
    });
  };
  const checkboxes = (group: keyof typeof pick, options: Array<{ value: string; label: string }>) =>
    options.map((o) => (
      <label key={o.value} className="check">
        <input type="checkbox" checked={pick[group].has(o.value)} onChange={() => toggle(group, o.value)} />
        {o.label}
      </label>
    ));
  const minutesInput = (id: string, label: string, value: string, set: (v: string) => void) => (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        value={value}
        aria-describedby="sla-minutes-hint"
        onChange={(e) => set(e.target.value)}
      />
    </>
  );
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="sla-form-title">
      <h2 id="sla-form-title">{policy ? `Edit “${policy.name}”` : 'New SLA policy'}</h2>
      <div className="field">
        <label htmlFor="sla-name">Name</label>
        <input
          id="sla-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <fieldset className="field">
        <legend>Targets</legend>
        <div className="values-grid">
          {minutesInput('sla-first', 'First response (minutes)', first, setFirst)}
          {minutesInput('sla-next', 'Next response (minutes)', next, setNext)}
          {minutesInput('sla-resolution', 'Resolution (minutes)', resolution, setResolution)}
          <label htmlFor="sla-warn">Warn at (% of the target)</label>
          <input
            id="sla-warn"
            type="number"
            min={1}
            max={99}
            required
            value={warnPercent}
            onChange={(e) => setWarnPercent(e.target.value)}
          />
        </div>
        <p id="sla-minutes-hint" className="hint">
          Leave a target empty to leave it unmeasured; a policy needs at least one. 480 minutes of business
          time is one 8-hour working day.
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={businessHours}
            onChange={(e) => setBusinessHours(e.target.checked)}
          />
          Count business hours only (the team's calendar, else the workspace default)
        </label>
        <label className="check">
          <input type="checkbox" checked={pauseOnHold} onChange={(e) => setPauseOnHold(e.target.checked)} />
          Pause the clock while on hold (waiting on the customer always pauses it)
        </label>
      </fieldset>
      <fieldset className="field">
        <legend>Applies to (empty: any)</legend>
        <fieldset className="field">
          <legend>Priority</legend>
          {checkboxes(
            'priorities',
            priorities.map((p) => ({ value: p, label: p[0]!.toUpperCase() + p.slice(1) })),
          )}
        </fieldset>
        <fieldset className="field">
          <legend>Channel</legend>
          {checkboxes(
            'channels',
            channels.map((x) => ({ value: x, label: channelLabel[x] ?? x })),
          )}
        </fieldset>
        {(teams.data?.items.length ?? 0) > 0 && (
          <fieldset className="field">
            <legend>Team</legend>
            {checkboxes(
              'teamIds',
              (teams.data?.items ?? []).map((t) => ({ value: String(t.id), label: t.name })),
            )}
          </fieldset>
        )}
        <div className="values-grid">
          <label htmlFor="sla-tiers">Customer tiers</label>
          <input
            id="sla-tiers"
            value={tiers}
            placeholder="gold, platinum"
            onChange={(e) => setTiers(e.target.value)}
          />
          <label htmlFor="sla-tags">Tags (any of them)</label>
          <input id="sla-tags" value={tags} placeholder="vip" onChange={(e) => setTags(e.target.value)} />
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>On a breach</legend>
        <p className="hint">
          The assignee and the team's lead are notified at the warning and at the breach.
        </p>
        <div className="values-grid">
          <label htmlFor="sla-raise">Raise the priority</label>
          <select id="sla-raise" value={raise} onChange={(e) => setRaise(e.target.value)}>
            <option value="">No</option>
            <option value="high">To high</option>
            <option value="urgent">To urgent</option>
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={reassign} onChange={(e) => setReassign(e.target.checked)} />
          Unassign it, back to its team's queue
        </label>
      </fieldset>
      <ErrorNote error={save.error} lead="The policy cannot be saved:" />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {policy ? 'Save policy' : 'Create policy'}
        </button>
        <button type="button" className="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
