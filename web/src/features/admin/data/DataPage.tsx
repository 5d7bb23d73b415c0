import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dataApi, type WorkspaceExport } from '../../../api/admin';
import { formatDateTime } from '../../../format';
import { usePersonName } from '../../session/session';
import { ErrorNote, QueryNote } from '../ui';

const statusText: Record<WorkspaceExport['status'], string> = {
  queued: 'Waiting to start',
  running: 'Running',
  done: 'Ready',
  failed: 'Failed',
  expired: 'Expired',
};
const statusBadge: Record<WorkspaceExport['status'], string> = {
  queued: 'status-pending',
  running: 'status-new',
  done: 'badge-accent',
  failed: 'badge-danger',
  expired: 'badge-muted',
};

export function formatSize(bytes: number | null): string {
  if (bytes === null) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Workspace exports (start, follow, download) and where erasure of a customer lives. */
export function DataPage() {
  const client = useQueryClient();
  const personName = usePersonName();
  const exports = useQuery({
    queryKey: ['exports'],
    queryFn: dataApi.exports,
    // While an export runs, look every 1.5 seconds.
    refetchInterval: (q) =>
      q.state.data?.items.some((x) => x.status === 'queued' || x.status === 'running') ? 1500 : false,
  });
  const start = useMutation({
    mutationFn: dataApi.start,
    onSuccess: () => void client.invalidateQueries({ queryKey: ['exports'] }),
  });
  const items = exports.data?.items ?? [];
  const busy = items.some((x) => x.status === 'queued' || x.status === 'running');
  return (
    <div className="page">
      <h1>Data</h1>
      <section aria-labelledby="exports-title" className="admin-section">
        <div className="page-head">
          <h2 id="exports-title">Workspace exports</h2>
          <button
            type="button"
            className="button primary"
            onClick={() => start.mutate()}
            disabled={start.isPending || busy}
          >
            Start an export
          </button>
        </div>
        <p className="muted lead">
          An export is a zip of everything in the workspace: people (without passwords), teams, customers,
          conversations, messages, events and attachment files, one JSON-lines file per table. It is kept for
          a few days, then deleted.
        </p>
        <ErrorNote error={start.error} />
        <QueryNote pending={exports.isPending} error={exports.error} loading="Loading exports…" />
        {exports.data && items.length === 0 && <p className="empty">No exports yet.</p>}
        {items.length > 0 && (
          <table className="table">
            <caption className="visually-hidden">Exports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">By</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Available until</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.id}>
                  <td>{formatDateTime(x.createdAt)}</td>
                  <td>{personName(x.requestedById) ?? '–'}</td>
                  <td>
                    <div className="progress">
                      <span className={`badge ${statusBadge[x.status]}`}>{statusText[x.status]}</span>
                      {(x.status === 'running' || x.status === 'queued') && (
                        <>
                          <progress
                            max={Math.max(x.rowsTotal, 1)}
                            value={Math.min(x.rowsDone, x.rowsTotal)}
                            aria-label={`Export ${x.id} progress`}
                          />
                          <span className="small">
                            {x.rowsDone.toLocaleString()} of about {x.rowsTotal.toLocaleString()} rows
                          </span>
                        </>
                      )}
                      {x.status === 'done' && (
                        <span className="small muted">{x.rowsDone.toLocaleString()} rows</span>
                      )}
                    </div>
                    {x.error && <div className="small form-error">{x.error}</div>}
                  </td>
                  <td className="num">{formatSize(x.size)}</td>
                  <td className="small">
                    {x.status === 'expired' ? 'Deleted' : formatDateTime(x.expiresAt)}
                  </td>
                  <td>
                    {x.status === 'done' && (
                      <a className="button small" href={dataApi.downloadUrl(x.id)} download>
                        Download<span className="visually-hidden"> export {x.id}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="erase-title" className="danger-zone">
        <h2 id="erase-title">Erasing a customer (GDPR)</h2>
        <p>
          To erase a customer's personal data, open the customer (Customers, or from a conversation) and
          choose <strong>Erase customer</strong>. Names, identities, message text and attachments are removed;
          conversations, timestamps and counts stay for your metrics.
        </p>
      </section>
    </div>
  );
}
