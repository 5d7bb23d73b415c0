import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';

/** A raw RFC 822 mail with CRLF line ends; `headers` are written as given (tests shape them on purpose). */
export function rawMail(options: {
  from: string;
  to?: string;
  subject: string;
  body?: string;
  /** The body as bytes (a charset other than UTF-8), instead of `body`. */
  bodyBytes?: Buffer;
  messageId?: string | null;
  headers?: Record<string, string>;
}): Buffer {
  const lines = [
    `From: ${options.from}`,
    `To: ${options.to ?? 'support@acme.test'}`,
    `Subject: ${options.subject}`,
    'Date: Mon, 02 Mar 2026 09:00:00 +0000',
  ];
  if (options.messageId !== null)
    lines.push(`Message-ID: ${options.messageId ?? `<${randomBytes(8).toString('hex')}@mail.example>`}`);
  for (const [k, v] of Object.entries(options.headers ?? {})) lines.push(`${k}: ${v}`);
  if (!Object.keys(options.headers ?? {}).some((k) => k.toLowerCase() === 'content-type'))
    lines.push('Content-Type: text/plain; charset=utf-8');
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
  const body = options.bodyBytes ?? Buffer.from((options.body ?? 'Hello').replace(/\r?\n/g, '\r\n'));
  return Buffer.concat([head, body, Buffer.from('\r\n')]);
}

/** Posts a raw mail to a mailbox's HTTP intake. */
export async function postMail(app: FastifyInstance, mailbox: { id: number; secret: string }, raw: Buffer) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/mailboxes/${mailbox.id}/inbound`,
    headers: { authorization: `Bearer ${mailbox.secret}`, 'content-type': 'message/rfc822' },
    payload: raw,
  });
}

/** A client of Steward's SMTP port, as a customer's mail server would be. */
export function smtpClient(port: number) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
}
