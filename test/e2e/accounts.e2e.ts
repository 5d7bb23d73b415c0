import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { startSteward } from '../../src/boot.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../support/database.js';
import { startFakeSmtp } from '../support/smtp.js';
import { admin, axe, collectProblems, freePort, startE2e } from './support.js';

/**
 * Accounts in a real browser: the first start's setup on a fresh Steward; forgot password → the mail → a new
 * password → sign in; invite → the mail → accept → signed in; an API token created and shown once; my account.
 * Mail goes to a real SMTP server on loopback, and each journey reads its link out of the mail received.
 */
const smtp = await startFakeSmtp();
after(() => smtp.close());

const port = await freePort();
const { base, browser, apiCall } = await startE2e({
  env: {
    PORT: String(port),
    STEWARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    STEWARD_SMTP_URL: smtp.url,
    STEWARD_MAIL_FROM: 'Steward <steward@example.test>',
    STEWARD_WORKERS: 'on', // mails are jobs
    STEWARD_JOB_POLL_MS: '50',
  },
});

/** The newest link of this kind in a mail to `to`, waiting for the mail to arrive. */
async function linkFromMail(to: string, path: string, after = 0): Promise<string> {
  const pattern = new RegExp(`http://127\\.0\\.0\\.1:${port}${path}#token=[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = smtp.received.filter((m) => m.to.includes(to));
    const match = mails.length > after ? pattern.exec(mails.at(-1)!.text) : null;
    if (match) return match[0];
    if (Date.now() > deadline) throw new Error(`no mail with ${path} to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function check(page: Page, name: string): Promise<void> {
  assert.deepEqual(await axe(page), [], `${name}: no serious or critical axe violations`);
  await page.screenshot({ path: `test-results/accounts-${name}.png`, fullPage: true });
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Workspace').fill('default');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}

test('a fresh Steward shows the setup page; it creates the workspace and its owner, signed in, once', async () => {
  const database = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STEWARD_WORKERS: 'off',
    LOG_LEVEL: 'silent',
    STEWARD_SMTP_PORT: 'off',
  });
  const fresh = await startSteward(config, pino({ level: 'silent' }), { listen: true, database });
  after(async () => {
    await fresh.stop();
    await database.drop();
  });
  assert.equal(fresh.firstStart.workspace, undefined, 'no workspace without STEWARD_ADMIN_*');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = collectProblems(page, [401]);
  await page.goto(fresh.url!);
  await page.getByRole('heading', { name: 'Set up Steward' }).waitFor();
  await page.getByLabel('Workspace name').fill('Acme Support');
  assert.equal(await page.getByLabel('Workspace address').inputValue(), 'acme-support');
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('Your e-mail address').fill('grace@example.com');
  await page.getByLabel('Your password').fill('a long enough password');
  await page.getByLabel('The same password again').fill('a long enough password');
  // A first-time visitor can try Steward on demo data straight away, and take a conversation to solved.
  await page.getByLabel(/^Add demo conversations/).check();
  await check(page, 'setup');
  await page.getByRole('button', { name: 'Create workspace and sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor({ timeout: 120_000 });
  await page.reload();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.row-subject').length >= 10);
  const subject = (await page.locator('.row-subject').first().textContent()) ?? '';
  await page.locator('.row-link').first().click();
  await page.getByRole('heading', { level: 1, name: subject }).waitFor();
  await page.locator('#composer-body').fill('Thank you, this is sorted now.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.locator('.msg-outbound', { hasText: 'sorted now' }).waitFor();
  await page.getByRole('button', { name: 'Solve', exact: true }).click();
  await page.locator('.conversation-facts .badge', { hasText: 'Solved' }).waitFor();
  const again = await fetch(`${fresh.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workspaceName: 'Again',
      name: 'E',
      email: 'e@example.com',
      password: 'long enough pw',
    }),
  });
  assert.equal(again.status, 409);
  await context.close();
  assert.deepEqual(problems, []);
});

test('forgot password → mail → a new password → sign in with it', async () => {
  const email = 'forgetful@example.com';
  await apiCall('POST', '/people', { email, name: 'Fran', role: 'agent', password: 'the old passphrase' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = collectProblems(page, [401]);
  await page.goto(base);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
  await page.getByLabel('E-mail address').fill(email);
  await check(page, 'forgot');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

  const link = await linkFromMail(email, '/reset-password');
  await page.goto(link);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill('my brand new passphrase');
  await page.getByLabel('The same password again').fill('my brand new passphrase');
  await check(page, 'reset');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('Your new password is set').waitFor();
  await signIn(page, email, 'my brand new passphrase');

  // The link was used up.
  await page.locator('.usermenu summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
  await page.getByLabel('The same password again').fill('yet another passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByText('This link does not work any more').waitFor();
  await context.close();
  assert.deepEqual(
    problems.filter((p) => !/status of 400/.test(p)),
    [],
  );
});

const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const adminPage = await adminContext.newPage();
after(() => adminContext.close());

test('invite → mail → accept: the colleague chooses a password and is signed in', async () => {
  const team = await apiCall<{ id: number }>('POST', '/teams', { name: 'Billing' });
  const page = adminPage;
  const problems = collectProblems(page, [401]);
  await page.goto(base);
  await signIn(page, admin.email, admin.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  await page.getByText('No invitation is waiting to be accepted.').waitFor();
  const form = page.getByRole('form', { name: 'Invite a colleague' });
  await form.getByLabel('Name').fill('Ivy Ingram');
  await form.getByLabel('E-mail address').fill('ivy@example.com');
  await form.getByLabel('Role').selectOption('lead');
  await form.getByRole('checkbox', { name: 'Billing' }).check();
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText('An invitation is on its way to ivy@example.com').waitFor();
  await page.getByRole('button', { name: 'Resend to Ivy Ingram' }).waitFor();
  await check(page, 'invitations');

  const link = await linkFromMail('ivy@example.com', '/accept-invitation');
  const guest = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const invited = await guest.newPage();
  const guestProblems = collectProblems(invited, [401]);
  await invited.goto(link);
  await invited.getByRole('heading', { name: 'Join My company' }).waitFor();
  await invited.getByText('ivy@example.com').waitFor();
  assert.equal(await invited.getByLabel('Your name').inputValue(), 'Ivy Ingram');
  await invited.getByLabel('Choose a password').fill('ivy chooses her own');
  await invited.getByLabel('The same password again').fill('ivy chooses her own');
  await check(invited, 'accept');
  await invited.getByRole('button', { name: 'Join and sign in' }).click();
  await invited.getByRole('heading', { name: 'Inbox' }).waitFor();
  await invited.getByText('Ivy Ingram', { exact: true }).first().waitFor();
  await guest.close();

  const people = await apiCall<{ items: Array<{ email: string; status: string; id: number }> }>(
    'GET',
    '/people',
  );
  const ivy = people.items.find((p) => p.email === 'ivy@example.com');
  assert.equal(ivy?.status, 'active');
  const billing = await apiCall<{ memberIds: number[] }>('GET', `/teams/${team.id}`);
  assert.ok(billing.memberIds.includes(ivy!.id));
  await page.reload();
  await page.getByText('No invitation is waiting to be accepted.').waitFor();
  assert.deepEqual([...problems, ...guestProblems], []);
});

test('Admin → API tokens: create one with scopes; its value is shown once, with a copy button, and works', async () => {
  const page = adminPage;
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
  await page.getByLabel('Name').fill('CRM sync');
  await page.getByRole('checkbox', { name: 'conversations:read' }).check();
  await page.getByRole('checkbox', { name: 'customers:read' }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const box = page.locator('.secret-box');
  await box.getByText('it will not be shown again').waitFor();
  await box.getByRole('button', { name: 'Copy token' }).waitFor();
  const value = await page.getByLabel('API token CRM sync').inputValue();
  assert.match(value, /^stw_/);
  await check(page, 'token-created');
  const res = await fetch(`${base}/api/v1/conversations`, { headers: { authorization: `Bearer ${value}` } });
  assert.equal(res.status, 200);
  const denied = await fetch(`${base}/api/v1/teams`, { headers: { authorization: `Bearer ${value}` } });
  assert.equal(denied.status, 403, 'only the ticked scopes');
  await page.getByRole('row', { name: /CRM sync/ }).waitFor();

  await page.getByRole('button', { name: 'I have stored it: hide the token' }).click();
  assert.equal(await page.content().then((html) => html.includes(value)), false);
  await page.reload();
  await page.getByRole('row', { name: /CRM sync/ }).waitFor();
  assert.equal(await page.content().then((html) => html.includes(value)), false, 'never shown again');
});

test('my account: sign out everywhere else, then change the password (signed out, the new one works)', async () => {
  const page = adminPage;
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(base);
  await signIn(otherPage, admin.email, admin.password);

  await page.locator('.usermenu summary').click();
  await page.getByRole('link', { name: 'My account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  await page.locator('.account-facts').getByText(admin.email).waitFor();
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /other session/ })
    .waitFor();
  const otherSession = await otherPage.evaluate(async () => (await fetch('/api/v1/session')).status);
  assert.equal(otherSession, 401);
  await other.close();
  await check(page, 'my-account');

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('the admin has a new one');
  await page.getByLabel('The new password again').fill('the admin has a new one');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('The current password is not right').waitFor();
  await page.getByLabel('Current password').fill(admin.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('Your password is changed').waitFor();
  await signIn(page, admin.email, 'the admin has a new one');
});
