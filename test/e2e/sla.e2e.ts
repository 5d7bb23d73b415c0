import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, axe, collectProblems, startE2e, until } from './support.js';

/**
 * SLA policies in a real browser: the admin creates two policies on Admin → SLA policies and reorders them; a
 * new conversation shows its first-response deadline on its page and in the inbox sorted by next deadline.
 * axe-core on the pages; screenshots test-results/sla-*.png.
 */
const { base, browser, apiCall } = await startE2e({
  // Workers on: the SLA clocks are computed by an event consumer.
  env: { STEWARD_WORKERS: 'on', STEWARD_JOB_POLL_MS: '50' },
});

const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const problems = collectProblems(page, [401]);

/** The conversation the deadline test makes; the report test answers it. */
let parcelId = 0;

test('the admin creates SLA policies and puts them in order', async () => {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.goto(`${base}/admin/sla`);
  await page.getByRole('heading', { level: 1, name: 'SLA policies' }).waitFor();

  for (const [name, minutes, urgent] of [
    ['Standard', '60', false],
    ['Urgent', '15', true],
  ] as const) {
    await page.getByRole('button', { name: 'New policy' }).click();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('First response (minutes)').fill(minutes);
    await page.getByLabel('Count business hours only', { exact: false }).uncheck();
    if (urgent) await page.getByRole('checkbox', { name: 'Urgent' }).check();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('cell', { name, exact: true }).waitFor();
  }
  assert.deepEqual(await axe(page), []);
  // The urgent one must be tried first.
  await page.getByRole('button', { name: 'Up Urgent' }).click();
  await page.getByText('Order saved.').waitFor({ state: 'attached' });
  const order = await apiCall<{ items: Array<{ name: string }> }>('GET', '/sla-policies');
  assert.deepEqual(
    order.items.map((p) => p.name),
    ['Urgent', 'Standard'],
  );
  await page.screenshot({ path: 'test-results/sla-policies.png', fullPage: true });
});

test('a conversation shows its deadline on its page and in the inbox sorted by next deadline', async () => {
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Parcel stuck in customs',
    channel: 'email',
    customer: { email: 'mia@example.com', name: 'Mia Wong' },
    message: { body: 'It has been a week.' },
  });
  const id = created.conversation.id;
  parcelId = id;
  await until('its clock', async () => {
    const sla = await apiCall<{ clocks: Array<{ target: string }> }>('GET', `/conversations/${id}/sla`);
    return sla.clocks.length > 0 ? true : undefined;
  });
  await page.goto(`${base}/conversations/${id}`);
  const card = page.getByRole('region', { name: 'Deadlines' });
  await card.waitFor();
  await card.getByText('First response').waitFor();
  await card.getByText(/due in (59|60) min|due in 1 h/).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/sla-conversation.png', fullPage: true });

  await page.goto(`${base}/inbox/open?sort=deadline`);
  await page.getByLabel(/Sort/).waitFor();
  assert.equal(await page.getByLabel(/Sort/).inputValue(), 'deadline');
  const row = page.getByRole('link', { name: /Parcel stuck in customs/ });
  await row.waitFor();
  await row.getByText(/due in/).waitFor();
  assert.deepEqual(problems, []);
});

test('Reports → Keeping promises shows the SLA attainment of the period', async () => {
  const id = parcelId;
  await apiCall('POST', `/conversations/${id}/messages`, { direction: 'outbound', body: 'We are on it.' });
  await until('the first response met', async () => {
    const sla = await apiCall<{ clocks: Array<{ target: string; state: string }> }>(
      'GET',
      `/conversations/${id}/sla`,
    );
    return sla.clocks.find((c) => c.target === 'first_response')?.state === 'met' ? true : undefined;
  });
  // A promise kept before its due time counts in the period's promise-kept rate.
  const promise = await apiCall<{ id: number }>('POST', `/conversations/${id}/commitments`, {
    text: 'Send the tracking number',
    due: 'in 2 days',
  });
  await apiCall('POST', `/conversations/${id}/commitments/${promise.id}/fulfil`, { note: 'Sent' });
  await page.goto(base);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { level: 1, name: 'Keeping promises' }).waitFor();
  const section = page.getByRole('region', { name: 'SLA attainment' });
  const row = section.getByRole('row', { name: /All conversations/ });
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /100\.0 %\s*\(1 of 1\)/);
  await section.getByLabel('Per').selectOption('channel');
  await section.getByRole('row', { name: /^email/ }).waitFor();
  // The promise counts in the period of its due time (two days ahead): the period must reach it.
  const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('To (inclusive)').fill(later);
  const promises = page.getByRole('region', { name: 'Promise-kept rate' });
  await promises.getByTestId('report-kept-rate').filter({ hasText: '100 %' }).waitFor();
  assert.match((await promises.textContent()) ?? '', /1 of 1 kept by their due time/);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/reports.png', fullPage: true });
  assert.deepEqual(problems, []);
});
