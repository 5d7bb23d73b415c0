import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type ContactReason, type Department, reasonsApi } from '../../../api/admin';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';
import { CsvSection } from './CsvSection';
import { PredictionSection } from './PredictionSection';
import { ReasonForm } from './ReasonForm';
import { SentimentSection } from './SentimentSection';

export const useDepartments = () => useQuery({ queryKey: ['departments'], queryFn: reasonsApi.departments });
export const useReasons = () => useQuery({ queryKey: ['contact-reasons'], queryFn: reasonsApi.list });

/** The page's sections in order, for its table of contents: the tree alone can be thousands of pixels long. */
const sections = [
  { id: 'reasons', label: 'Reasons' },
  { id: 'departments', label: 'Departments' },
  { id: 'reason-prediction', label: 'Reason prediction' },
  { id: 'sentiment-model', label: 'Sentiment model' },
  { id: 'reasons-csv', label: 'Spreadsheet (CSV)' },
];

/** Departments, the contact-reason taxonomy as a tree, and its CSV export and import. */
export function ReasonsPage() {
  return (
    <div className="page">
      <h1>Contact reasons</h1>
      <p className="muted lead">
        Every contact gets a reason. Avoidable reasons (failure demand: "where is my order") are charged to
        the department whose failure causes them; the rest is value demand.
      </p>
      <nav aria-label="On this page" className="page-toc">
        <p className="page-toc-title" aria-hidden="true">
          On this page
        </p>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{s.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <Taxonomy />
      <Departments />
      <PredictionSection />
      <SentimentSection />
      <CsvSection />
    </div>
  );
}

function Taxonomy() {
  const client = useQueryClient();
  const reasons = useReasons();
  const departments = useDepartments();
  const [editing, setEditing] = useState<ContactReason | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ContactReason | null>(null);
  const [note, setNote] = useState('');
  const refresh = () => void client.invalidateQueries({ queryKey: ['contact-reasons'] });
  const setStatus = useMutation({
    mutationFn: (v: { r: ContactReason; status: 'active' | 'archived' }) =>
      reasonsApi.update(v.r.id, { status: v.status }),
    onSuccess: (r) => {
      setNote(r.status === 'archived' ? `${r.pathText} is archived.` : `${r.pathText} is active again.`);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (r: ContactReason) => reasonsApi.remove(r.id),
    onSuccess: (_, r) => {
      setNote(`${r.pathText} is deleted.`);
      refresh();
    },
  });
  const items = reasons.data?.items ?? [];
  const deptName = (id: number | null) => departments.data?.items.find((d) => d.id === id)?.name;
  const children = (parentId: number | null) => items.filter((r) => r.parentId === parentId);

  const branch = (parentId: number | null): ReactNode => {
    const list = children(parentId);
    if (list.length === 0) return null;
    return (
      <ul>
        {list.map((r) => (
          <li key={r.id}>
            <div className={`tree-item ${r.status}`}>
              <span className="tree-name">{r.name}</span>
              {r.childIds.length > 0 && <span className="badge badge-muted">Group</span>}
              <span className={`badge ${r.avoidable ? 'badge-failure' : 'badge-value'}`}>
                {r.avoidable ? 'Failure demand' : 'Value demand'}
              </span>
              {r.status === 'archived' && <span className="badge badge-muted">Archived</span>}
              {deptName(r.departmentId) && <span className="small muted">{deptName(r.departmentId)}</span>}
              <span className="tree-actions">
                <button type="button" className="button small" onClick={() => setEditing(r)}>
                  Edit<span className="visually-hidden"> {r.pathText}</span>
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={setStatus.isPending}
                  onClick={() =>
                    setStatus.mutate({ r, status: r.status === 'active' ? 'archived' : 'active' })
                  }
                >
                  {r.status === 'active' ? 'Archive' : 'Restore'}
                  <span className="visually-hidden"> {r.pathText}</span>
                </button>
                {r.childIds.length === 0 && (
                  <button
                    type="button"
                    className="button small danger-outline"
                    onClick={() => setDeleting(r)}
                  >
                    Delete<span className="visually-hidden"> {r.pathText}</span>
                  </button>
                )}
              </span>
            </div>
            {branch(r.id)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <section id="reasons" aria-labelledby="taxonomy-title" className="admin-section">
      <div className="page-head">
        <h2 id="taxonomy-title">Reasons</h2>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New reason
        </button>
      </div>
      <QueryNote pending={reasons.isPending} error={reasons.error} loading="Loading the contact reasons…" />
      <ErrorNote error={setStatus.error ?? remove.error} />
      <p role="status" className="muted small">
        {note}
      </p>
      <div className={editing ? 'two-col' : undefined}>
        <div>
          {reasons.data && items.length === 0 && (
            <p className="empty">
              No contact reasons yet. Create the first one, or import a list from a spreadsheet below.
            </p>
          )}
          {items.length > 0 && <div className="tree">{branch(null)}</div>}
        </div>
        {editing && (
          <ReasonForm
            key={editing === 'new' ? 'new' : editing.id}
            reason={editing === 'new' ? undefined : editing}
            reasons={items}
            departments={departments.data?.items ?? []}
            onDone={(message) => {
              setEditing(null);
              if (message) setNote(message);
            }}
          />
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.pathText}?`}
          confirmLabel="Delete reason"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            remove.mutate(deleting);
            setDeleting(null);
          }}
        >
          <p>A reason that conversations have cannot be deleted; archive it instead.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Departments() {
  const client = useQueryClient();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Department | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  const [form, setForm] = useState({ name: '', description: '' });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['departments'] });
    void client.invalidateQueries({ queryKey: ['contact-reasons'] });
  };
  const save = useMutation({
    mutationFn: () =>
      editing ? reasonsApi.updateDepartment(editing.id, form) : reasonsApi.createDepartment(form),
    onSuccess: () => {
      setEditing(null);
      setForm({ name: '', description: '' });
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (d: Department) => reasonsApi.removeDepartment(d.id),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const items = departments.data?.items ?? [];
  return (
    <section id="departments" aria-labelledby="departments-title" className="admin-section">
      <h2 id="departments-title">Departments</h2>
      <p className="muted small">The owners of root causes: logistics, billing, product…</p>
      <QueryNote pending={departments.isPending} error={departments.error} loading="Loading departments…" />
      <ErrorNote error={remove.error} />
      {departments.data && items.length === 0 && <p className="empty">No departments yet.</p>}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Departments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                <td>{d.description || <span className="muted">–</span>}</td>
                <td className="num">
                  <button
                    type="button"
                    className="button small"
                    onClick={() => {
                      setEditing(d);
                      setForm({ name: d.name, description: d.description });
                    }}
                  >
                    Edit<span className="visually-hidden"> {d.name}</span>
                  </button>{' '}
                  <button
                    type="button"
                    className="button small danger-outline"
                    onClick={() => setDeleting(d)}
                  >
                    Delete<span className="visually-hidden"> {d.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="admin-form narrow" onSubmit={submit}>
        <h3>{editing ? `Edit ${editing.name}` : 'Add a department'}</h3>
        <div className="field">
          <label htmlFor="dept-name">Department name</label>
          <input
            id="dept-name"
            required
            maxLength={80}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="dept-description">Description (optional)</label>
          <input
            id="dept-description"
            maxLength={2000}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </div>
        <ErrorNote error={save.error} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={save.isPending}>
            {editing ? 'Save department' : 'Add department'}
          </button>
          {editing && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setEditing(null);
                setForm({ name: '', description: '' });
              }}
            >
              Cancel
            </button>
          )}
        </div>
      </form>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete department"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            remove.mutate(deleting);
            setDeleting(null);
          }}
        >
          <p>
            A department that owns contact reasons cannot be deleted; give those reasons another owner first.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
