import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { webhooksApi } from '../../../api/admin';
import { formatWhen } from '../../../format';
import { QueryNote } from '../ui';
import { type Revealed, StatusBadge } from './parts';
import { WebhookDetail } from './WebhookDetail';
import { WebhookForm } from './WebhookForm';

export function WebhooksSection() {
  const [revealed, setRevealed] = useState<Revealed>(null);
  const navigate = useNavigate();
  return (
    <Routes>
      <Route index element={<WebhookList />} />
      <Route
        path="new"
        element={
          <WebhookForm
            onSaved={(res) => {
              if ('secret' in res) setRevealed({ webhookId: res.webhook.id, secret: res.secret });
              navigate(`/admin/webhooks/${res.webhook.id}`, { replace: true });
            }}
          />
        }
      />
      <Route path=":id" element={<WebhookDetail revealed={revealed} setRevealed={setRevealed} />} />
    </Routes>
  );
}

function WebhookList() {
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: webhooksApi.list });
  const items = webhooks.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Webhooks</h1>
        <Link to="/admin/webhooks/new" className="button primary">
          New webhook
        </Link>
      </div>
      <p className="muted lead">
        A webhook sends your workspace's events, as they happen, to a URL of yours, signed so your system can
        tell they came from Steward.
      </p>
      <QueryNote pending={webhooks.isPending} error={webhooks.error} loading="Loading webhooks…" />
      {webhooks.data && items.length === 0 && (
        <p className="empty">
          No webhooks yet. Create one to send events such as new messages to another system.
        </p>
      )}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Status</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link to={`/admin/webhooks/${w.id}`}>{w.name}</Link>
                </td>
                <td className="url">{w.url}</td>
                <td className="small">{w.eventTypes.join(', ')}</td>
                <td>
                  <StatusBadge status={w.status} />
                  {w.pausedReason && <div className="small muted">{w.pausedReason}</div>}
                  {w.status === 'active' && w.consecutiveFailures > 0 && (
                    <div className="small waiting">{w.consecutiveFailures} failed in a row</div>
                  )}
                </td>
                <td className="small">{formatWhen(w.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
