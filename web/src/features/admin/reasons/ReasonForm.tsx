import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ContactReason, type Department, reasonsApi } from '../../../api/admin';
import { ErrorNote } from '../ui';

/** Create (no `reason`) or edit a contact reason: name, description, group, department, demand type. */
export function ReasonForm({
  reason,
  reasons,
  departments,
  onDone,
}: {
  reason?: ContactReason;
  reasons: ContactReason[];
  departments: Department[];
  onDone: (message?: string) => void;
}) {
  const client = useQueryClient();
  const [form, setForm] = useState({
    name: reason?.name ?? '',
    description: reason?.description ?? '',
    parentId: reason?.parentId ?? null,
    departmentId: reason?.departmentId ?? null,
    avoidable: reason?.avoidable ?? false,
  });
  const save = useMutation({
    mutationFn: () => (reason ? reasonsApi.update(reason.id, form) : reasonsApi.create(form)),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['contact-reasons'] });
      onDone(reason ? `${r.pathText} is saved.` : `${r.pathText} is created.`);
    },
  });
  // A reason can't move under itself or its own sub-reasons; at most four levels deep.
  const selfOrBelow = (r: ContactReason) => {
    for (let x: ContactReason | undefined = r; x; x = reasons.find((y) => y.id === x?.parentId))
      if (x.id === reason?.id) return true;
    return false;
  };
  const parents = reasons.filter((r) => !selfOrBelow(r) && r.path.length < 4);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="reason-form-title">
      <h3 id="reason-form-title">{reason ? `Edit ${reason.name}` : 'New contact reason'}</h3>
      <div className="field">
        <label htmlFor="reason-name">Reason name</label>
        <input
          id="reason-name"
          required
          maxLength={80}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="reason-description">Description (optional)</label>
        <textarea
          id="reason-description"
          rows={2}
          maxLength={2000}
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="reason-parent">Group</label>
        <select
          id="reason-parent"
          value={form.parentId ?? ''}
          onChange={(e) => setForm({ ...form, parentId: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">None (top level)</option>
          {parents.map((r) => (
            <option key={r.id} value={r.id}>
              {'\u00a0\u00a0'.repeat(r.path.length - 1)}
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reason-department">Department that owns the cause</label>
        <select
          id="reason-department"
          value={form.departmentId ?? ''}
          onChange={(e) => setForm({ ...form, departmentId: e.target.value ? Number(e.target.value) : null })}
        >
          <option value="">No department</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Kind of demand</legend>
        <div className="radio-row">
          <label className="check">
            <input
              type="radio"
              name="demand"
              checked={form.avoidable}
              onChange={() => setForm({ ...form, avoidable: true })}
            />
            Failure demand (avoidable)
          </label>
          <label className="check">
            <input
              type="radio"
              name="demand"
              checked={!form.avoidable}
              onChange={() => setForm({ ...form, avoidable: false })}
            />
            Value demand
          </label>
        </div>
      </fieldset>
      <ErrorNote error={save.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {reason ? 'Save reason' : 'Create reason'}
        </button>
        <button type="button" className="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
