import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startFakeSmtp } from '../../test/support/smtp.js';
import { addressOf, createMailer, isPermanentMailFailure, MailNotConfigured } from './mailer.js';

const smtp = await startFakeSmtp();
after(() => smtp.close());

describe('mailer', () => {
  test('without STEWARD_SMTP_URL it is not configured, and sending is a bug that says so', async () => {
    const mailer = createMailer({});
    assert.equal(mailer.configured, false);
    await assert.rejects(
      mailer.send({ to: 'a@example.test', subject: 's', text: 't', messageId: '<x@y>' }),
      MailNotConfigured,
    );
  });

  test('sends through the SMTP server with our Message-ID, headers and sender', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'Acme Support <support@acme.test>' });
    assert.equal(mailer.configured, true);
    const messageId = mailer.messageIdFor('job-1-42');
    assert.equal(messageId, '<job-1-42@acme.test>');
    const sent = await mailer.send({
      to: 'pat@example.test',
      subject: 'Hello Pat',
      text: 'Plain words.',
      html: '<p>Plain words.</p>',
      messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    assert.deepEqual(sent.accepted, ['pat@example.test']);
    const mail = smtp.received.at(-1)!;
    assert.deepEqual(mail.to, ['pat@example.test']);
    assert.equal(mail.from, 'support@acme.test');
    assert.equal(mail.headers.subject, 'Hello Pat');
    assert.equal(mail.headers['message-id'], '<job-1-42@acme.test>');
    assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    assert.match(mail.headers.from!, /Acme Support <support@acme\.test>/);
    assert.match(mail.raw, /Plain words\./);
    mailer.close();
  });

  test('a 4xx refusal is worth a retry, a 5xx is final', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'support@acme.test' });
    const send = () =>
      mailer.send({ to: 'x@example.test', subject: 's', text: 't', messageId: '<1@acme.test>' });
    smtp.rcpt = () => ({ code: 451, message: 'Try again later' });
    const transient = await send().catch((e: unknown) => e);
    assert.equal((transient as { responseCode?: number }).responseCode, 451);
    assert.equal(isPermanentMailFailure(transient), false);
    smtp.rcpt = () => ({ code: 550, message: 'No such user' });
    const permanent = await send().catch((e: unknown) => e);
    assert.equal(isPermanentMailFailure(permanent), true);
    smtp.rcpt = () => undefined;
    assert.equal(isPermanentMailFailure(new Error('connect ECONNREFUSED')), false);
    assert.equal(isPermanentMailFailure({ responseCode: 503 }), false);
    mailer.close();
  });

  test('a server that is not there is a transient failure', async () => {
    const mailer = createMailer(
      { smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'a@b.test' },
      { timeoutMs: 2_000 },
    );
    const err = await mailer
      .send({ to: 'x@example.test', subject: 's', text: 't', messageId: '<2@b.test>' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.equal(isPermanentMailFailure(err), false);
  });

  test('addressOf reads the address of a sender', () => {
    assert.equal(addressOf('Acme <support@acme.test>'), 'support@acme.test');
    assert.equal(addressOf('support@acme.test'), 'support@acme.test');
  });
});
