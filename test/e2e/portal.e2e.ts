import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeSmtp } from '../support/smtp.js';
import { admin, axe, collectProblems, freePort, startE2e } from './support.js';

/**
 * The web form and the customer portal in a real browser: a customer sends the hosted form with a file; the
 * agent sees it in the web app and replies; the customer asks for a sign-in link (read from the mail that
 * reached a real SMTP server on loopback), opens the portal, reads the reply, answers and proposes a
 * solution; the agent sees both.
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
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
  },
});

const customerEmail = 'jo.customer@example.com';
const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const agent = await agentContext.newPage();
const agentProblems = collectProblems(agent, [401]);
const customerContext = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'en-GB' });
const customer = await customerContext.newPage();
const customerProblems = collectProblems(customer, []);
let formUrl = '';
let snippet = '';
let conversationId = 0;

async function check(page: Page, name: string): Promise<void> {
  assert.deepEqual(await axe(page), [], `${name}: no serious or critical axe violations`);
  await page.screenshot({ path: `test-results/portal-${name}.png`, fullPage: true });
}

async function linkFromMail(to: string): Promise<string> {
  const pattern = new RegExp(`http://127\\.0\\.0\\.1:${port}/portal/default/auth#token=[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    // The newest sign-in mail (the reply's notice goes to the same address).
    const mail = smtp.received.filter((m) => m.to.includes(to) && pattern.test(m.text)).at(-1);
    const match = mail ? pattern.exec(mail.text) : null;
    if (match) return match[0];
    if (Date.now() > deadline) throw new Error(`no sign-in mail to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an admin creates a contact form and finds its link and embed snippet', async () => {
  await agent.goto(base);
  await agent.getByLabel('Workspace').fill('default');
  await agent.getByLabel('E-mail address').fill(admin.email);
  await agent.getByLabel('Password', { exact: true }).fill(admin.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
  await agent.goto(`${base}/admin/forms`);
  await agent.getByRole('heading', { name: 'Contact forms' }).waitFor();
  await agent.getByLabel('Name').fill('Write to us');
  await agent.getByRole('button', { name: 'Create contact form' }).click();
  const link = agent.getByLabel('Link to the hosted form');
  await link.waitFor();
  formUrl = await link.inputValue();
  assert.match(formUrl, new RegExp(`^${base}/forms/[A-Za-z0-9_-]{32}$`));
  snippet = await agent.getByLabel('Embed it on your site').inputValue();
  assert.match(snippet, /<iframe src=".*\?embed=1"/);
  await check(agent, 'admin-forms');
});

test('the customer sends the hosted form with a file; the agent sees it and replies', async () => {
  await customer.goto(formUrl);
  await customer.getByRole('heading', { name: 'Write to us' }).waitFor();
  await check(customer, 'form');
  await customer.getByLabel('Your name').fill('Jo Customer');
  await customer.getByLabel('Your e-mail address').fill(customerEmail);
  await customer.getByLabel('Subject (optional)').fill('The lamp flickers');
  await customer.getByLabel('Your message').fill('My new lamp flickers <b>every</b> evening.');
  const file = 'test-results/portal-receipt.txt';
  writeFileSync(file, 'Receipt 4711: one lamp');
  await customer.getByLabel(/^Attachments/).setInputFiles(file);
  await customer.getByRole('button', { name: 'Send' }).click();
  await customer.getByText('We have received your message').waitFor();

  const list = await apiCall<{ items: Array<{ id: number; subject: string; channel: string }> }>(
    'GET',
    '/conversations?limit=20',
  );
  const found = list.items.find((c) => c.subject === 'The lamp flickers');
  assert.ok(found, 'the form made a conversation');
  assert.equal(found.channel, 'webform');
  conversationId = found.id;

  await agent.goto(`${base}/conversations/${conversationId}`);
  await agent.getByRole('heading', { level: 1, name: 'The lamp flickers' }).waitFor();
  await agent.locator('.msg-inbound', { hasText: 'My new lamp flickers <b>every</b> evening.' }).waitFor();
  await agent.getByText('portal-receipt.txt').first().waitFor();
  const reply = agent.getByRole('textbox', { name: /^Reply to/ });
  await reply.fill('Sorry about that! Which model is it?');
  await agent.keyboard.press('Control+Enter');
  await agent.locator('.msg-outbound', { hasText: 'Which model is it?' }).waitFor();
});

test('the embeddable form works framed on an allowed site', async () => {
  // The shop's own site: another origin (another port) with the snippet from the admin page.
  const shop = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>${snippet}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => shop.close(() => resolve())));
  const shopOrigin = `http://127.0.0.1:${(shop.address() as { port: number }).port}`;
  const forms = await apiCall<{ items: Array<{ id: number }> }>('GET', '/contact-forms');
  await apiCall('PATCH', `/contact-forms/${forms.items[0]!.id}`, { allowedOrigins: [shopOrigin] });

  await customer.goto(shopOrigin);
  const frame = customer.frameLocator('iframe');
  await frame.getByRole('heading', { name: 'Write to us' }).waitFor();
  await frame.getByLabel('Your e-mail address').fill('framed@example.com');
  await frame.getByLabel('Subject (optional)').fill('Asked from the shop');
  await frame.getByLabel('Your message').fill('Do you ship to Norway?');
  await frame.getByRole('button', { name: 'Send' }).click();
  await frame.getByText('We have received your message').waitFor();
  const list = await apiCall<{ items: Array<{ subject: string; channel: string }> }>(
    'GET',
    '/conversations?limit=20',
  );
  assert.ok(list.items.some((c) => c.subject === 'Asked from the shop' && c.channel === 'webform'));

  // A site the form does not allow: the browser refuses to show the form in its frame.
  await apiCall('PATCH', `/contact-forms/${forms.items[0]!.id}`, {
    allowedOrigins: ['https://elsewhere.example'],
  });
  const refused = customer.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await customer.goto(shopOrigin);
  await refused;
  // Expected, and the only such line: take it out of the "nothing went wrong" list.
  const blocked = customerProblems.findIndex((x) => /frame-ancestors/.test(x));
  if (blocked >= 0) customerProblems.splice(blocked, 1);
  assert.equal(await frame.getByRole('heading', { name: 'Write to us' }).count(), 0);
});

test('the customer signs in by a magic link, reads the reply, answers and proposes a solution', async () => {
  // The agent's reply was announced by mail, with a link to the conversation in the portal.
  const deadline = Date.now() + 15_000;
  while (
    !smtp.received.some(
      (m) => m.to.includes(customerEmail) && /\/portal\/default\/conversations\/\d+/.test(m.text),
    )
  ) {
    assert.ok(Date.now() < deadline, 'a mail announcing the reply');
    await new Promise((r) => setTimeout(r, 100));
  }
  // The acknowledgement mail's link names no workspace: with one workspace, /portal is its portal.
  await customer.goto(`${base}/portal`);
  assert.equal(new URL(customer.url()).pathname, '/portal/default');
  await check(customer, 'sign-in');
  await customer.getByLabel('Your e-mail address').fill(customerEmail);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await customer.getByText('If we know this address').waitFor();
  const link = await linkFromMail(customerEmail);
  await customer.goto(link);
  await customer.getByRole('button', { name: 'Sign in' }).click();
  await customer.getByRole('heading', { name: 'Your requests' }).waitFor();
  await check(customer, 'requests');
  await customer.getByRole('link', { name: 'The lamp flickers' }).click();
  await customer.getByText('Sorry about that! Which model is it?').waitFor();
  await check(customer, 'conversation');
  await customer.getByLabel('Write a reply').fill('It is the Lumo 3.');
  await customer.getByRole('button', { name: 'Send reply' }).click();
  await customer.getByText('It is the Lumo 3.').waitFor();
  await customer.getByLabel('What would make this right?').fill('Send me a replacement lamp, please.');
  await customer.getByRole('button', { name: 'Send proposal' }).click();
  await customer.locator('.proposal', { hasText: 'Send me a replacement lamp' }).waitFor();
});

test('the agent sees the customer’s answer and proposal', async () => {
  await agent.locator('.msg-inbound', { hasText: 'It is the Lumo 3.' }).waitFor({ timeout: 10_000 });
  // No reload: the proposal's realtime push refreshes the page.
  const block = agent.getByRole('region', { name: 'The customer’s proposal' });
  await block.getByText('Send me a replacement lamp, please.').waitFor();
  await check(agent, 'agent-proposal');
});

test('the customer signs out; nothing went wrong in either browser', async () => {
  await customer.getByRole('button', { name: 'Sign out' }).first().click();
  await customer.getByRole('button', { name: 'Send me a link' }).waitFor();
  await customer.goto(`${base}/portal/default/conversations/${conversationId}`);
  await customer.getByRole('button', { name: 'Send me a link' }).waitFor();
  assert.deepEqual(agentProblems, []);
  assert.deepEqual(customerProblems, []);
});
