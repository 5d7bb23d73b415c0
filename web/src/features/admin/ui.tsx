import { type ReactNode, useEffect, useRef, useState } from 'react';
import { problemsOf } from '../../api/admin';
import { messageOf } from '../../api/client';

/** A failure in plain words; when the API listed problems (422), each on its own line under `lead`. */
export function ErrorNote({
  error,
  lead,
  id,
  wording = (p) => p,
}: {
  error: unknown;
  lead?: string;
  id?: string;
  /** Puts a problem into the page's own words (a calendar's "day 6" is Saturday). */
  wording?: (problem: string) => string;
}) {
  if (!error) return null;
  const problems = problemsOf(error);
  return (
    <div className="error-box admin-error" role="alert" id={id}>
      {problems.length > 0 ? (
        <>
          <p>{lead ?? 'This cannot be saved yet:'}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{sentence(wording(p))}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{messageOf(error)}</p>
      )}
    </div>
  );
}

const sentence = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** A modal question; Escape or Cancel closes it without doing anything. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  danger,
  busy,
  canConfirm = true,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  danger?: boolean;
  busy?: boolean;
  canConfirm?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current;
  useEffect(() => {
    const d = dialog.current;
    d?.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canConfirm && !busy) onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${danger ? 'danger' : 'primary'}`}
            disabled={!canConfirm || busy}
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Copies `text` and says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <>
      <button
        type="button"
        className="button small"
        onClick={() => {
          navigator.clipboard
            .writeText(text)
            .then(() => setCopied('yes'))
            .catch(() => setCopied('no'));
        }}
      >
        {label}
      </button>
      <span role="status" className="small muted">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Copying failed: select the text and copy it.' : ''}
      </span>
    </>
  );
}

/** The three states of a list before it has rows. */
export function QueryNote({
  pending,
  error,
  loading,
}: {
  pending: boolean;
  error: unknown;
  loading: string;
}) {
  if (error)
    return (
      <div className="error-box" role="alert">
        <p>{messageOf(error)}</p>
      </div>
    );
  if (pending) return <p className="loading">{loading}</p>;
  return null;
}
