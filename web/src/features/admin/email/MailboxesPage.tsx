import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  blockedKey,
  emailApi,
  type Mailbox,
  type MailboxInput,
  mailboxesKey,
  useBlockedSenders,
  useMailboxes,
} from '../../../api/email';
import { useTeams } from '../../session/session';
import { ConfirmDialog, CopyButton, ErrorNote, QueryNote } from '../ui';
import { ImapPanel } from './ImapPanel';

/** The support addresses: where mail is received, who replies go out as, and what is refused. */
export function MailboxesPage() {
  const mailboxes = useMailboxes();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const [secret, setSecret] = useState<{ mailbox: Mailbox; inboundSecret: string } | null>(null);
  const [removing, setRemoving] = useState<Mailbox | null>(null);
  const [fetchingId, setFetchingId] = useState<number | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: mailboxesKey });
  const rotate = useMutation({
    mutationFn: (m: Mailbox) => emailApi.rotate(m.id),
    onSuccess: (res) => setSecret(res),
  });
  const remove = useMutation({
    mutationFn: (m: Mailbox) => emailApi.remove(m.id),
    onSuccess: () => {
      setRemoving(null);
      void refresh();
    },
  });
  const items = mailboxes.data?.items ?? [];
  // Looked up in the list each time: saving IMAP settings refreshes it, and the panel follows.
  const fetching = items.find((m) => m.id === fetchingId);
  return (
    <div className="page">
      <div className="page-head">
        <h1>E-mail</h1>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            Add a support address
          </button>
        )}
      </div>
      <p className="muted lead">
        Mail to a support address becomes a conversation; replies go out from it. Point the address's MX (or a
        forwarding rule) at Steward's SMTP port, or let your mail provider post each raw mail to the address's
        inbound URL with its secret. Or let Steward fetch it from the mailbox by IMAP.
      </p>
      {editing !== null && (
        <MailboxForm
          key={editing === 'new' ? 'new' : editing.id}
          mailbox={editing === 'new' ? null : editing}
          onCreated={setSecret}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {secret && (
        <div className="notice" role="status">
          <p>
            The inbound secret of <strong>{secret.mailbox.address}</strong>, shown only now:{' '}
            <code>{secret.inboundSecret}</code>{' '}
            <CopyButton text={secret.inboundSecret} label="Copy the secret" />
          </p>
          <p className="small">
            POST raw mail (Content-Type: message/rfc822) to{' '}
            <code>{location.origin + secret.mailbox.inboundPath}</code> with{' '}
            <code>Authorization: Bearer {'<secret>'}</code>.{' '}
            <button type="button" className="link-button" onClick={() => setSecret(null)}>
              Done
            </button>
          </p>
        </div>
      )}
      <QueryNote pending={mailboxes.isPending} error={mailboxes.error} loading="Loading support addresses…" />
      {mailboxes.data && items.length === 0 && (
        <p className="empty">No support address yet. Add the one your customers write to.</p>
      )}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Support addresses</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Sender name</th>
              <th scope="col">Acknowledgement</th>
              <th scope="col">IMAP</th>
              <th scope="col">
                <span className="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.address} {m.isDefault && <span className="badge">default</span>}
                </td>
                <td>{m.name}</td>
                <td>{m.acknowledge ? 'Sent to new conversations' : 'Off'}</td>
                <td>
                  {m.imap === null
                    ? '—'
                    : !m.imap.enabled
                      ? `${m.imap.host} (off)`
                      : m.imap.lastError
                        ? `${m.imap.host}: failing`
                        : m.imap.host}
                </td>
                <td>
                  <div className="action-bar">
                    <button type="button" className="button small" onClick={() => setEditing(m)}>
                      Edit <span className="visually-hidden">{m.address}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setFetchingId(m.id)}>
                      IMAP… <span className="visually-hidden">{m.address}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => rotate.mutate(m)}>
                      New secret <span className="visually-hidden">for {m.address}</span>
                    </button>
                    <button type="button" className="button small" onClick={() => setRemoving(m)}>
                      Remove <span className="visually-hidden">{m.address}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={rotate.error} />
      {fetching && <ImapPanel key={fetching.id} mailbox={fetching} onClose={() => setFetchingId(null)} />}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.address}?`}
          confirmLabel="Remove address"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>Mail to it will be refused. Conversations received through it stay as they are.</p>
          <ErrorNote error={remove.error} />
        </ConfirmDialog>
      )}
      <BlockedSenders />
    </div>
  );
}

function MailboxForm({
  mailbox,
  onCreated,
  onDone,
}: {
  mailbox: Mailbox | null;
  onCreated(created: { mailbox: Mailbox; inboundSecret: string }): void;
  onDone(): void;
}) {
  const teams = useTeams();
  const [address, setAddress] = useState(mailbox?.address ?? '');
  const [name, setName] = useState(mailbox?.name ?? '');
  const [team, setTeam] = useState(mailbox?.teamId ? String(mailbox.teamId) : '');
  const [isDefault, setIsDefault] = useState(mailbox?.isDefault ?? false);
  const [acknowledge, setAcknowledge] = useState(mailbox?.acknowledge ?? false);
  const [signature, setSignature] = useState(mailbox?.signature ?? '');
  const [promiseFooter, setPromiseFooter] = useState(mailbox?.promiseFooter ?? false);
  const save = useMutation({
    mutationFn: async (input: MailboxInput) => {
      if (mailbox) {
        await emailApi.update(mailbox.id, input);
        return;
      }
      onCreated(await emailApi.create(input));
    },
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      address,
      name: name.trim() || undefined,
      teamId: team ? Number(team) : null,
      isDefault,
      acknowledge,
      signature,
      promiseFooter,
    });
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="mailbox-form-title">
      <h2 id="mailbox-form-title">{mailbox ? `Edit ${mailbox.address}` : 'New support address'}</h2>
      <div className="field">
        <label htmlFor="mailbox-address">Address</label>
        <input
          id="mailbox-address"
          type="email"
          required
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="mailbox-name">Sender name</label>
        <input
          id="mailbox-name"
          required={mailbox !== null}
          maxLength={120}
          value={name}
          aria-describedby="mailbox-name-hint"
          onChange={(e) => setName(e.target.value)}
        />
        <p id="mailbox-name-hint" className="hint">
          {mailbox
            ? 'Shown as the sender of replies.'
            : "Shown as the sender of replies. Empty: the workspace's name."}
        </p>
      </div>
      <div className="field">
        <label htmlFor="mailbox-team">New conversations go to</label>
        <select id="mailbox-team" value={team} onChange={(e) => setTeam(e.target.value)}>
          <option value="">No team</option>
          {(teams.data?.items ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} />{' '}
          Send an acknowledgement to each new conversation (in the customer's language; outside business hours
          it says when you are back)
        </label>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />{' '}
          Default sender of replies in conversations that did not start by e-mail
        </label>
      </div>
      <div className="field">
        <label htmlFor="mailbox-signature">Signature</label>
        <textarea
          id="mailbox-signature"
          rows={3}
          maxLength={5000}
          value={signature}
          aria-describedby="mailbox-signature-hint"
          onChange={(e) => setSignature(e.target.value)}
        />
        <p id="mailbox-signature-hint" className="hint">
          Added under every reply. {'{{agent}}'} is the replying agent's name, {'{{team}}'} the team's.
        </p>
      </div>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={promiseFooter}
            onChange={(e) => setPromiseFooter(e.target.checked)}
          />{' '}
          List the conversation's open promises and their due dates under every reply
        </label>
      </div>
      <ErrorNote error={save.error} />
      <div className="action-bar">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {mailbox ? 'Save' : 'Add address'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function BlockedSenders() {
  const blocked = useBlockedSenders();
  const client = useQueryClient();
  const [pattern, setPattern] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: blockedKey });
  const add = useMutation({
    mutationFn: (p: string) => emailApi.block(p),
    onSuccess: () => {
      setPattern('');
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => emailApi.unblock(id),
    onSuccess: () => void refresh(),
  });
  return (
    <section aria-labelledby="blocked-title">
      <h2 id="blocked-title">Blocked senders</h2>
      <p className="muted">Mail from these addresses (or whole domains, written @example.com) is refused.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(pattern.trim());
        }}
      >
        <label htmlFor="blocked-pattern">Address or @domain</label>
        <input id="blocked-pattern" required value={pattern} onChange={(e) => setPattern(e.target.value)} />
        <button type="submit" className="button" disabled={add.isPending}>
          Block
        </button>
      </form>
      <ErrorNote error={add.error ?? remove.error} />
      <ul className="plain-list">
        {(blocked.data?.items ?? []).map((b) => (
          <li key={b.id}>
            {b.pattern}{' '}
            <button type="button" className="button small" onClick={() => remove.mutate(b.id)}>
              Unblock <span className="visually-hidden">{b.pattern}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
