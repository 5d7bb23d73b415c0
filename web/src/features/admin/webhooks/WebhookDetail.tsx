import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type Delivery, type DeliveryStatus, type Webhook, webhooksApi } from '../../../api/admin';
import { formatDateTime, formatWhen } from '../../../format';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';
import { type Revealed, SecretNotice, StatusBadge } from './parts';
import { WebhookForm } from './WebhookForm';

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

export function WebhookDetail({
  revealed,
  setRevealed,
}: {
  revealed: Revealed;
  setRevealed: (r: Revealed) => void;
}) {
  const id = Number(useParams().id);
  const webhook = useQuery({ queryKey: ['webhook', id], queryFn: () => webhooksApi.get(id) });
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/admin/webhooks">Webhooks</Link>
      </p>
      {webhook.data ? (
        <Detail webhook={webhook.data} revealed={revealed} setRevealed={setRevealed} />
      ) : (
        <QueryNote pending={webhook.isPending} error={webhook.error} loading="Loading the webhook…" />
      )}
    </div>
  );
}

type Confirm = 'rotate' | 'delete' | 'pause' | null;

function Detail({
  webhook: w,
  revealed,
  setRevealed,
}: {
  webhook: Webhook;
  revealed: Revealed;
  setRevealed: (r: Revealed) => void;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [pauseReason, setPauseReason] = useState('');
  const [note, setNote] = useState('');
  const updated = (x: Webhook, message: string) => {
    client.setQueryData(['webhook', x.id], x);
    void client.invalidateQueries({ queryKey: ['webhooks'] });
    setNote(message);
  };
  const action = useMutation({
    mutationFn: async (kind: 'pause' | 'resume' | 'rotate' | 'test' | 'delete') => {
      setConfirm(null);
      switch (kind) {
        case 'pause':
          updated(await webhooksApi.pause(w.id, pauseReason.trim() || undefined), 'The webhook is paused.');
          return;
        case 'resume':
          updated(await webhooksApi.resume(w.id), 'The webhook is active again.');
          return;
        case 'rotate': {
          const res = await webhooksApi.rotate(w.id);
          setRevealed({ webhookId: w.id, secret: res.secret });
          updated(res.webhook, 'A new secret was made; the old one keeps signing for 24 hours.');
          return;
        }
        case 'test': {
          const d = await webhooksApi.test(w.id);
          setNote(`Test ping sent (delivery ${d.id}). It shows in the log below.`);
          void client.invalidateQueries({ queryKey: ['deliveries', w.id] });
          return;
        }
        case 'delete':
          await webhooksApi.remove(w.id);
          void client.invalidateQueries({ queryKey: ['webhooks'] });
          navigate('/admin/webhooks');
      }
    },
  });
  const secret = revealed?.webhookId === w.id ? revealed.secret : null;

  return (
    <>
      <div className="page-head">
        <h1>
          {w.name} <StatusBadge status={w.status} />
        </h1>
      </div>
      {secret && <SecretNotice secret={secret} onDismiss={() => setRevealed(null)} />}
      <dl className="facts">
        <dt>URL</dt>
        <dd className="url">{w.url}</dd>
        <dt>Events</dt>
        <dd>{w.eventTypes.join(', ')}</dd>
        {w.description && (
          <>
            <dt>Description</dt>
            <dd>{w.description}</dd>
          </>
        )}
        {w.status === 'paused' && (
          <>
            <dt>Paused</dt>
            <dd>
              {w.pausedAt ? formatDateTime(w.pausedAt) : ''}
              {w.pausedReason ? `: ${w.pausedReason}` : ''}
            </dd>
          </>
        )}
        {w.consecutiveFailures > 0 && (
          <>
            <dt>Failures</dt>
            <dd>{w.consecutiveFailures} deliveries in a row failed</dd>
          </>
        )}
        {w.previousSecretUntil && (
          <>
            <dt>Old secret</dt>
            <dd>still signs until {formatDateTime(w.previousSecretUntil)}</dd>
          </>
        )}
      </dl>
      <div className="action-bar">
        <button type="button" className="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Edit
        </button>
        {w.status === 'active' ? (
          <button type="button" className="button" onClick={() => setConfirm('pause')}>
            Pause
          </button>
        ) : (
          <button type="button" className="button" onClick={() => action.mutate('resume')}>
            Resume
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => action.mutate('test')}
          disabled={action.isPending}
        >
          Send test
        </button>
        <button type="button" className="button" onClick={() => setConfirm('rotate')}>
          Rotate secret
        </button>
        <button type="button" className="button danger-outline" onClick={() => setConfirm('delete')}>
          Delete
        </button>
        <span role="status" className="muted small">
          {note}
        </span>
      </div>
      <ErrorNote error={action.error} />
      {editing && (
        <WebhookForm
          webhook={w}
          onCancel={() => setEditing(false)}
          onSaved={(res) => {
            setEditing(false);
            updated(res.webhook, 'Saved.');
          }}
        />
      )}
      <DeliveryLog webhookId={w.id} />

      {confirm === 'pause' && (
        <ConfirmDialog
          title={`Pause ${w.name}?`}
          confirmLabel="Pause webhook"
          onClose={() => setConfirm(null)}
          onConfirm={() => action.mutate('pause')}
        >
          <p>Events that happen while it is paused are not sent, not even later.</p>
          <label htmlFor="pause-reason">Reason (optional)</label>
          <input
            id="pause-reason"
            maxLength={500}
            value={pauseReason}
            onChange={(e) => setPauseReason(e.target.value)}
          />
        </ConfirmDialog>
      )}
      {confirm === 'rotate' && (
        <ConfirmDialog
          title="Make a new signing secret?"
          confirmLabel="Rotate secret"
          onClose={() => setConfirm(null)}
          onConfirm={() => action.mutate('rotate')}
        >
          <p>
            The new secret is shown once. The old one keeps signing beside it for 24 hours, so you have time
            to update your receiver.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={`Delete ${w.name}?`}
          confirmLabel="Delete webhook"
          danger
          onClose={() => setConfirm(null)}
          onConfirm={() => action.mutate('delete')}
        >
          <p>Its delivery log is deleted with it. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function DeliveryLog({ webhookId }: { webhookId: number }) {
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
