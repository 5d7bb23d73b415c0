import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Deps } from '../../platform/index.js';
import { deliverToMailboxes, emailMaxBytes, mailboxesFor, type Refusal } from './deliver.js';

export type MailListener = { port: number; close(): Promise<void> };

/** An SMTP reply carrying its code: smtp-server answers with `responseCode` and the message. */
function smtpError(refusal: Refusal): Error & { responseCode: number } {
  return Object.assign(new Error(refusal.message), { responseCode: refusal.smtpCode });
}

async function readLimited(stream: SMTPServerDataStream, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  }
  return stream.sizeExceeded || size > max ? undefined : Buffer.concat(chunks);
}

/**
 * Steward's own SMTP server for the support addresses. Unknown recipients are refused at RCPT (550), an
 * oversized mail at DATA (552), and the end of DATA is answered only after every addressed mailbox committed
 * the mail (250), or with 451 when something failed for now: the sender keeps it and retries, and the retry
 * is deduplicated. No authentication and no relaying: it accepts mail for its mailboxes only.
 */
export async function startMailListener(
  deps: Deps,
  options: { port: number; host: string },
): Promise<MailListener> {
  const max = emailMaxBytes(deps);
  const log = deps.log.child({ component: 'smtp' });
  const server = new SMTPServer({
    name: 'steward',
    banner: 'Steward ESMTP',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: max,
    maxClients: 200,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      mailboxesFor(deps, [address.address]).then(
        (found) => {
          if (found.length === 0)
            return callback(
              smtpError({ smtpCode: 550, message: '5.1.1 No such mailbox here', permanent: true }),
            );
          callback();
        },
        (err) => {
          log.error({ err }, 'recipient lookup failed');
          callback(smtpError({ smtpCode: 451, message: '4.3.0 Try again later', permanent: false }));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      readLimited(stream, max)
        .then(async (raw) => {
          if (!raw)
            return callback(smtpError({ smtpCode: 552, message: '5.3.4 Message too big', permanent: true }));
          const refusal = await deliverToMailboxes(deps, raw, recipients);
          if (refusal) return callback(smtpError(refusal));
          callback(null, '2.0.0 Stored');
        })
        .catch((err) => {
          log.error({ err }, 'receiving a mail failed');
          callback(smtpError({ smtpCode: 451, message: '4.3.0 Try again later', permanent: false }));
        });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'smtp connection error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, host: options.host }, `receiving mail by SMTP on port ${port}`);
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
