import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { Executor } from '../../db/index.js';
import {
  type Deps,
  enqueueJob,
  fail,
  type JobHandler,
  ok,
  openSecret,
  type Result,
} from '../../platform/index.js';
import { classifyAddress } from '../webhooks/index.js';
import { emailMaxBytes, parseOrRefuse, refusalOf } from './deliver.js';
import {
  claimPoll,
  countFetched,
  findImap,
  type ImapSettingsRow,
  listFolderStates,
  releasePoll,
  saveFolderState,
} from './imap.repo.js';
import { findMailbox, type Mailbox } from './mailboxes.repo.js';
import { receiveEmail } from './receive.service.js';

export const IMAP_POLL_JOB = 'email.imap_poll';
export const imapPollKey = (mailboxId: number) => `imap-poll:${mailboxId}`;
/** A poll holds its mailbox this long at most; a crashed poller's mailbox is polled again after it. */
const LEASE_MS = 10 * 60_000;
/** Messages taken per folder and poll; more waiting makes the next poll come at once. */
export const IMAP_BATCH = 100;

export type ImapServer = {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string;
  password: string;
};

const messageOf = (err: unknown): string => {
  const e = err as { responseText?: string; message?: string; code?: string };
  const text = e.responseText || e.message || String(err);
  return (e.code && !text.includes(e.code) ? `${text} (${e.code})` : text).slice(0, 500);
};

/**
 * Where Steward may connect for IMAP: public addresses, and loopback or private ones only when
 * STEWARD_IMAP_ALLOW_INSECURE (or, for private ones, STEWARD_WEBHOOKS_ALLOW_PRIVATE) says so. Every address
 * the name resolves to is checked and the connection goes to the checked one (no DNS rebinding).
 */
export async function imapAddress(deps: Deps, server: Pick<ImapServer, 'host' | 'security'>) {
  const insecure = deps.settings.imapAllowInsecure === true;
  if (server.security === 'none' && !insecure)
    return fail(
      'INVALID_IMAP_SERVER',
      'IMAP without TLS sends the password in clear: use tls or starttls (STEWARD_IMAP_ALLOW_INSECURE allows it)',
    );
  let addresses: string[];
  try {
    addresses = isIP(server.host)
      ? [server.host]
      : (await lookup(server.host, { all: true })).map((a) => a.address);
  } catch (err) {
    return fail('INVALID_IMAP_SERVER', `Could not resolve ${server.host}: ${messageOf(err)}`);
  }
  for (const address of addresses) {
    const kind = classifyAddress(address);
    const allowed =
      kind === 'public' ||
      ((kind === 'loopback' || kind === 'private') && insecure) ||
      (kind === 'private' && deps.settings.webhooks.allowPrivate);
    if (!allowed)
      return fail(
        'INVALID_IMAP_SERVER',
        `${server.host} resolves to ${address}, a ${kind} address (STEWARD_IMAP_ALLOW_INSECURE allows loopback and private ones)`,
      );
  }
  if (addresses.length === 0) return fail('INVALID_IMAP_SERVER', `Could not resolve ${server.host}`);
  return ok(addresses[0]!);
}

/** A signed-in IMAP client, or why there is none. */
export async function connectImap(deps: Deps, server: ImapServer): Promise<Result<ImapFlow>> {
  const address = await imapAddress(deps, server);
  if (!address.ok) return address;
  const servername = isIP(server.host) ? undefined : server.host;
  const client = new ImapFlow({
    host: address.value,
    port: server.port,
    secure: server.security === 'tls',
    doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
    servername,
    tls: { servername },
    auth: { user: server.username, pass: server.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return ok(client);
  } catch (err) {
    client.close();
    return fail('INVALID_IMAP_SERVER', `IMAP: ${messageOf(err)}`);
  }
}

/** The folders of the account (for choosing which to poll): their paths, INBOX first. */
export async function listImapFolders(client: ImapFlow): Promise<string[]> {
  const folders = (await client.list()).filter((f) => !f.flags.has('\\Noselect')).map((f) => f.path);
  return folders.sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a.localeCompare(b)));
}

type Taken = { kind: 'taken' } | { kind: 'skipped'; reason: string } | { kind: 'retry'; reason: string };

/**
 * One fetched mail into the mailbox, committed before this returns `taken`. Mail fetched from a mailbox is
 * that mailbox's whatever its To says. The per-sender limit is not applied: it exists to make an SMTP
 * client back off, which a polled mailbox cannot do (the provider filters its own floods).
 */
async function take(deps: Deps, mailbox: Mailbox, raw: Buffer): Promise<Taken> {
  const parsed = await parseOrRefuse(raw);
  if ('smtpCode' in parsed) return { kind: 'skipped', reason: parsed.message };
  const result = await receiveEmail(deps, mailbox, parsed, raw, { skipSenderLimit: true });
  if (result.ok) return { kind: 'taken' };
  const refusal = refusalOf(result.code, result.message);
  return refusal.permanent
    ? { kind: 'skipped', reason: refusal.message }
    : { kind: 'retry', reason: refusal.message };
}

type FolderOutcome = { taken: number; skipped: number; more: boolean; error?: string };

/**
 * New mail of one folder, in UID order. Each message is committed, then (as configured) flagged \Seen or
 * deleted on the server, then its UID remembered: a crash in between fetches it again next time and the
 * Message-ID deduplicates it. A message that can never be taken (broken, too large, blocked sender) is left
 * untouched on the server and passed over. A temporary failure stops the folder at that message.
 *
 * The first poll of a folder (or after the server renumbered it: a new UIDVALIDITY) starts at its oldest
 * unread message; read mail before it is history the mailbox had before Steward.
 */
async function pollFolder(
  deps: Deps,
  client: ImapFlow,
  settings: ImapSettingsRow,
  mailbox: Mailbox,
  folder: string,
): Promise<FolderOutcome> {
  const { workspaceId, mailboxId } = settings;
  const lock = await client.getMailboxLock(folder, { readOnly: settings.afterFetch === 'keep' });
  const out: FolderOutcome = { taken: 0, skipped: 0, more: false };
  try {
    const box = client.mailbox;
    if (!box) throw new Error(`Folder ${folder} could not be opened`);
    const uidValidity = String(box.uidValidity);
    const state = (await listFolderStates(deps.db, workspaceId, mailboxId)).find((s) => s.folder === folder);
    let lastUid = state?.lastUid ?? 0;
    if (!state || state.uidValidity !== uidValidity) {
      const unseen = (await client.search({ seen: false }, { uid: true })) || [];
      lastUid =
        unseen.length > 0
          ? unseen.reduce((a, b) => Math.min(a, b)) - 1
          : Math.max(0, Number(box.uidNext) - 1);
      await saveFolderState(deps.db, {
        workspaceId,
        mailboxId,
        folder,
        uidValidity,
        lastUid,
        updatedAt: deps.clock.now(),
      });
    }
    const uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [])
      .filter((uid) => uid > lastUid)
      .sort((a, b) => a - b);
    out.more = uids.length > IMAP_BATCH;
    const max = emailMaxBytes(deps);
    for (const uid of uids.slice(0, IMAP_BATCH)) {
      const range = String(uid);
      const head = await client.fetchOne(range, { uid: true, size: true }, { uid: true });
      let taken: Taken;
      if (!head) taken = { kind: 'skipped', reason: 'gone from the server before it was fetched' };
      else if ((head.size ?? 0) > max) taken = { kind: 'skipped', reason: `larger than ${max} bytes` };
      else {
        const message = await client.fetchOne(range, { uid: true, source: true }, { uid: true });
        const source = message === false ? undefined : message.source;
        taken = source
          ? await take(deps, mailbox, source)
          : { kind: 'skipped', reason: 'gone from the server before it was fetched' };
      }
      if (taken.kind === 'retry') {
        out.error = `UID ${uid} in ${folder}: ${taken.reason}`;
        return out;
      }
      if (taken.kind === 'taken') {
        out.taken += 1;
        if (settings.afterFetch === 'seen') await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
        if (settings.afterFetch === 'delete') await client.messageDelete(range, { uid: true });
      } else out.skipped += 1;
      await saveFolderState(deps.db, {
        workspaceId,
        mailboxId,
        folder,
        uidValidity,
        lastUid: uid,
        updatedAt: deps.clock.now(),
      });
      await countFetched(deps.db, workspaceId, mailboxId, {
        fetched: taken.kind === 'taken' ? 1 : 0,
        skipped: taken.kind === 'skipped' ? 1 : 0,
        lastSkipped: taken.kind === 'skipped' ? `UID ${uid} in ${folder}: ${taken.reason}` : undefined,
      });
    }
    return out;
  } finally {
    lock.release();
  }
}

export type PollOutcome = { taken: number; skipped: number; more: boolean; error: string | null };

/**
 * One poll of a mailbox's IMAP account, every configured folder. Undefined when it is not configured, is
 * switched off, or another poll holds it. Never throws: what went wrong is the outcome's (and the
 * settings') `error`, and the next poll tries again.
 */
export async function pollMailbox(
  deps: Deps,
  workspaceId: number,
  mailboxId: number,
): Promise<PollOutcome | undefined> {
  const now = deps.clock.now();
  const settings = await claimPoll(deps.db, workspaceId, mailboxId, now, new Date(now.getTime() + LEASE_MS));
  if (!settings) return undefined;
  const outcome: PollOutcome = { taken: 0, skipped: 0, more: false, error: null };
  let client: ImapFlow | undefined;
  try {
    const mailbox = await findMailbox(deps.db, workspaceId, mailboxId);
    const password = openSecret(deps.settings.secretKey ?? '', settings.passwordSealed);
    if (!mailbox) throw new Error('The mailbox is gone');
    if (password === undefined)
      throw new Error('The stored password cannot be read (the secret key changed): enter it again');
    const connected = await connectImap(deps, { ...settings, password });
    if (!connected.ok) throw new Error(connected.message);
    client = connected.value;
    for (const folder of settings.folders) {
      const r = await pollFolder(deps, client, settings, mailbox, folder);
      outcome.taken += r.taken;
      outcome.skipped += r.skipped;
      outcome.more ||= r.more;
      if (r.error) {
        outcome.error = r.error;
        break;
      }
    }
  } catch (err) {
    outcome.error = messageOf(err);
    deps.log.warn({ mailboxId, err: outcome.error }, 'IMAP poll failed');
  } finally {
    if (client) await client.logout().catch(() => client?.close());
    await releasePoll(deps.db, workspaceId, mailboxId, { at: deps.clock.now(), error: outcome.error });
  }
  return outcome;
}

/** Asks for a poll at `runAt` (now: "Poll now", a saved setting); one queued poll per mailbox. */
export async function requestPoll(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
  runAt: Date,
  now: Date,
) {
  await enqueueJob(
    db,
    {
      workspaceId,
      type: IMAP_POLL_JOB,
      payload: { mailboxId },
      runAt,
      dedupeKey: imapPollKey(mailboxId),
      maxAttempts: 100,
    },
    now,
  );
}

/**
 * The poll job: polls, then queues the next one (at once when more mail waits, else after the mailbox's
 * interval). It stops queueing when polling is removed or switched off; saving the settings starts it again.
 */
export const imapPollHandler = (deps: Deps): JobHandler => ({
  kind: 'external',
  async run(job) {
    const mailboxId = Number(job.payload.mailboxId);
    const outcome = await pollMailbox(deps, job.workspaceId, mailboxId);
    const settings = await findImap(deps.db, job.workspaceId, mailboxId);
    if (!settings?.enabled) return;
    const now = deps.clock.now();
    const soon = outcome?.more === true && outcome.error === null;
    const delayMs = soon ? 0 : settings.pollSeconds * 1000;
    await requestPoll(deps.db, job.workspaceId, mailboxId, new Date(now.getTime() + delayMs), now);
  },
});
