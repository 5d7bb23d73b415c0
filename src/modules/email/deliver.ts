import type { Deps } from '../../platform/index.js';
import { findMailboxByAddress, type Mailbox } from './mailboxes.repo.js';
import { type ParsedEmail, parseEmail } from './parse.js';
import { type Received, receiveEmail } from './receive.service.js';

export const DEFAULT_EMAIL_MAX_BYTES = 26_214_400;
export const emailMaxBytes = (deps: Deps) => deps.settings.emailMaxBytes ?? DEFAULT_EMAIL_MAX_BYTES;

/** Why a mail was not taken, as SMTP says it (HTTP maps the same to a status). */
export type Refusal = { smtpCode: number; message: string; permanent: boolean };

/**
 * Mailboxes found by address, kept for a few seconds: the SMTP server asks at RCPT and again at DATA for
 * every mail. Only found ones are kept (a new mailbox receives at once); a changed or removed one is seen
 * within MAILBOX_TTL_MS.
 */
const MAILBOX_TTL_MS = 5_000;
const mailboxCaches = new WeakMap<object, Map<string, { mailbox: Mailbox; until: number }>>();

async function mailboxByAddress(deps: Deps, address: string): Promise<Mailbox | undefined> {
  let cache = mailboxCaches.get(deps);
  if (!cache) {
    cache = new Map();
    mailboxCaches.set(deps, cache);
  }
  const now = Date.now();
  const hit = cache.get(address);
  if (hit && hit.until > now) return hit.mailbox;
  const mailbox = await findMailboxByAddress(deps.db, address);
  if (mailbox) {
    if (cache.size > 10_000) cache.clear();
    cache.set(address, { mailbox, until: now + MAILBOX_TTL_MS });
  } else cache.delete(address);
  return mailbox;
}

/** The mailboxes among these addresses (each once), whichever workspaces they belong to. */
export async function mailboxesFor(deps: Deps, addresses: string[]): Promise<Mailbox[]> {
  const found = new Map<number, Mailbox>();
  for (const address of new Set(addresses.map((a) => a.trim().toLowerCase()))) {
    const mailbox = await mailboxByAddress(deps, address);
    if (mailbox) found.set(mailbox.id, mailbox);
  }
  return [...found.values()];
}

export async function parseOrRefuse(raw: Buffer): Promise<ParsedEmail | Refusal> {
  try {
    return await parseEmail(raw);
  } catch {
    return { smtpCode: 550, message: '5.6.0 The message could not be read (broken MIME)', permanent: true };
  }
}

const refusals: Record<string, Refusal> = {
  SENDER_REFUSED: { smtpCode: 550, message: '5.7.1 Mail from this sender is refused', permanent: true },
  INVALID_EMAIL: { smtpCode: 550, message: '5.6.0 The message has no sender address', permanent: true },
  RATE_LIMITED: {
    smtpCode: 451,
    message: '4.7.1 Too many mails from this sender; try later',
    permanent: false,
  },
  ATTACHMENT_TOO_LARGE: { smtpCode: 552, message: '5.3.4 An attachment is too large', permanent: true },
  ATTACHMENTS_TOO_LARGE: { smtpCode: 552, message: '5.3.4 The attachments are too large', permanent: true },
};

export function refusalOf(code: string, message: string): Refusal {
  return refusals[code] ?? { smtpCode: 451, message: `4.3.0 ${message}`, permanent: false };
}

/**
 * A raw mail for these recipients into each of their mailboxes. Undefined when all committed; otherwise the
 * refusal to answer (a temporary one wins over a permanent one: the sender retries, and the mailboxes that
 * already committed deduplicate the retry).
 */
export async function deliverToMailboxes(
  deps: Deps,
  raw: Buffer,
  recipients: string[],
): Promise<Refusal | undefined> {
  const mailboxes = await mailboxesFor(deps, recipients);
  if (mailboxes.length === 0)
    return { smtpCode: 550, message: '5.1.1 No such mailbox here', permanent: true };
  const parsed = await parseOrRefuse(raw);
  if ('smtpCode' in parsed) return parsed;
  let refusal: Refusal | undefined;
  for (const mailbox of mailboxes) {
    const result = await receiveEmail(deps, mailbox, parsed, raw);
    if (result.ok) continue;
    const r = refusalOf(result.code, result.message);
    if (!refusal || !r.permanent) refusal = r;
  }
  return refusal;
}

export type { Received };
