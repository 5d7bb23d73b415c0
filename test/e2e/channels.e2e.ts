import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startFakeImap } from '../support/imap.js';
import { rawMail, smtpClient } from '../support/mail.js';
import { startFakeSmtp } from '../support/smtp.js';
import { admin, axe, collectProblems, startE2e } from './support.js';

/**
 * E-mail from a newcomer's point of view: the admin adds a support address in the web app, a customer's
 * mail arrives over SMTP, the agent answers it in the browser with a copy to a colleague, the reply reaches
 * the relay threaded and shows as sent; the customer's answer lands in the same conversation live.
 */
const relay = await startFakeSmtp();
after(() => relay.close());
const imap = await startFakeImap(['Support']);
after(() => imap.close());
const { base, browser, smtpPort } = await startE2e({
  env: {
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
    STEWARD_SMTP_PORT: '0',
    STEWARD_SMTP_URL: relay.url,
    STEWARD_MAIL_FROM: 'Steward <steward@acme.test>',
    // The remote IMAP server of this test listens on loopback without TLS.
    STEWARD_IMAP_ALLOW_INSECURE: 'true',
  },
});
assert.ok(smtpPort, 'the SMTP server listens');
const client = smtpClient(smtpPort);
after(() => client.close());
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const problems = collectProblems(page);

test('the admin adds a support address', async () => {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.goto(`${base}/admin/email`);
  await page.getByRole('button', { name: 'Add a support address' }).click();
  await page.getByLabel('Address', { exact: true }).fill('help@acme.test');
  await page.getByLabel('Sender name').fill('Acme Help');
  await page.getByLabel(/Send an acknowledgement/).check();
  await page.getByRole('button', { name: 'Add address' }).click();
  await page.getByText(/The inbound secret of/).waitFor();
  await page.getByRole('cell', { name: 'help@acme.test', exact: true }).waitFor();
  assert.deepEqual(await axe(page), []);
});

test('a mail arrives by SMTP and is answered from the browser, threaded', async () => {
  const sent = await client.sendMail({
    from: 'Nora Customer <nora@example.org>',
    to: 'help@acme.test',
    subject: 'Parcel damaged',
    text: 'The box arrived crushed.',
    messageId: '<nora-1@example.org>',
  });
  assert.match(sent.response, /^250/);
  await page.goto(base);
  await page
    .getByRole('link', { name: /Parcel damaged/ })
    .first()
    .click();
  await page.getByText('The box arrived crushed.').waitFor();
  await page.getByText('From nora@example.org').waitFor();
  assert.equal(await page.getByLabel('Send via').inputValue(), 'email');
  await page.getByLabel('Cc', { exact: true }).fill('boss@acme.test');
  await page.getByRole('textbox', { name: /Reply to/ }).fill('Sorry about that, a new one is on its way.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByText(/^Sent/).waitFor({ timeout: 15_000 });
  const out = relay.received.find((m) => m.text.includes('a new one is on its way'));
  assert.ok(out, 'the reply reached the relay');
  assert.equal(out.headers['in-reply-to'], '<nora-1@example.org>');
  assert.ok(out.to.includes('boss@acme.test'));
  assert.ok(
    relay.received.some((m) => m.headers['auto-submitted'] === 'auto-replied'),
    'acknowledged',
  );

  await client.sendMail({
    from: 'nora@example.org',
    to: 'help@acme.test',
    subject: 'Re: thanks',
    text: 'Thank you!',
    inReplyTo: out.headers['message-id'],
  });
  await page.getByText('Thank you!').waitFor({ timeout: 10_000 });
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/email-conversation.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('the admin has a mailbox fetched by IMAP; its new mail becomes a conversation', async () => {
  await page.goto(`${base}/admin/email`);
  await page.getByRole('button', { name: 'IMAP… help@acme.test' }).click();
  await page.getByLabel('IMAP server').fill('127.0.0.1');
  await page.getByLabel('Security').selectOption('none');
  await page.getByLabel('Port').fill(String(imap.port));
  await page.getByLabel('User name').fill(imap.user);
  await page.getByLabel('Password').fill(imap.password);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByText('Signed in: 2 folders').waitFor();
  await page.getByRole('checkbox', { name: 'Support' }).check();
  assert.equal(await page.getByLabel('Folders to fetch').inputValue(), 'INBOX, Support');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Start fetching' }).click();
  await page.getByText(/^Working/).waitFor({ timeout: 15_000 });
  await imap.append(
    rawMail({
      from: 'Olga Buyer <olga@example.org>',
      to: 'help@acme.test',
      subject: 'Invoice twice',
      body: 'I was charged twice for order 8812.',
    }),
    { folder: 'Support' },
  );
  await page.getByRole('button', { name: 'Poll now' }).click();
  await page.getByText(/1 message taken in/).waitFor({ timeout: 15_000 });
  assert.ok(
    (await imap.list('Support')).every((m) => m.flags.includes('\\Seen')),
    'marked read on the server once stored',
  );
  await page.getByRole('cell', { name: '127.0.0.1', exact: true }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/imap-settings.png', fullPage: true });
  await page.goto(base);
  await page
    .getByRole('link', { name: /Invoice twice/ })
    .first()
    .click();
  await page.getByText('I was charged twice for order 8812.').waitFor();
  assert.deepEqual(problems, []);
});

test('the agent logs a phone call on the conversation', async () => {
  await page.goto(base);
  await page
    .getByRole('link', { name: /Parcel damaged/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Log a call…' }).click();
  await page.getByLabel('Minutes').fill('3');
  await page.getByLabel('Seconds').fill('30');
  await page.getByLabel('Outcome').selectOption('resolved');
  await page.getByLabel('Notes').fill('Called Nora, replacement confirmed.');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Log call' }).click();
  await page.getByText('Called Nora, replacement confirmed.').waitFor();
  await page.getByText('Outbound call · 3:30 · Resolved on the call').waitFor();
});

test('the agent forwards the conversation to a supplier; the customer gets nothing', async () => {
  const before = relay.received.length;
  await page.getByRole('button', { name: 'Forward…' }).click();
  await page.getByLabel('To', { exact: true }).fill('supplier@example.net');
  await page.getByLabel('Your note').fill('Please send a new box.');
  await page.getByRole('button', { name: 'Forward', exact: true }).click();
  await page.getByText('Forwarded to supplier@example.net').waitFor();
  await page.locator('.msg-note').getByText(/^Sent/).waitFor({ timeout: 15_000 });
  const since = relay.received.slice(before);
  assert.ok(!since.some((m) => m.to.includes('nora@example.org')), 'nothing to the customer');
  // (The IMAP mail of the test before may be acknowledged to its sender meanwhile: not this forward's mail.)
  const out = since.filter((m) => m.headers['auto-submitted'] !== 'auto-replied');
  assert.deepEqual(
    out.map((m) => m.to),
    [['supplier@example.net']],
  );
  assert.match(out[0]!.text, /Thank you!/, 'the customer’s last mail is quoted');
});

test('the admin adds a messaging bridge; its secret is shown once', async () => {
  await page.goto(`${base}/admin/bridges`);
  await page.getByLabel('Name').fill('SMS gateway');
  await page.getByLabel('Channel').selectOption('sms');
  await page.getByRole('button', { name: 'Add bridge' }).click();
  await page.getByText(/The secret of/).waitFor();
  await page.getByRole('cell', { name: 'SMS gateway', exact: true }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.goto(`${base}/spam`);
  await page.getByRole('heading', { name: 'Spam' }).waitFor();
  await page.getByText('No spam.').waitFor();
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
});
