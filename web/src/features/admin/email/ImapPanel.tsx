import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type ImapInput,
  type ImapPolling,
  type ImapSecurity,
  imapApi,
  imapKey,
  type Mailbox,
  mailboxesKey,
  useImap,
} from '../../../api/email';
import { formatWhen, plural } from '../../../format';
import { ConfirmDialog, ErrorNote, QueryNote } from '../ui';

const defaultPort: Record<ImapSecurity, number> = { tls: 993, starttls: 143, none: 143 };

/**
 * Fetching a mailbox Steward does not receive directly (Gmail, Exchange, a hosted inbox) by IMAP: where
 * polling stands, and its settings. A message is flagged or deleted on the server only after it is stored.
 */
export function ImapPanel({ mailbox, onClose }: { mailbox: Mailbox; onClose(): void }) {
  const configured = mailbox.imap !== null;
  const imap = useImap(mailbox.id, configured);
  const current = configured ? imap.data : null;
  const client = useQueryClient();
  const [stopping, setStopping] = useState(false);
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: imapKey(mailbox.id) }),
      client.invalidateQueries({ queryKey: mailboxesKey }),
    ]);
  const poll = useMutation({ mutationFn: () => imapApi.poll(mailbox.id), onSuccess: () => void refresh() });
  const stop = useMutation({
    mutationFn: () => imapApi.remove(mailbox.id),
    onSuccess: () => {
      setStopping(false);
      void refresh();
    },
  });
  return (
    <section className="admin-form" aria-labelledby="imap-title">
      <h2 id="imap-title">Fetch {mailbox.address} by IMAP</h2>
      <p className="muted">
        For an address whose mail stays with your mail provider: Steward signs in to the mailbox, takes new
        messages in, and remembers where it stopped in each folder. The first poll starts at the oldest unread
        message.
      </p>
      {configured && (
        <QueryNote pending={imap.isPending} error={imap.error} loading="Loading IMAP settings…" />
      )}
      {current && (
        <ImapStatus
          status={current}
          busy={poll.isPending}
          onPoll={() => poll.mutate()}
          onStop={() => setStopping(true)}
        />
      )}
      <ErrorNote error={poll.error} />
      {current !== undefined && (
        <ImapForm
          key={current ? 'saved' : 'new'}
          mailboxId={mailbox.id}
          current={current}
          onSaved={() => void refresh()}
          onClose={onClose}
        />
      )}
      {stopping && (
        <ConfirmDialog
          title={`Stop fetching ${mailbox.address} by IMAP?`}
          confirmLabel="Stop fetching"
          danger
          busy={stop.isPending}
          onConfirm={() => stop.mutate()}
          onClose={() => setStopping(false)}
        >
          <p>The settings and the stored password are removed. Conversations already received stay.</p>
          <ErrorNote error={stop.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}

function ImapStatus({
  status,
  busy,
  onPoll,
  onStop,
}: {
  status: ImapPolling;
  busy: boolean;
  onPoll(): void;
  onStop(): void;
}) {
  const state = !status.enabled
    ? 'Switched off'
    : status.polling
      ? 'Polling now…'
      : status.lastError
        ? 'Failing'
        : status.lastSuccessAt
          ? 'Working'
          : 'Waiting for the first poll';
  return (
    <div className="notice" role="status" aria-live="polite">
      <p>
        <strong>{state}</strong> · {plural(status.fetched, 'message')} taken in
        {status.skipped > 0 && `, ${status.skipped} passed over`}
        {status.lastPollAt && ` · last poll ${formatWhen(status.lastPollAt)}`}
        {status.lastSuccessAt && ` · last success ${formatWhen(status.lastSuccessAt)}`}
      </p>
      {status.lastError && (
        <p className="error-text" data-testid="imap-error">
          {status.lastError}
        </p>
      )}
      {!status.passwordReadable && (
        <p className="error-text">The stored password can no longer be read: enter it again below.</p>
      )}
      {status.lastSkipped && <p className="small">Last passed over: {status.lastSkipped}</p>}
      {status.folderStates.length > 0 && (
        <p className="small">
          {status.folderStates.map((f) => `${f.folder}: up to UID ${f.lastUid}`).join(' · ')}
        </p>
      )}
      <div className="action-bar">
        <button type="button" className="button small" onClick={onPoll} disabled={busy || !status.enabled}>
          Poll now
        </button>
        <button type="button" className="button small" onClick={onStop}>
          Stop fetching
        </button>
      </div>
    </div>
  );
}

function ImapForm({
  mailboxId,
  current,
  onSaved,
  onClose,
}: {
  mailboxId: number;
  current: ImapPolling | null;
  onSaved(): void;
  onClose(): void;
}) {
  const [host, setHost] = useState(current?.host ?? '');
  const [security, setSecurity] = useState<ImapSecurity>(current?.security ?? 'tls');
  const [port, setPort] = useState(String(current?.port ?? 993));
  const [username, setUsername] = useState(current?.username ?? '');
  const [password, setPassword] = useState('');
  const [folders, setFolders] = useState((current?.folders ?? ['INBOX']).join(', '));
  const [afterFetch, setAfterFetch] = useState<ImapInput['afterFetch']>(current?.afterFetch ?? 'seen');
  const [pollSeconds, setPollSeconds] = useState(String(current?.pollSeconds ?? 60));
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const [found, setFound] = useState<string[] | null>(null);
  const server = () => ({
    host: host.trim(),
    port: Number(port),
    security,
    username,
    ...(password ? { password } : {}),
  });
  const test = useMutation({
    mutationFn: () => imapApi.test(mailboxId, server()),
    onSuccess: (res) => setFound(res.ok ? res.folders : null),
  });
  const save = useMutation({
    mutationFn: () =>
      imapApi.save(mailboxId, {
        ...server(),
        folders: folders
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
        afterFetch,
        pollSeconds: Number(pollSeconds),
        enabled,
      }),
    onSuccess: () => {
      setPassword('');
      onSaved();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const chosen = folders
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const toggleFolder = (folder: string, on: boolean) =>
    setFolders((on ? [...chosen, folder] : chosen.filter((f) => f !== folder)).join(', '));
  return (
    <form onSubmit={submit} aria-label="IMAP settings">
      <div className="field-row">
        <div className="field">
          <label htmlFor="imap-host">IMAP server</label>
          <input
            id="imap-host"
            required
            placeholder="imap.example.com"
            value={host}
            onChange={(e) => setHost(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="imap-security">Security</label>
          <select
            id="imap-security"
            value={security}
            onChange={(e) => {
              const next = e.target.value as ImapSecurity;
              if (Number(port) === defaultPort[security]) setPort(String(defaultPort[next]));
              setSecurity(next);
            }}
          >
            <option value="tls">TLS (port 993)</option>
            <option value="starttls">STARTTLS (port 143)</option>
            <option value="none">None (local test servers only)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="imap-port">Port</label>
          <input
            id="imap-port"
            type="number"
            min={1}
            max={65535}
            required
            value={port}
            onChange={(e) => setPort(e.target.value)}
          />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="imap-username">User name</label>
          <input
            id="imap-username"
            required
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="imap-password">Password</label>
          <input
            id="imap-password"
            type="password"
            autoComplete="new-password"
            required={!current}
            placeholder={current ? 'unchanged' : ''}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
      </div>
      <p className="hint">
        Stored encrypted and never shown again. For Gmail or Microsoft 365, use an app password.
      </p>
      <div className="action-bar">
        <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate()}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        {test.data?.ok && (
          <span role="status" className="success-text">
            Signed in: {plural(test.data.folders.length, 'folder')}
          </span>
        )}
        {test.data && !test.data.ok && (
          <span role="alert" className="error-text">
            {test.data.error}
          </span>
        )}
      </div>
      <ErrorNote error={test.error} />
      <div className="field">
        <label htmlFor="imap-folders">Folders to fetch</label>
        <input id="imap-folders" required value={folders} onChange={(e) => setFolders(e.target.value)} />
        <p className="hint">Separated by commas. Test the connection to pick from the account's folders.</p>
        {found && (
          <fieldset className="checkbox-list">
            <legend className="visually-hidden">The account's folders</legend>
            {found.map((f) => (
              <label key={f}>
                <input
                  type="checkbox"
                  checked={chosen.includes(f)}
                  onChange={(e) => toggleFolder(f, e.target.checked)}
                />{' '}
                {f}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="imap-after">Once a message is stored in Steward</label>
          <select
            id="imap-after"
            value={afterFetch}
            onChange={(e) => setAfterFetch(e.target.value as ImapInput['afterFetch'])}
          >
            <option value="seen">Mark it read on the server</option>
            <option value="keep">Leave it untouched</option>
            <option value="delete">Delete it from the server</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="imap-interval">Poll every (seconds)</label>
          <input
            id="imap-interval"
            type="number"
            min={30}
            max={86400}
            required
            value={pollSeconds}
            onChange={(e) => setPollSeconds(e.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Fetch new
          mail
        </label>
      </div>
      <ErrorNote error={save.error} />
      <div className="action-bar">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {current ? 'Save IMAP settings' : 'Start fetching'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
