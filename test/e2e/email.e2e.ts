import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { smtpClient } from '../support/mail.js';
import { startFakeSmtp } from '../support/smtp.js';
import { admin, axe, collectProblems, startE2e } from './support.js';

/**
 * E-mail from a newcomer's point of view: the admin adds a support address in the web app, a customer's
 * mail arrives over SMTP, the agent answers it in the browser with a copy to a colleague, the reply reaches
 * the relay threaded and shows as sent; the customer's answer lands in the same conversation live.
 */
const relay = await startFakeSmtp();
after(() => relay.close());
const { base, browser, smtpPort } = await startE2e({
  env: {
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
    STEWARD_SMTP_PORT: '0',
    STEWARD_SMTP_URL: relay.url,
    STEWARD_MAIL_FROM: 'Steward <steward@acme.test>',
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
