import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { type Delivery, type DeliveryStatus, webhooksApi } from '../../../api/admin';
import { formatDateTime, formatWhen } from '../../../format';
import { ErrorNote, QueryNote } from '../ui';

const deliveryLabel: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  succeeded: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const deliveryBadge: Record<DeliveryStatus, string> = {
  pending: 'status-pending',
  succeeded: 'badge-accent',
  failed: 'badge-danger',
  cancelled: 'badge-muted',
};

/** A webhook's deliveries (filter by status, older pages), each with its attempts and Redeliver. */
export function DeliveryLog({ webhookId }: { webhookId: number }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [open, setOpen] = useState<number | null>(null);
  const log = useInfiniteQuery({
    queryKey: ['deliveries', webhookId, status],
    queryFn: ({ pageParam }) =>
      webhooksApi.deliveries(webhookId, { status: status || undefined, cursor: pageParam, limit: 20 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // While a delivery is on its way, look again every two seconds.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((d) => d.status === 'pending')) ? 2000 : false,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="deliveries-title" className="admin-section">
      <div className="page-head">
        <h2 id="deliveries-title">Deliveries</h2>
        <div className="filter-row">
          <label htmlFor="delivery-status">Show</label>
          <select
            id="delivery-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}
          >
            <option value="">All deliveries</option>
            <option value="pending">Pending</option>
            <option value="succeeded">Delivered</option>
            <option value="failed">Failed</option>
            <option value="cancelled">Cancelled</option>
          </select>
          <button type="button" className="button small" onClick={() => void log.refetch()}>
            Refresh
          </button>
        </div>
      </div>
      <QueryNote pending={log.isPending} error={log.error} loading="Loading deliveries…" />
      {log.data && items.length === 0 && (
        <p className="empty">
          {status
            ? 'No deliveries with this status.'
            : 'Nothing sent yet. Send a test to see a delivery here.'}
        </p>
      )}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Deliveries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Delivery</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <Fragment key={d.id}>
                <tr>
                  <td>#{d.id}</td>
                  <td>{d.eventType}</td>
                  <td>
                    <span className={`badge ${deliveryBadge[d.status]}`}>{deliveryLabel[d.status]}</span>
                  </td>
                  <td className="num">
                    {d.attempts}/{d.maxAttempts}
                  </td>
                  <td className="small">{d.lastStatusCode ?? d.lastError ?? '–'}</td>
                  <td className="small">{formatWhen(d.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={open === d.id}
                      aria-controls={`delivery-${d.id}`}
                      onClick={() => setOpen(open === d.id ? null : d.id)}
                    >
                      {open === d.id ? 'Hide' : 'Attempts'}
                      <span className="visually-hidden"> of delivery {d.id}</span>
                    </button>
                  </td>
                </tr>
                {open === d.id && (
                  <tr className="delivery-detail" id={`delivery-${d.id}`}>
                    <td colSpan={7}>
                      <DeliveryAttempts webhookId={webhookId} delivery={d} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          {log.isFetchingNextPage ? 'Loading…' : 'Older deliveries'}
        </button>
      )}
    </section>
  );
}

function DeliveryAttempts({ webhookId, delivery }: { webhookId: number; delivery: Delivery }) {
  const client = useQueryClient();
  // After a redelivery, look every second until its attempt shows up.
  const [waitingBeyond, setWaitingBeyond] = useState<number | null>(null);
  const detail = useQuery({
    queryKey: ['delivery', webhookId, delivery.id, delivery.attempts, delivery.status],
    queryFn: () => webhooksApi.delivery(webhookId, delivery.id),
    refetchInterval: (q) =>
      waitingBeyond !== null && (q.state.data?.attempts.length ?? 0) <= waitingBeyond ? 1000 : false,
  });
  const redeliver = useMutation({
    mutationFn: () => webhooksApi.redeliver(webhookId, delivery.id),
    onMutate: () => setWaitingBeyond(detail.data?.attempts.length ?? 0),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['deliveries', webhookId] }),
  });
  const attempts = detail.data?.attempts ?? [];
  return (
    <div>
      <QueryNote pending={detail.isPending} error={detail.error} loading="Loading attempts…" />
      {detail.data && attempts.length === 0 && <p className="muted">No attempt yet: it is queued.</p>}
      {attempts.length > 0 && (
        <table className="table attempts">
          <caption className="visually-hidden">Attempts of delivery {delivery.id}</caption>
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">Status code</th>
              <th scope="col" className="num">
                Took
              </th>
              <th scope="col">Response</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.id}>
                <td>
                  {formatDateTime(a.requestedAt)}
                  {a.manual && <span className="small muted"> (redelivery)</span>}
                </td>
                <td>
                  <span className={`badge ${a.succeeded ? 'badge-accent' : 'badge-danger'}`}>
                    {a.statusCode ?? 'none'}
                  </span>
                </td>
                <td className="num">{a.durationMs} ms</td>
                <td className="excerpt">{a.responseBody ? a.responseBody.slice(0, 300) : '–'}</td>
                <td className="small">{a.error ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail.data && (
        <details>
          <summary>The body sent</summary>
          <pre className="default-text">{detail.data.delivery.body}</pre>
        </details>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button small"
          onClick={() => redeliver.mutate()}
          disabled={redeliver.isPending}
        >
          Redeliver<span className="visually-hidden"> delivery {delivery.id}</span>
        </button>
        <span role="status" className="small muted">
          {redeliver.isSuccess ? 'Sent again: a new attempt appears in a moment.' : ''}
        </span>
      </div>
      <ErrorNote error={redeliver.error} />
    </div>
  );
}
