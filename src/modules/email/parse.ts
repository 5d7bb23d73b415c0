import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment, type HeaderValue, simpleParser } from 'mailparser';

/** A received mail as Steward uses it: parsed by mailparser, headers read once, nothing decided yet. */
export type ParsedEmail = {
  /** The Message-ID, or `sha256:<hex>` of the content when the sender gave none (retries dedupe on it). */
  externalId: string;
  hasMessageId: boolean;
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  subject: string;
  inReplyTo: string | undefined;
  references: string[];
  /** Outlook's Thread-Index root (its first 22 bytes, base64) and whether this mail is a reply in it. */
  threadIndex: { root: string; isReply: boolean } | undefined;
  text: string;
  html: string | undefined;
  attachments: ReceivedFile[];
  /** Sent by a machine: Auto-Submitted, Precedence bulk/list/junk, an auto-reply header, a mailer-daemon. */
  automatic: boolean;
  /** An upstream filter said spam (X-Spam-Flag: YES, X-Spam-Status: Yes). */
  spam: boolean;
  /** A delivery status notification: the Message-ID it reports on and why. */
  bounce: { originalMessageId: string | undefined; reason: string } | undefined;
};

export type ReceivedFile = {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
  /** Content-ID of an inline image the HTML shows as `cid:`. */
  cid: string | undefined;
};

const addresses = (v: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((a) => a.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .map((a) => a.address?.trim().toLowerCase() ?? '')
    .filter((a) => a.includes('@'));

const headerText = (v: HeaderValue | undefined): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return String(v);
};

/** `<id>` as written, angle brackets kept (that is how Message-IDs are compared everywhere). */
function messageIds(v: string | string[] | undefined): string[] {
  const all = (Array.isArray(v) ? v.join(' ') : (v ?? '')).match(/<[^<>\s]+>/g) ?? [];
  return [...new Set(all)].slice(-50);
}

function threadIndexOf(header: string): ParsedEmail['threadIndex'] {
  const value = header.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/=]{30,}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 22) return undefined;
  // Each reply appends 5 bytes to the 22 of the thread's first mail.
  return { root: bytes.subarray(0, 22).toString('base64'), isReply: bytes.length > 22 };
}

const AUTOMATIC_FROM = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i;

function isAutomatic(headers: Map<string, HeaderValue>, from: string | undefined): boolean {
  const auto = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  if (/^(bulk|list|junk|auto_reply)$/i.test(headerText(headers.get('precedence')).trim())) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('list-id')) return true;
  if (/\b(all|oof|autoreply)\b/i.test(headerText(headers.get('x-auto-response-suppress')))) return true;
  return from !== undefined && AUTOMATIC_FROM.test(from);
}

function isSpam(headers: Map<string, HeaderValue>): boolean {
  return (
    /^\s*yes\b/i.test(headerText(headers.get('x-spam-flag'))) ||
    /^\s*yes\b/i.test(headerText(headers.get('x-spam-status')))
  );
}

function bounceOf(
  headers: Map<string, HeaderValue>,
  attachments: Attachment[],
  from: string | undefined,
  text: string,
): ParsedEmail['bounce'] {
  const type = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport =
    type?.value?.toLowerCase() === 'multipart/report' &&
    (type.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  if (!isReport && !(from && /^(mailer-daemon|postmaster)@/i.test(from))) return undefined;
  const parts = attachments.map((a) => a.content.toString('utf8', 0, Math.min(a.content.length, 65_536)));
  const all = [...parts, text].join('\n');
  const original = /^(?:Message-ID|Message-Id):\s*(<[^<>\s]+>)/im.exec(parts.join('\n'))?.[1];
  const reason =
    /^Diagnostic-Code:\s*(?:smtp;\s*)?(.+)$/im.exec(all)?.[1]?.trim() ??
    /^Status:\s*(\d\.\d+\.\d+)/im.exec(all)?.[1] ??
    'The receiving server returned the message';
  return { originalMessageId: original, reason: reason.slice(0, 500) };
}

/**
 * Parses a raw RFC 822 message. Lenient like mail clients (mailparser decodes charsets and encodings and
 * tolerates much); what it cannot read at all throws, and the caller refuses the mail.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, {
    keepCidLinks: true,
    // What we never use costs most: the text turned into linkified HTML.
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: 5_000_000,
  });
  const headers = mail.headers;
  const fromValue = mail.from?.value.find((a) => a.address);
  const from = fromValue?.address
    ? { address: fromValue.address.trim().toLowerCase(), name: (fromValue.name ?? '').trim() }
    : null;
  const text = (mail.text ?? '').replace(/\r\n/g, '\n');
  const html = typeof mail.html === 'string' ? mail.html : undefined;
  const ids = messageIds(mail.messageId);
  const subject = (mail.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  const externalId =
    ids[0] ??
    `sha256:${createHash('sha256')
      .update([from?.address ?? '', headerText(headers.get('date')), subject, text].join('\u0000'))
      .digest('hex')}`;
  const bounce = bounceOf(headers, mail.attachments, from?.address, text);
  return {
    externalId,
    hasMessageId: ids.length > 0,
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject,
    inReplyTo: messageIds(mail.inReplyTo)[0],
    references: messageIds(mail.references),
    threadIndex: threadIndexOf(headerText(headers.get('thread-index'))),
    text,
    html,
    attachments: bounce
      ? []
      : mail.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
          cid: a.related && a.cid ? a.cid : undefined,
        })),
    automatic: isAutomatic(headers, from?.address) || bounce !== undefined,
    spam: isSpam(headers),
    bounce,
  };
}
