import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import type { Download } from 'playwright-core';
import { admin, axe, collectProblems, startE2e } from './support.js';

/**
 * The admin pages of issue 3 in a real browser: business hours with a lunch break and the preview; a
 * department and reasons, CSV export and import (a bad row first); a German customer text and its preview; a
 * webhook against a local receiver (secret once, test, the log, redeliver); a workspace export; erasing a
 * customer from their page. axe-core on each page; screenshots test-results/admin-*.png at 1280 and 800 px.
 */
const { base, browser, apiCall } = await startE2e({
  // Workers on: webhook deliveries and exports are jobs.
  env: { STEWARD_WORKERS: 'on', STEWARD_WEBHOOKS_ALLOW_LOOPBACK: 'true' },
});

/** The webhook receiver: answers 200 and keeps what arrived. */
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks, got it');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/steward`;

after(() => receiver.close());

const team = await apiCall<{ id: number }>('POST', '/teams', { name: 'First line' });
const erasable = await apiCall<{ conversation: { customerId: number } }>('POST', '/conversations', {
  subject: 'Please delete my data',
  channel: 'email',
  customer: { email: 'greta@example.com', name: 'Greta Gone' },
  message: { body: 'I would like you to forget me.' },
});

const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
const problems = collectProblems(page, [401, 409, 422]);

/** axe at 1280 px, screenshots at 1280 and 800 px. */
async function check(name: string): Promise<void> {
  // From the top: a full-page shot keeps the sticky top bar where the page was scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.deepEqual(await axe(page), [], `${name}: no serious or critical axe violations`);
  await page.screenshot({ path: `test-results/admin-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 800, height: 1000 });
  await page.screenshot({ path: `test-results/admin-${name}-800.png`, fullPage: true });
  assert.deepEqual(await axe(page), [], `${name} at 800 px: no serious or critical axe violations`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function text(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sub = () => page.getByRole('navigation', { name: 'Admin' });

test('sign in as the admin: Admin opens a section with its sub-navigation', async () => {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  for (const name of [
    'People',
    'API tokens',
    'Business hours',
    'Contact reasons',
    'Customer texts',
    'Macros',
    'Contact forms',
    'Webhooks',
    'Live chat',
    'Data',
  ])
    await sub().getByRole('link', { name }).waitFor();
});

test('business hours: a calendar with a lunch break, a refused bad interval, the preview, a team', async () => {
  await sub().getByRole('link', { name: 'Business hours' }).click();
  await page.getByText('No calendars yet').waitFor();
  await page.getByRole('link', { name: 'New calendar' }).click();
  await page.getByLabel('Name').fill('Berlin office');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Monday, interval 1, closes').fill('12:00');
  await page.getByRole('button', { name: 'Add hours on Monday' }).click();
  await page.getByLabel('Monday, interval 2, opens').fill('13:00');
  await page.getByLabel('Monday, interval 2, closes').fill('17:00');
  await page.getByRole('button', { name: "Copy Monday's hours to Tuesday–Friday" }).click();
  assert.equal(await page.getByLabel('Friday, interval 2, opens').inputValue(), '13:00');
  await page.getByLabel('Saturday, interval 1, opens').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Add hours on Saturday' }).click();
  await page.getByLabel('Saturday, interval 1, opens').fill('14:00');
  await page.getByLabel('Saturday, interval 1, closes').fill('10:00');
  await page.getByRole('button', { name: 'Add a holiday' }).click();
  await page.getByLabel('Holiday 1, date').fill('2026-12-25');
  await page.getByLabel('Holiday 1, name').fill('Christmas');
  await page.getByRole('checkbox', { name: 'Every year (holiday 1)' }).check();
  await page.getByLabel(/^Workspace default/).check();
  await page.getByRole('button', { name: 'Create calendar' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'The calendar cannot be saved' });
  await refused.waitFor();
  assert.match((await refused.textContent()) ?? '', /14:00/, 'the problem names the interval');

  await page.getByRole('button', { name: 'Remove Saturday 14:00–10:00' }).click();
  await page.getByRole('button', { name: 'Create calendar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Berlin office' }).waitFor();
  assert.match(page.url(), /\/admin\/calendars\/\d+$/);
  await page.getByLabel('Due in business minutes').fill('480');
  const preview = page.locator('.preview-result');
  await preview.getByText(/due in 480 business minutes, is due at/).waitFor();

  const [calendar] = (
    await apiCall<{ items: Array<{ id: number; week: Record<string, unknown[]> }> }>('GET', '/calendars')
  ).items;
  assert.deepEqual(calendar?.week['3'], [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ]);
  await check('calendar');

  await page.getByRole('link', { name: 'Business hours' }).first().click();
  await page.getByRole('link', { name: 'Berlin office' }).waitFor();
  await page.getByLabel('Calendar of First line').selectOption({ label: 'Berlin office' });
  await page.waitForFunction(
    async ([teamId]) => {
      const res = await fetch(`/api/v1/teams/${teamId}/calendar`);
      return ((await res.json()) as { source: string }).source === 'team';
    },
    [team.id],
  );
  await check('calendars');
});

test('contact reasons: a department, a group and a reason, CSV export, a bad import then a good one', async () => {
  await sub().getByRole('link', { name: 'Contact reasons' }).click();
  await page.getByRole('heading', { level: 1, name: 'Contact reasons' }).waitFor();
  await page.getByLabel('Department name').fill('Logistics');
  await page.getByRole('button', { name: 'Add department' }).click();
  await page.getByRole('rowheader', { name: 'Logistics' }).waitFor();

  await page.getByRole('button', { name: 'New reason' }).click();
  await page.getByLabel('Reason name').fill('Delivery');
  await page.getByRole('radio', { name: 'Value demand' }).check();
  await page.getByRole('button', { name: 'Create reason' }).click();
  await page.getByRole('status').filter({ hasText: 'Delivery is created' }).waitFor();
  await page.getByRole('button', { name: 'New reason' }).click();
  await page.getByLabel('Reason name').fill('Where is my order');
  await page.getByLabel('Group').selectOption({ label: 'Delivery' });
  await page.getByLabel('Department that owns the cause').selectOption({ label: 'Logistics' });
  await page.getByRole('radio', { name: 'Failure demand (avoidable)' }).check();
  await page.getByRole('button', { name: 'Create reason' }).click();
  const child = page.locator('.tree ul ul .tree-item', { hasText: 'Where is my order' });
  await child.getByText('Failure demand').waitFor();
  await child.getByText('Logistics').waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = (await text(download)).toString('utf8');
  assert.match(csv, /^id,path,description,department,avoidable,status\r\n/);
  assert.match(csv, /Delivery > Where is my order,,Logistics,yes,active/);

  const bad =
    'path,avoidable,department\r\nDelivery > Late parcel,yes,Logistics\r\nBilling > Charged twice,maybe,Billing\r\n';
  await page.getByLabel('Or paste the CSV').fill(bad);
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const errors = page.getByRole('alert').filter({ hasText: 'Nothing was changed' });
  await errors.waitFor();
  const row = errors.getByRole('row').filter({ hasText: 'avoidable' });
  assert.equal(await row.getByRole('cell').first().textContent(), '3');
  assert.equal(await page.getByRole('button', { name: 'Import' }).isDisabled(), true);
  const before = await apiCall<{ items: unknown[] }>('GET', '/contact-reasons');
  assert.equal(before.items.length, 2, 'nothing changed');

  await page.getByLabel('Or paste the CSV').fill(bad.replace('maybe', 'yes'));
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await page.getByText('Importing would create 3, change 0 and leave 0 unchanged').waitFor();
  assert.equal((await apiCall<{ items: unknown[] }>('GET', '/contact-reasons')).items.length, 2, 'a dry run');
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').filter({ hasText: 'Imported: 3 created' }).waitFor();
  await page.locator('.tree ul ul .tree-item', { hasText: 'Charged twice' }).waitFor();
  await page.getByRole('rowheader', { name: 'Billing' }).waitFor();

  // A table of contents at the top jumps to each section, below the sticky top bar.
  const toc = page.getByRole('navigation', { name: 'On this page' });
  assert.deepEqual(await toc.getByRole('link').allTextContents(), [
    'Reasons',
    'Departments',
    'Reason prediction',
    'Sentiment model',
    'Spreadsheet (CSV)',
  ]);
  await toc.getByRole('link', { name: 'Sentiment model' }).click();
  await page.waitForURL(/\/admin\/reasons#sentiment-model$/);
  const title = page.getByRole('heading', { level: 2, name: 'Sentiment model' });
  await page.waitForFunction(() => {
    const top = document.getElementById('sentiment-model-title')?.getBoundingClientRect().top ?? -1;
    return window.scrollY > 0 && top >= 56 && top < window.innerHeight - 40;
  });
  assert.ok(await title.isVisible());
  // No labels yet: nothing to learn from, so the reason model's "Train now" waits, and says for what.
  const prediction = page.getByRole('region', { name: 'Reason prediction' });
  await prediction.getByText('(at least 20 are needed to learn from)').waitFor();
  assert.equal(await prediction.getByRole('button', { name: 'Train now' }).isDisabled(), true);
  await toc.getByRole('link', { name: 'Reasons' }).click();
  await page.waitForURL(/#reasons$/);
  await check('reasons');
});

test('customer texts: German wording of a subject, a refused placeholder, the preview', async () => {
  await sub().getByRole('link', { name: 'Customer texts' }).click();
  await page.getByRole('link', { name: 'E-mail subject: we received your message' }).click();
  await page.getByRole('button', { name: /^German \(de\)/ }).click();
  const box = page.getByLabel(/^Text for German/);
  assert.match(await box.inputValue(), /Wir haben Ihre Anfrage erhalten/);
  await box.fill('Ihre Anfrage {{reference}} ist bei {{companyName}} angekommen {{orderTotal}}');
  await page.getByRole('button', { name: 'Save German (de)' }).click();
  await page.getByRole('alert').filter({ hasText: 'orderTotal' }).waitFor();
  await box.fill('Ihre Anfrage {{reference}} ist bei {{companyName}} angekommen');
  await page.getByRole('button', { name: 'Save German (de)' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.locator('.badge', { hasText: 'Your wording' }).waitFor();
  await page.getByLabel('reference').fill('2077');
  await page.getByRole('button', { name: 'Preview German (de)' }).click();
  await page
    .getByTestId('preview-text')
    .filter({ hasText: 'Ihre Anfrage 2077 ist bei Acme angekommen' })
    .waitFor();
  const stored = await apiCall<{ texts: Array<{ locale: string; overridden: boolean }> }>(
    'GET',
    '/templates/acknowledgement.subject',
  );
  assert.equal(stored.texts.find((t) => t.locale === 'de')?.overridden, true);
  await check('templates');
});

test('webhooks: create against a local receiver, the secret once, a test, the log with 200, redeliver', async () => {
  await sub().getByRole('link', { name: 'Webhooks' }).click();
  await page.getByText('No webhooks yet').waitFor();
  await page.getByRole('link', { name: 'New webhook' }).click();
  await page.getByLabel('Name').fill('Order system');
  await page.getByLabel('URL').fill(receiverUrl);
  await page.getByLabel('Event types').fill('webhook.created');
  await page.getByRole('button', { name: 'Add event type' }).click();
  await page.getByRole('alert').filter({ hasText: 'never sent' }).waitFor();
  await page.getByLabel('Event types').fill('conversation.*');
  await page.getByLabel('Event types').press('Enter');
  await page.getByRole('listitem').filter({ hasText: 'conversation.*' }).waitFor();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByRole('heading', { level: 1, name: /Order system/ }).waitFor();
  const secret = await page.getByLabel('Signing secret').inputValue();
  assert.match(secret, /^whsec_/);
  await page.getByText('shown only this once').waitFor();

  await page.getByRole('button', { name: 'Send test' }).click();
  const row = page.getByRole('row').filter({ hasText: 'webhook.test' });
  await row.getByText('Delivered').waitFor({ timeout: 15_000 });
  assert.equal(received.length, 1);
  const first = received[0]!;
  const signature = String(first.headers['steward-signature']);
  const t = /t=(\d+)/.exec(signature)?.[1];
  const expected = createHmac('sha256', secret).update(`${t}.${first.body}`).digest('hex');
  assert.ok(signature.includes(`v1=${expected}`), 'signed with the secret shown');

  await row.getByRole('button', { name: /Attempts/ }).click();
  const attempts = page.getByRole('table', { name: /Attempts of delivery/ });
  await attempts.getByText('200').waitFor();
  await attempts.getByText('thanks, got it').waitFor();
  await page.getByRole('button', { name: /^Redeliver/ }).click();
  await attempts.getByRole('row').nth(2).waitFor({ timeout: 15_000 });
  assert.equal(received.length, 2);
  assert.equal(
    received[1]!.headers['steward-delivery'],
    first.headers['steward-delivery'],
    'the same delivery id',
  );
  await attempts.getByText('(redelivery)').waitFor();
  await check('webhook');

  // Shown once: after leaving the page it is gone.
  await sub().getByRole('link', { name: 'Data' }).click();
  await sub().getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('link', { name: 'Order system' }).click();
  await page.getByRole('heading', { level: 1, name: /Order system/ }).waitFor();
  assert.equal(await page.getByLabel('Signing secret').count(), 0);
  await sub().getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('cell', { name: 'Active' }).waitFor();
  await check('webhooks');
});

test('data: start an export, follow it, download the zip', async () => {
  await sub().getByRole('link', { name: 'Data' }).click();
  await page.getByText('No exports yet').waitFor();
  await page.getByRole('button', { name: 'Start an export' }).click();
  const link = page.getByRole('link', { name: /^Download/ });
  await link.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const zip = await text(download);
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
  assert.match(download.suggestedFilename(), /^steward-export-\d+\.zip$/);
  await check('data');
});

test('erase a customer from their page: the name typed out, a reason, a plain result', async () => {
  const id = erasable.conversation.customerId;
  await page.goto(`${base}/customers/${id}`);
  await page.getByRole('heading', { level: 1, name: 'Greta Gone' }).waitFor();
  await page.getByRole('button', { name: 'Erase customer…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Erase Greta Gone?' });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: 'Erase personal data' });
  await dialog.getByLabel('Reason').selectOption('subject_request');
  await dialog.getByLabel(/to confirm/).fill('Greta');
  assert.equal(await confirm.isDisabled(), true, 'the name must be typed out');
  await dialog.getByLabel(/to confirm/).fill('Greta Gone');
  await confirm.click();
  await page.getByRole('status').filter({ hasText: "Greta Gone's personal data is erased" }).waitFor();
  const customer = await apiCall<{ name: string; identities: unknown[] }>('GET', `/customers/${id}`);
  assert.notEqual(customer.name, 'Greta Gone');
  assert.deepEqual(customer.identities, []);
  assert.deepEqual(problems, [], 'no page errors and no CSP violations');
});

test('macros: a refused placeholder is explained, a shared macro with actions is created, edited and deleted', async () => {
  await page.goto(`${base}/admin`);
  await sub().getByRole('link', { name: 'Macros' }).click();
  await page.getByRole('heading', { level: 1, name: 'Macros' }).waitFor();
  await page.getByText('No macros yet').waitFor();
  await page.getByRole('button', { name: 'New macro' }).click();
  await page.getByLabel('Name').fill('Escalate to first line');
  await page.getByLabel('Text').fill('Hi {{customer.nickname}}, a colleague takes over.');
  await page.getByLabel('Team').selectOption({ label: 'First line' });
  await page.getByLabel('Priority').selectOption('urgent');
  await page.getByLabel('Add tags').fill('escalated, VIP');
  await page.getByRole('button', { name: 'Create macro' }).click();
  await page.getByText(/Unknown placeholder \{\{customer\.nickname\}\}/).waitFor();
  await page.getByLabel('Text').fill('Hi {{customer.first_name}}, a colleague takes over.');
  await page.getByRole('button', { name: 'Create macro' }).click();
  const row = page.getByRole('row', { name: /Escalate to first line/ });
  await row.getByText('urgent priority, moves to a team, tags escalated, vip').waitFor();
  await row.getByText('Everyone').waitFor();
  await check('macros');
  const macros = await apiCall<{ items: Array<{ actions: { teamId: number; addTags: string[] } }> }>(
    'GET',
    '/macros',
  );
  assert.deepEqual(macros.items[0]?.actions.teamId, team.id);
  await row.getByRole('button', { name: 'Edit Escalate to first line' }).click();
  await page.getByLabel('Name').fill('Escalate');
  await page.getByRole('button', { name: 'Save macro' }).click();
  await page
    .getByRole('row', { name: /Escalate/ })
    .getByRole('button', { name: 'Delete Escalate' })
    .click();
  await page.getByRole('button', { name: 'Delete macro' }).click();
  await page.getByText('No macros yet').waitFor();
});

test('an agent sees no Admin link and never downloads the admin pages', async () => {
  const agent = { name: 'Andy Agent', email: 'andy@example.com', password: 'another long password' };
  await apiCall('POST', '/people', { ...agent, role: 'agent' });
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await other.newPage();
  const scripts: string[] = [];
  p.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await p.goto(base);
  await p.getByLabel('E-mail address').fill(agent.email);
  await p.getByLabel('Password').fill(agent.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('heading', { name: 'Inbox' }).waitFor();
  assert.equal(await p.getByRole('link', { name: 'Admin' }).count(), 0);
  await p.goto(`${base}/customers/${erasable.conversation.customerId}`);
  await p.locator('.customer-panel').waitFor();
  assert.deepEqual(
    scripts.filter((s) => /AdminSection|EraseCustomer|admin-/.test(s)),
    [],
    'no admin code downloaded',
  );
  await other.close();
});
