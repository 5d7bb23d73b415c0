import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Bridge, type BridgeInput, bridgesApi, bridgesKey, useBridges } from '../../../api/email';
import { channelLabel } from '../../../format';
import { ConfirmDialog, CopyButton, ErrorNote, QueryNote } from '../ui';

/** Bridges to SMS, WhatsApp and social networks: what they post in, where replies go out. */
export function BridgesPage() {
  const bridges = useBridges();
  const client = useQueryClient();
  const [secret, setSecret] = useState<{ bridge: Bridge; secret: string } | null>(null);
  const [removing, setRemoving] = useState<Bridge | null>(null);
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Bridge['channel']>('sms');
  const [replyUrl, setReplyUrl] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: bridgesKey });
  const create = useMutation({
    mutationFn: (input: BridgeInput) => bridgesApi.create(input),
    onSuccess: (res) => {
      setSecret(res);
      setName('');
      setReplyUrl('');
      void refresh();
    },
  });
  const rotate = useMutation({ mutationFn: (b: Bridge) => bridgesApi.rotate(b.id), onSuccess: setSecret });
  const remove = useMutation({
    mutationFn: (b: Bridge) => bridgesApi.remove(b.id),
    onSuccess: () => {
      setRemoving(null);
      void refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, channel, replyUrl: replyUrl.trim() || null });
  };
  const items = bridges.data?.items ?? [];
  return (
    <div className="page">
      <h1>Messaging bridges</h1>
      <p className="muted lead">
        A bridge connects an SMS gateway, WhatsApp or a social network to Steward: it posts what customers
        send (signed with the bridge's secret) and receives the replies at its reply URL.
        examples/sms-bridge.ts in Steward's repository is a complete one to adapt.
      </p>
      <form className="admin-form" onSubmit={submit} aria-labelledby="bridge-form-title">
        <h2 id="bridge-form-title">New bridge</h2>
        <div className="field">
          <label htmlFor="bridge-name">Name</label>
          <input
            id="bridge-name"
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="bridge-channel">Channel</label>
          <select
            id="bridge-channel"
            value={channel}
            onChange={(e) => setChannel(e.target.value as Bridge['channel'])}
          >
            <option value="sms">{channelLabel.sms}</option>
            <option value="whatsapp">{channelLabel.whatsapp}</option>
            <option value="social">{channelLabel.social}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="bridge-reply-url">Reply URL</label>
          <input
            id="bridge-reply-url"
            type="url"
            placeholder="https://bridge.example.com/steward/replies"
            value={replyUrl}
            onChange={(e) => setReplyUrl(e.target.value)}
          />
        </div>
        <ErrorNote error={create.error} />
        <button type="submit" className="button primary" disabled={create.isPending}>
          Add bridge
        </button>
      </form>
      {secret && (
        <div className="notice" role="status">
          <p>
            The secret of <strong>{secret.bridge.name}</strong>, shown only now: <code>{secret.secret}</code>{' '}
            <CopyButton text={secret.secret} label="Copy the secret" />
          </p>
          <p className="small">
            The bridge posts to <code>{location.origin + secret.bridge.inboundPath}</code>.{' '}
            <button type="button" className="link-button" onClick={() => setSecret(null)}>
              Done
            </button>
          </p>
        </div>
      )}
      <QueryNote pending={bridges.isPending} error={bridges.error} loading="Loading bridges…" />
      {bridges.data && items.length === 0 && <p className="empty">No bridge yet.</p>}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Messaging bridges</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Channel</th>
              <th scope="col">Replies go to</th>
              <th scope="col">
                <span className="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id}>
                <td>{b.name}</td>
                <td>{channelLabel[b.channel]}</td>
                <td className="small">{b.replyUrl ?? 'Nowhere (receive only)'}</td>
                <td>
                  <div className="action-bar">
                    <button type="button" className="button small" onClick={() => rotate.mutate(b)}>
                      New secret <span className="visually-hidden">for {b.name}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setRemoving(b)}>
                      Remove <span className="visually-hidden">{b.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={rotate.error} />
      {removing && (
        <ConfirmDialog
          title={`Remove the bridge “${removing.name}”?`}
          confirmLabel="Remove bridge"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>What it posts will be refused, and replies on its channel will show as not sent.</p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}
