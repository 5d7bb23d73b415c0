import { messageOf } from '../../api/client';

/** A report's loading and failure lines. */
export function QueryState({ error, pending }: { error: unknown; pending: boolean }) {
  return (
    <>
      {error ? (
        <p className="error-box" role="alert">
          {messageOf(error)}
        </p>
      ) : null}
      {pending && <p className="loading">Loading…</p>}
    </>
  );
}
