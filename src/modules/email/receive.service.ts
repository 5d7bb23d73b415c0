import { Readable } from 'node:stream';
import type { ChannelMeta } from '../../db/schema/conversations.js';
import { type Deps, fail, ok, type Result } from '../../platform/index.js';
import { type Attachment, storeAttachment } from '../attachments/index.js';
import {
  addMessage,
  type Caller,
  createConversation,
  findMessageByExternalId,
  findMessagesByExternalIds,
  recordDelivery,
} from '../conversations/index.js';
import { findIdentityByValue, normalizeIdentity } from '../customers/index.js';
import type { Mailbox } from './mailboxes.repo.js';
import { blockedPatterns, insertSpam, isBlocked } from './noise.repo.js';
import type { ParsedEmail } from './parse.js';
import { createSenderLimit, type SenderLimit } from './sender-limit.js';
import { baseSubject, findThread } from './threading.js';
import { visibleText } from './trim.js';

export type Received =
  | { kind: 'stored'; conversationId: number; messageId: number; startedNew: boolean }
  /** Received before (a retry after a crash or a lost answer): nothing new was stored. */
  | { kind: 'duplicate'; conversationId: number | undefined; messageId: number | undefined }
  | { kind: 'spam' }
  | { kind: 'bounce'; messageId: number | undefined };

/** The system receives mail: no person is behind it. */
const intake: Caller = { actor: { type: 'system' }, personId: 0, canReassign: true };

const limits = new WeakMap<object, SenderLimit>();
function senderLimitOf(deps: Deps): SenderLimit {
  let limit = limits.get(deps);
  if (!limit) {
    limit = createSenderLimit(deps.settings.emailPerSenderPerHour ?? 60, 3_600_000);
    limits.set(deps, limit);
  }
  return limit;
}

/**
 * The workspace's blocklist, kept for a few seconds per process: every received mail asks, and a round trip
 * to the database per mail is a good share of intake's cost. A change made through this process is seen at
 * once (forgetBlockedSenders); one made through another process within BLOCKLIST_TTL_MS. A very long list
 * is not kept: each mail then asks the database.
 */
const BLOCKLIST_TTL_MS = 5_000;
const BLOCKLIST_MAX = 5_000;
const blocklists = new WeakMap<object, Map<number, { patterns: Set<string> | undefined; until: number }>>();

async function senderBlocked(deps: Deps, workspaceId: number, address: string): Promise<boolean> {
  let byWorkspace = blocklists.get(deps.db);
  if (!byWorkspace) {
    byWorkspace = new Map();
    blocklists.set(deps.db, byWorkspace);
  }
  const now = Date.now();
  let entry = byWorkspace.get(workspaceId);
  if (!entry || entry.until <= now) {
    const patterns = await blockedPatterns(deps.db, workspaceId, BLOCKLIST_MAX + 1);
    entry = {
      patterns: patterns.length > BLOCKLIST_MAX ? undefined : new Set(patterns),
      until: now + BLOCKLIST_TTL_MS,
    };
    if (byWorkspace.size > 10_000) byWorkspace.clear();
    byWorkspace.set(workspaceId, entry);
  }
  if (!entry.patterns) return isBlocked(deps.db, workspaceId, address);
  const lower = address.toLowerCase();
  return entry.patterns.has(lower) || entry.patterns.has(`@${lower.split('@')[1] ?? ''}`);
}

/** The blocklist of a workspace changed through this process: the next mail reads it again. */
export function forgetBlockedSenders(deps: Deps, workspaceId: number): void {
  blocklists.get(deps.db)?.delete(workspaceId);
}

async function senderCustomerId(deps: Deps, workspaceId: number, address: string) {
  const value = normalizeIdentity('email', address);
  if (!value.ok) return undefined;
  return (await findIdentityByValue(deps.db, workspaceId, 'email', value.value))?.customerId;
}

/** Received files become pending attachments (the message links them); one too large refuses the mail. */
async function storeFiles(deps: Deps, workspaceId: number, mail: ParsedEmail): Promise<Result<Attachment[]>> {
  const stored: Attachment[] = [];
  for (const file of mail.attachments) {
    const saved = await storeAttachment(deps, workspaceId, {
      filename: file.filename ?? (file.cid ? 'inline-image' : 'attachment'),
      claimedType: file.contentType,
      source: Readable.from([file.content]),
      uploadedById: null,
      actor: { type: 'system' },
    });
    if (!saved.ok) return saved;
    stored.push(saved.value);
  }
  return ok(stored);
}

/** Inline images (`cid:`) point to the stored attachment instead, which the app serves to signed-in agents. */
function linkInlineImages(html: string | undefined, mail: ParsedEmail, stored: Attachment[]) {
  if (!html) return html;
  let out = html;
  mail.attachments.forEach((file, i) => {
    const saved = stored[i];
    if (!file.cid || !saved) return;
    const cid = file.cid.replace(/[<>]/g, '');
    out = out.split(`cid:${cid}`).join(`/api/v1/attachments/${saved.id}`);
  });
  return out;
}

async function recordBounce(deps: Deps, workspaceId: number, mail: ParsedEmail): Promise<Received> {
  const original = mail.bounce?.originalMessageId ?? mail.inReplyTo;
  const [message] = original
    ? await findMessagesByExternalIds(deps.db, workspaceId, 'email', [original])
    : [];
  if (message && message.direction !== 'inbound')
    await recordDelivery(deps.db, workspaceId, message.id, {
      state: 'bounced',
      detail: mail.bounce?.reason ?? 'Returned by the receiving server',
      at: deps.clock.now(),
    });
  return { kind: 'bounce', messageId: message?.id };
}

function metaOf(mailbox: Mailbox, mail: ParsedEmail, fullText: string | undefined): ChannelMeta {
  const meta: ChannelMeta = {
    mailboxId: mailbox.id,
    from: mail.from?.address,
    fromName: mail.from?.name || undefined,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
  };
  if (mail.threadIndex) meta.threadIndex = mail.threadIndex.root;
  if (fullText !== undefined) meta.fullText = fullText;
  if (mail.automatic) meta.autoSubmitted = true;
  return meta;
}

/**
 * One received mail into one mailbox (its workspace), committed before this returns ok: that is when the
 * SMTP server answers 250 and the HTTP intake 2xx. Idempotent on the Message-ID (or the content hash):
 * receiving the same mail again stores nothing and answers `duplicate`. Refusals are returned values:
 * SENDER_REFUSED (blocklist) and INVALID_EMAIL are for good, RATE_LIMITED is temporary.
 */
export async function receiveEmail(
  deps: Deps,
  mailbox: Mailbox,
  mail: ParsedEmail,
  raw: Buffer,
  options: { skipSpamCheck?: boolean; skipSenderLimit?: boolean } = {},
): Promise<Result<Received>> {
  const workspaceId = mailbox.workspaceId;
  const from = mail.from;
  if (!from) return fail('INVALID_EMAIL', 'The mail has no sender address (From)');
  if (await senderBlocked(deps, workspaceId, from.address))
    return fail('SENDER_REFUSED', 'Mail from this sender is refused by the workspace');
  if (mail.bounce) return ok(await recordBounce(deps, workspaceId, mail));
  if (mail.spam && !options.skipSpamCheck) {
    await insertSpam(deps.db, {
      workspaceId,
      mailboxId: mailbox.id,
      externalId: mail.externalId,
      fromAddress: from.address,
      subject: mail.subject.slice(0, 500),
      size: raw.length,
      raw,
      receivedAt: deps.clock.now(),
    });
    return ok({ kind: 'spam' });
  }
  // Intake itself is idempotent; looking first only spares storing a retried mail's files again.
  if (mail.attachments.length > 0) {
    const seen = await findMessageByExternalId(deps.db, workspaceId, 'email', mail.externalId);
    if (seen) return ok({ kind: 'duplicate', conversationId: seen.conversationId, messageId: seen.id });
  }
  if (
    !options.skipSenderLimit &&
    !senderLimitOf(deps).allow(`${workspaceId}:${from.address}`, deps.clock.now().getTime())
  )
    return fail('RATE_LIMITED', 'Too many mails from this sender; try again later');

  const files = await storeFiles(deps, workspaceId, mail);
  if (!files.ok) return files;
  const shown = visibleText(mail.text);
  const body = shown.visible || '(no text)';
  const message = {
    direction: 'inbound' as const,
    body,
    html: shown.trimmed ? undefined : linkInlineImages(mail.html, mail, files.value),
    externalId: mail.externalId,
    channelMeta: metaOf(mailbox, mail, shown.trimmed ? mail.text : undefined),
    attachmentIds: files.value.map((f) => f.id),
  };
  const threadId = await findThread(deps.db, workspaceId, mail, () =>
    senderCustomerId(deps, workspaceId, from.address),
  );
  if (threadId !== undefined) {
    const added = await addMessage(deps, workspaceId, threadId, intake, { ...message, channel: 'email' });
    if (added.ok)
      return ok({
        kind: 'stored',
        conversationId: added.value.conversation.id,
        messageId: added.value.message.id,
        startedNew: added.value.startedNew,
      });
    if (added.code !== 'CONVERSATION_NOT_FOUND') return duplicateOr(added);
  }
  const created = await createConversation(deps, workspaceId, intake, {
    subject: baseSubject(mail.subject).slice(0, 500) || '(no subject)',
    channel: 'email',
    customer: { email: from.address, name: from.name || undefined },
    teamId: mailbox.teamId,
    message,
  });
  if (!created.ok) return duplicateOr(created);
  return ok({
    kind: 'stored',
    conversationId: created.value.conversation.id,
    messageId: created.value.message.id,
    startedNew: true,
  });
}

/** Two deliveries of the same mail racing: the loser's intake answers DUPLICATE_EXTERNAL_ID, which is fine. */
function duplicateOr(failure: Extract<Result<unknown>, { ok: false }>): Result<Received> {
  if (failure.code !== 'DUPLICATE_EXTERNAL_ID') return failure;
  const details = failure.details as { conversationId?: number; messageId?: number } | undefined;
  return ok({ kind: 'duplicate', conversationId: details?.conversationId, messageId: details?.messageId });
}
