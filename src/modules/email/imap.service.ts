import {
  type Actor,
  cancelJob,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  sealSecret,
} from '../../platform/index.js';
import { connectImap, imapAddress, imapPollKey, listImapFolders, requestPoll } from './imap.poll.js';
import { deleteImap, findImap, forgetFolderStates, type ImapSettingsRow, upsertImap } from './imap.repo.js';
import { findMailbox } from './mailboxes.repo.js';

export type ImapFields = {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string;
  /** Absent when changing other settings: the stored password stays. */
  password?: string;
  folders: string[];
  afterFetch: 'keep' | 'seen' | 'delete';
  pollSeconds: number;
  enabled: boolean;
};

/** The same server and account: the stored password may be used for it. */
export const sameAccount = (
  row: ImapSettingsRow,
  fields: Pick<ImapFields, 'host' | 'port' | 'username' | 'security'>,
) =>
  row.host === fields.host &&
  row.port === fields.port &&
  row.username === fields.username &&
  row.security === fields.security;

const notFound = () => fail('MAILBOX_NOT_FOUND', 'Mailbox not found');

function secretKeyOf(deps: Deps): string {
  const key = deps.settings.secretKey;
  if (!key) throw new Error('No secret key: Steward was started without STEWARD_SECRET_KEY and data dir key');
  return key;
}

/**
 * Sets up (or changes) IMAP polling of a mailbox. The server must be one Steward may connect to; the
 * password is sealed before it is stored. Another server or account forgets where polling stood. When
 * enabled, a poll is queued at once (in the same transaction: it exists if the settings do).
 */
export async function saveImapSettings(
  deps: Deps,
  workspaceId: number,
  mailboxId: number,
  actor: Actor,
  fields: ImapFields,
): Promise<Result<ImapSettingsRow>> {
  const address = await imapAddress(deps, fields);
  if (!address.ok) return address;
  return inTransaction(deps.db, async (tx) => {
    if (!(await findMailbox(tx, workspaceId, mailboxId))) return notFound();
    const before = await findImap(tx, workspaceId, mailboxId);
    const otherAccount = before !== undefined && !sameAccount(before, fields);
    // The stored password only ever goes to the server and account it was given for.
    if ((!before || otherAccount) && !fields.password)
      return fail('IMAP_PASSWORD_REQUIRED', 'The password of the IMAP account is required');
    const now = deps.clock.now();
    if (otherAccount) await forgetFolderStates(tx, workspaceId, mailboxId);
    const saved = await upsertImap(tx, {
      workspaceId,
      mailboxId,
      host: fields.host,
      port: fields.port,
      security: fields.security,
      username: fields.username,
      passwordSealed: fields.password
        ? sealSecret(secretKeyOf(deps), fields.password)
        : before!.passwordSealed,
      folders: [...new Set(fields.folders)],
      afterFetch: fields.afterFetch,
      pollSeconds: fields.pollSeconds,
      enabled: fields.enabled,
      ...(otherAccount ? { fetched: 0, skipped: 0, lastSkipped: null, lastError: null } : {}),
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId,
      type: before ? 'mailbox.imap_changed' : 'mailbox.imap_added',
      entityType: 'mailbox',
      entityId: mailboxId,
      actor,
      data: {
        host: fields.host,
        username: fields.username,
        enabled: fields.enabled,
        signInChanged: !!fields.password,
      },
      at: now,
    });
    if (saved.enabled) await requestPoll(tx, workspaceId, mailboxId, now, now);
    else await cancelJob(tx, workspaceId, imapPollKey(mailboxId), now);
    return ok(saved);
  });
}

export async function removeImapSettings(
  deps: Deps,
  workspaceId: number,
  mailboxId: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    if (!(await deleteImap(tx, workspaceId, mailboxId)))
      return fail('IMAP_NOT_CONFIGURED', 'This mailbox is not polled by IMAP');
    const now = deps.clock.now();
    await cancelJob(tx, workspaceId, imapPollKey(mailboxId), now);
    await recordEvent(tx, {
      workspaceId,
      type: 'mailbox.imap_removed',
      entityType: 'mailbox',
      entityId: mailboxId,
      actor,
      data: {},
      at: now,
    });
    return ok(null);
  });
}

/** "Poll now": moves the queued poll to now (or queues one). */
export async function pollNow(deps: Deps, workspaceId: number, mailboxId: number): Promise<Result<null>> {
  const settings = await findImap(deps.db, workspaceId, mailboxId);
  if (!settings) return fail('IMAP_NOT_CONFIGURED', 'This mailbox is not polled by IMAP');
  if (!settings.enabled) return fail('INVALID_IMAP_SERVER', 'Polling is switched off for this mailbox');
  const now = deps.clock.now();
  await requestPoll(deps.db, workspaceId, mailboxId, now, now);
  return ok(null);
}

/**
 * Signs in with these settings (the stored password when none is given) and lists the account's folders:
 * the "Test connection" of the settings form. A refused or failing server is a value, not an error.
 */
export async function testImapSettings(
  deps: Deps,
  workspaceId: number,
  mailboxId: number,
  fields: Omit<ImapFields, 'folders' | 'afterFetch' | 'pollSeconds' | 'enabled'>,
  storedPassword: () => Promise<string | undefined>,
): Promise<Result<{ ok: true; folders: string[] } | { ok: false; error: string }>> {
  if (!(await findMailbox(deps.db, workspaceId, mailboxId))) return notFound();
  const password = fields.password || (await storedPassword());
  if (!password) return fail('IMAP_PASSWORD_REQUIRED', 'The password of the IMAP account is required');
  const connected = await connectImap(deps, { ...fields, password });
  if (!connected.ok) return ok({ ok: false, error: connected.message });
  const client = connected.value;
  try {
    return ok({ ok: true, folders: await listImapFolders(client) });
  } catch (err) {
    return ok({ ok: false, error: (err as Error).message });
  } finally {
    await client.logout().catch(() => client.close());
  }
}
