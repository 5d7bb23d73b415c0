import type { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';

/**
 * Outgoing e-mail for everything that sends it (notifications now, channel replies later): one SMTP relay
 * named by STEWARD_SMTP_URL (`smtp://user:pass@host:587`, STARTTLS when offered, or `smtps://…:465`) and one
 * sender (STEWARD_MAIL_FROM). Without them nothing is sent and nothing fails: callers ask `configured` and
 * leave e-mail out.
 *
 * Sending is a side effect outside the database: call `send` from an `external` job, which may run it more
 * than once. Give every mail a Message-ID made from the job's idempotency key (`messageIdFor`), so a repeat
 * is the same message to the receiving side.
 */
export type MailSettings = { smtpUrl?: string; mailFrom?: string };

export type OutgoingMail = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** `<…@…>`: from `messageIdFor(key)`; stable across retries. */
  messageId: string;
  headers?: Record<string, string>;
  replyTo?: string;
  inReplyTo?: string;
  references?: string[];
  /** Instead of STEWARD_MAIL_FROM: a workspace's support address (the relay must allow it). */
  from?: { name: string; address: string };
  cc?: string[];
  bcc?: string[];
  attachments?: { filename: string; contentType: string; content: Buffer | Readable }[];
};

export type SentMail = { messageId: string; accepted: string[]; rejected: string[]; response: string };

export type Mailer = {
  readonly configured: boolean;
  /** A Message-ID for this key, in the sender's domain: `<key@domain>`. */
  messageIdFor(key: string): string;
  /** Sends, or throws (SMTP errors carry `responseCode`; see `isPermanentMailFailure`). */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
};

export class MailNotConfigured extends Error {
  constructor() {
    super('No SMTP server is configured (STEWARD_SMTP_URL, STEWARD_MAIL_FROM)');
  }
}

/** The address part of `Name <address>` or a bare address. */
export function addressOf(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}

/**
 * The remote server said no for good (5xx other than 503), or every recipient was refused for good: retrying
 * the same mail cannot help. Connection failures, timeouts and 4xx answers are worth another try.
 */
export function isPermanentMailFailure(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { responseCode?: number; code?: string };
  if (e.code === 'EENVELOPE' && e.responseCode === undefined) return true; // refused before sending (bad address)
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 503;
}

export type MailerOptions = {
  /** Give up on a silent server after this long (ms); a retry comes later. */
  timeoutMs?: number;
};

export function createMailer(settings: MailSettings, options: MailerOptions = {}): Mailer {
  const { smtpUrl, mailFrom } = settings;
  const configured = Boolean(smtpUrl && mailFrom);
  const domain = mailFrom ? (addressOf(mailFrom).split('@')[1] ?? 'steward.invalid') : 'steward.invalid';
  const timeoutMs = options.timeoutMs ?? 30_000;
  let transport: Transporter | undefined;

  function transporter(): Transporter {
    if (!smtpUrl || !mailFrom) throw new MailNotConfigured();
    transport ??= nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 2,
      // What we send is built by us; never let content make the library read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return transport;
  }

  return {
    configured,
    messageIdFor(key: string) {
      return `<${key.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}>`;
    },
    async send(mail) {
      const info = await transporter().sendMail({
        from: mail.from ?? mailFrom,
        to: mail.to,
        cc: mail.cc,
        bcc: mail.bcc,
        attachments: mail.attachments,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
        replyTo: mail.replyTo,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
      });
      const list = (v: unknown) =>
        (Array.isArray(v) ? v : []).map((a) =>
          typeof a === 'string' ? a : String((a as { address?: string }).address),
        );
      return {
        messageId: String(info.messageId ?? mail.messageId),
        accepted: list(info.accepted),
        rejected: list(info.rejected),
        response: String(info.response ?? ''),
      };
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}
