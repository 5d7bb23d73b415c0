import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A mail as the fake remote server received it. */
export type ReceivedMail = {
  from: string;
  to: string[];
  headers: Record<string, string>;
  /** The body, quoted-printable soft breaks and escapes undone. */
  text: string;
  raw: string;
};

export type FakeSmtp = {
  url: string;
  received: ReceivedMail[];
  /**
   * Decides each recipient: return an SMTP reply code and text to refuse it (451: try later, 550: never),
   * or nothing to accept it.
   */
  rcpt: (address: string) => { code: number; message: string } | undefined;
  close(): Promise<void>;
};

function decodeQuotedPrintable(body: string): string {
  return body
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
}

function parse(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const qp = /quoted-printable/i.test(headers['content-transfer-encoding'] ?? '');
  return { from, to, headers, text: qp ? decodeQuotedPrintable(body) : body, raw };
}

/** A real SMTP server on loopback, playing the remote mail server (no TLS, no authentication). */
export async function startFakeSmtp(): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const fake: FakeSmtp = {
    url: '',
    received,
    rcpt: () => undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = fake.rcpt(address.address);
      if (!refusal) return callback();
      const err = new Error(refusal.message) as Error & { responseCode: number };
      err.responseCode = refusal.code;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        received.push(parse(Buffer.concat(chunks).toString('utf8'), from, to));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  fake.url = `smtp://127.0.0.1:${port}`;
  return fake;
}
