import mustache from 'mustache';
import sanitizeHtml from 'sanitize-html';
import {
  addressOf,
  type Deps,
  inTransaction,
  isPermanentMailFailure,
  type JobContext,
  type JobHandler,
  type Mailer,
  type OutgoingMail,
  ok,
  recordEvent,
} from '../../platform/index.js';
import { openAttachment } from '../attachments/index.js';
import { calendarForTeam, isOpen, nextOpen } from '../calendars/index.js';
import { dueForCustomer, openForConversations, promiseZones } from '../commitments/index.js';
import {
  findConversation,
  findMessage,
  lastInboundEmail,
  recordDelivery,
  type StoredMessage,
} from '../conversations/index.js';
import { findCustomer, listIdentities } from '../customers/index.js';
import { findPerson, findTeam } from '../people/index.js';
import { renderCustomerTemplate } from '../templates/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { defaultMailbox, findMailbox, type Mailbox } from './mailboxes.repo.js';
import { EMAIL_ACK_JOB, EMAIL_SEND_JOB } from './outbound.consumer.js';
import { baseSubject } from './threading.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const textToHtml = (s: string) => `<div>${escapeHtml(s).replace(/\n/g, '<br>')}</div>`;
const htmlToText = (html: string) =>
  sanitizeHtml(html.replace(/<\/(p|div|li|h\d)>|<br\s*\/?>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** Header values we build from stored text: no line breaks (no header injection), bounded. */
const headerSafe = (s: string) =>
  Array.from(s, (ch) => (ch === '\r' || ch === '\n' || ch.charCodeAt(0) === 0 ? ' ' : ch))
    .join('')
    .slice(0, 900);
const realMessageId = (id: string | null | undefined): id is string => !!id && id.startsWith('<');

async function mailboxFor(deps: Pick<Deps, 'db'>, workspaceId: number, last: StoredMessage | undefined) {
  const id = last?.channelMeta?.mailboxId;
  return (
    (id ? await findMailbox(deps.db, workspaceId, id) : undefined) ?? defaultMailbox(deps.db, workspaceId)
  );
}

/** Where the customer is reached: the address they last wrote from, else their first e-mail identity. */
async function customerAddress(
  deps: Pick<Deps, 'db'>,
  workspaceId: number,
  customerId: number,
  last?: StoredMessage,
) {
  if (last?.channelMeta?.from) return last.channelMeta.from;
  const identities = await listIdentities(deps.db, workspaceId, [customerId]);
  return identities.find((i) => i.kind === 'email')?.value;
}

function senderOf(mailbox: Mailbox | undefined, mailFrom: string, name?: string) {
  const address = mailbox?.address ?? addressOf(mailFrom);
  const label = mailbox ? (name ? `${name} (${mailbox.name})` : mailbox.name) : (name ?? '');
  return { name: headerSafe(label), address };
}

const domainOf = (address: string) => address.split('@')[1] ?? 'steward.invalid';

type Sent = { ok: true; response: string } | { ok: false; reason: string };

/** Sends; a permanent refusal is an outcome, a transient failure throws (the job retries) unless it was the last try. */
async function trySend(
  mailer: Mailer,
  mail: OutgoingMail,
  job: { attempts: number; maxAttempts: number },
): Promise<Sent> {
  try {
    const sent = await mailer.send(mail);
    return { ok: true, response: sent.response.slice(0, 500) };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    if (isPermanentMailFailure(err) || job.attempts >= job.maxAttempts) return { ok: false, reason };
    throw err;
  }
}

async function attachmentsOf(deps: Deps, message: StoredMessage) {
  const files: NonNullable<OutgoingMail['attachments']> = [];
  for (const meta of message.attachments) {
    const opened = await openAttachment(deps, message.workspaceId, meta.id, 0);
    if (opened.ok)
      files.push({ filename: meta.filename, contentType: meta.contentType, content: opened.value.content });
  }
  return files;
}

async function signatureOf(deps: Deps, mailbox: Mailbox | undefined, agent: string, teamId: number | null) {
  if (!mailbox?.signature.trim()) return '';
  const team = teamId ? (await findTeam(deps.db, mailbox.workspaceId, teamId))?.name : undefined;
  return mustache.render(mailbox.signature, { agent, team: team ?? mailbox.name }, {}, { escape: (s) => s });
}

/**
 * The conversation's open promises, soonest due first, for a mailbox that lists them under replies, each due
 * time in the zone its words were read in (named). A suggestion found in this very reply is not one yet.
 */
async function promiseFooterOf(deps: Deps, mailbox: Mailbox | undefined, conversationId: number) {
  if (!mailbox?.promiseFooter) return '';
  const open = await openForConversations(deps.db, mailbox.workspaceId, [conversationId]);
  if (open.length === 0) return '';
  const zoneOf = promiseZones(deps.db, mailbox.workspaceId);
  const lines: string[] = [];
  for (const c of open)
    lines.push(`- ${c.text} (by ${dueForCustomer(c.dueAt, await zoneOf(c.teamId), 'en')})`);
  return `What we promised you:\n${lines.join('\n')}`;
}

/** The quoted conversation under a forward: the customer's last mail, whole. */
function forwardedPart(last: StoredMessage | undefined) {
  if (!last) return '';
  const from = last.channelMeta?.from ?? '';
  const text = last.channelMeta?.fullText ?? last.bodyText;
  return `\n\n---------- Forwarded message ----------\nFrom: ${from}\nDate: ${last.createdAt.toUTCString()}\nSubject: ${last.channelMeta?.subject ?? ''}\n\n${text}`;
}

async function sendReply(
  deps: Deps,
  mailer: Mailer,
  job: { workspaceId: number; payload: Record<string, unknown>; attempts: number; maxAttempts: number },
  ctx: JobContext,
) {
  const ws = job.workspaceId;
  const message = await findMessage(deps.db, ws, Number(job.payload.messageId));
  if (message?.deliveryState !== 'queued') return; // sent already (a retry), or not ours to send
  const fail = (detail: string) =>
    recordDelivery(deps.db, ws, message.id, { state: 'failed', detail, at: ctx.clock.now() });
  if (!mailer.configured)
    return fail('No outgoing mail server is configured (STEWARD_SMTP_URL and STEWARD_MAIL_FROM)');
  const conversation = await findConversation(deps.db, ws, message.conversationId);
  if (!conversation) return;
  const last = await lastInboundEmail(deps.db, ws, conversation.id);
  const mailbox = await mailboxFor(deps, ws, last);
  const meta = message.channelMeta ?? {};
  const forward = meta.forward === true;
  const to = forward
    ? (meta.to ?? [])
    : [await customerAddress(deps, ws, conversation.customerId, last)].filter((a): a is string => !!a);
  if (to.length === 0) return fail('The customer has no e-mail address');
  const agent = message.authorPersonId ? await findPerson(deps.db, ws, message.authorPersonId) : undefined;
  const sender = senderOf(mailbox, deps.settings.mailFrom ?? '', agent?.name);
  const messageId = `<steward.${ws}.${message.id}@${domainOf(sender.address)}>`;
  const signature = await signatureOf(deps, mailbox, agent?.name ?? '', conversation.teamId);
  const quoted = forward ? forwardedPart(last) : '';
  const promises = forward ? '' : await promiseFooterOf(deps, mailbox, conversation.id);
  const text = `${message.bodyText}${promises ? `\n\n${promises}` : ''}${signature ? `\n\n-- \n${signature}` : ''}${quoted}`;
  const html = `${message.bodyHtml ?? textToHtml(message.bodyText)}${promises ? textToHtml(promises) : ''}${signature ? textToHtml(`-- \n${signature}`) : ''}${quoted ? textToHtml(quoted) : ''}`;
  const subject = forward
    ? `Fwd: ${baseSubject(conversation.subject)} [#${conversation.id}]`
    : `Re: ${baseSubject(conversation.subject)} [#${conversation.id}]`;
  const threadIds =
    !forward && last && realMessageId(last.externalId)
      ? [...(last.channelMeta?.references ?? []), last.externalId]
      : [];
  const outcome = await trySend(
    mailer,
    {
      from: sender,
      to,
      cc: meta.cc,
      bcc: meta.bcc,
      subject: headerSafe(subject),
      text,
      html,
      messageId,
      inReplyTo: threadIds.at(-1),
      references: threadIds.slice(-20),
      attachments: await attachmentsOf(deps, message),
    },
    job,
  );
  if (!outcome.ok) return fail(outcome.reason);
  await recordDelivery(deps.db, ws, message.id, {
    state: 'sent',
    detail: outcome.response,
    at: ctx.clock.now(),
    externalId: messageId,
    channelMeta: { ...meta, mailboxId: mailbox?.id, from: sender.address, to, subject },
  });
}

/** Where the customer follows their requests: the workspace's portal (needs STEWARD_PUBLIC_URL). */
async function portalUrlOf(deps: Deps, workspaceId: number): Promise<string> {
  const workspace = await findWorkspaceById(deps.db, workspaceId);
  if (!deps.settings.publicUrl || !workspace) return '';
  return `${deps.settings.publicUrl.replace(/\/+$/, '')}/portal/${encodeURIComponent(workspace.slug)}`;
}

function replyByText(at: Date, zone: string, locale: string) {
  return `${new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: zone }).format(at)} (${zone})`;
}

async function acknowledge(
  deps: Deps,
  mailer: Mailer,
  job: { workspaceId: number; payload: Record<string, unknown>; attempts: number; maxAttempts: number },
  ctx: JobContext,
) {
  const ws = job.workspaceId;
  if (!mailer.configured) return;
  const conversation = await findConversation(deps.db, ws, Number(job.payload.conversationId));
  if (!conversation) return;
  const first = await lastInboundEmail(deps.db, ws, conversation.id);
  const meta = first?.channelMeta;
  // Never answer a machine: that is how mail loops start.
  if (!first || !meta?.from || meta.autoSubmitted || !meta.mailboxId) return;
  const mailbox = await findMailbox(deps.db, ws, meta.mailboxId);
  if (!mailbox?.acknowledge) return;
  const customer = await findCustomer(deps.db, ws, conversation.customerId);
  const calendar = await calendarForTeam(deps.db, ws, conversation.teamId ?? mailbox.teamId);
  const now = ctx.clock.now();
  const locale = customer?.locale ?? 'en';
  const replyBy = isOpen(calendar, now)
    ? ''
    : replyByText(nextOpen(calendar, now), calendar.timeZone, locale);
  const values = {
    customerName: customer?.name ?? '',
    subject: conversation.subject,
    reference: String(conversation.id),
    portalUrl: await portalUrlOf(deps, ws),
    replyBy,
  };
  const context = { customerLocale: customer?.locale };
  const subject = await renderCustomerTemplate(deps.db, ws, 'acknowledgement.subject', context, values);
  const body = await renderCustomerTemplate(deps.db, ws, 'acknowledgement.body', context, values);
  const sender = senderOf(mailbox, deps.settings.mailFrom ?? '');
  const outcome = await trySend(
    mailer,
    {
      from: sender,
      to: meta.from,
      subject: headerSafe(subject.text),
      html: body.text,
      text: htmlToText(body.text),
      messageId: `<steward.${ws}.ack.${conversation.id}@${domainOf(sender.address)}>`,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      inReplyTo: realMessageId(first.externalId) ? first.externalId : undefined,
      references: realMessageId(first.externalId) ? [first.externalId] : undefined,
    },
    job,
  );
  await inTransaction(deps.db, async (tx) => {
    await recordEvent(tx, {
      workspaceId: ws,
      type: outcome.ok ? 'email.acknowledged' : 'email.acknowledgement_failed',
      entityType: 'conversation',
      entityId: conversation.id,
      actor: { type: 'system' },
      data: outcome.ok
        ? { to: meta.from, locale: body.locale, replyBy: replyBy || null }
        : { reason: outcome.reason },
      at: ctx.clock.now(),
    });
    return ok(null);
  });
}

export function emailJobHandlers(deps: Deps, mailer: Mailer): Record<string, JobHandler> {
  return {
    [EMAIL_SEND_JOB]: {
      kind: 'external',
      run: async (job, ctx) => {
        await sendReply(deps, mailer, job, ctx);
      },
    },
    [EMAIL_ACK_JOB]: { kind: 'external', run: (job, ctx) => acknowledge(deps, mailer, job, ctx) },
  };
}
