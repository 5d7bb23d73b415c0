import { CopyButton } from '../ui';

/** A signing secret just made (create or rotate): shown once, while this section stays open. */
export type Revealed = { webhookId: number; secret: string } | null;

export function StatusBadge({ status }: { status: 'active' | 'paused' }) {
  return (
    <span className={`badge ${status === 'active' ? 'badge-accent' : 'badge-danger'}`}>
      {status === 'active' ? 'Active' : 'Paused'}
    </span>
  );
}

/** The secret, once, with a copy button and a warning. */
export function SecretNotice({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  return (
    <div className="secret-box" role="status">
      <p>
        <strong>Copy the signing secret now: it is shown only this once.</strong> Your receiver needs it to
        check the <code>Steward-Signature</code> header. If you lose it, rotate the secret.
      </p>
      <div className="secret-row">
        <input
          className="secret"
          aria-label="Signing secret"
          readOnly
          value={secret}
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={secret} label="Copy secret" />
      </div>
      <button type="button" className="button small" onClick={onDismiss}>
        I have stored it: hide the secret
      </button>
    </div>
  );
}
