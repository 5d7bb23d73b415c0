import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type Webhook, webhooksApi } from '../../../api/admin';
import { formatDateTime } from '../../../format';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';
import { DeliveryLog } from './DeliveryLog';
import { type Revealed, SecretNotice, StatusBadge } from './parts';
import { WebhookForm } from './WebhookForm';

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
