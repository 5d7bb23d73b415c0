import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, axe, collectProblems, startE2e, until } from './support.js';

/**
 * Promises in a real browser: on a conversation's Promises panel the agent adds a promise with a due time in
 * words, confirms a promise Steward found in a reply, marks one kept and one broken (with its reason); the
 * Promises page shows the kept rate. axe-core on the pages; screenshots test-results/promises-*.png.
 */
const { base, browser, apiCall } = await startE2e({
  // Workers on: suggestions come from an event consumer.
  env: { STEWARD_WORKERS: 'on', STEWARD_JOB_POLL_MS: '50' },
});

const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
const problems = collectProblems(page, [401]);

type Item = { id: number; text: string; status: string; note: string | null };

test('add, confirm, keep and break promises on a conversation; the Promises page shows the rate', async () => {
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Charged twice',
    channel: 'email',
    customer: { email: 'lea@example.com', name: 'Lea Park' },
    message: { body: 'You charged me twice.' },
  });
  const id = created.conversation.id;
  await apiCall('POST', `/conversations/${id}/messages`, {
    direction: 'outbound',
    body: 'Sorry! We will refund the second charge within 3 business days.',
  });
  const list = () => apiCall<{ items: Item[] }>('GET', `/conversations/${id}/commitments`);
  await until('the suggestion', async () => ((await list()).items.length > 0 ? true : undefined));

  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.goto(`${base}/conversations/${id}`);
  const panel = page.getByRole('region', { name: 'Promises' });
  await panel
    .getByText('We will refund the second charge within 3 business days.', { exact: true })
    .waitFor();
  await panel.getByText('Suggested', { exact: true }).waitFor();
  assert.deepEqual(await axe(page), []);

  await panel.getByRole('button', { name: /^Confirm promise/ }).click();
  await page.getByText('confirmed.', { exact: false }).waitFor({ state: 'attached' });

  await panel.getByLabel('Promise', { exact: true }).fill('Call Lea back');
  await panel.getByLabel('Due', { exact: true }).fill('tomorrow at 10');
  await panel.getByLabel('Due', { exact: true }).blur();
  await panel.getByText(/^Due .+\.$/).waitFor(); // what the words mean, before adding
  await panel.getByRole('button', { name: 'Add promise' }).click();
  await panel.getByText('Call Lea back', { exact: true }).waitFor();
  await page.screenshot({ path: 'test-results/promises-panel.png', fullPage: true });

  await panel.getByRole('button', { name: 'Kept “Call Lea back”' }).click();
  await panel.getByLabel('Note (optional)').fill('Called, she is happy');
  await panel.getByRole('button', { name: 'Mark kept' }).click();
  await page.getByText('marked kept.', { exact: false }).waitFor({ state: 'attached' });
  // The announcement can come before the list is read again: wait until the kept promise offers no action.
  await panel.getByRole('button', { name: 'Broken “Call Lea back”' }).waitFor({ state: 'detached' });

  await panel.getByRole('button', { name: /^Broken/ }).click();
  await panel.getByLabel('Why was it broken?').fill('The bank refused the refund');
  await panel.getByRole('button', { name: 'Mark broken' }).click();
  await panel.getByText('Reason: The bank refused the refund').waitFor();
  assert.deepEqual(await axe(page), []);

  const items = (await list()).items.filter((c) => c.status !== 'open');
  assert.deepEqual(items.map((c) => [c.text, c.status, c.note]).sort(), [
    ['Call Lea back', 'kept', 'Called, she is happy'],
    ['We will refund the second charge within 3 business days.', 'broken', 'The bank refused the refund'],
  ]);

  // The figures count promises by their due time: two more, due in six seconds; one kept before then (six:
  // the three requests must land before it however busy the machine is).
  const soon = new Date(Date.now() + 6_000).toISOString();
  await apiCall('POST', `/conversations/${id}/commitments`, { text: 'Send the voucher', dueAt: soon });
  const receipt = await apiCall<Item>('POST', `/conversations/${id}/commitments`, {
    text: 'E-mail the receipt',
    dueAt: soon,
  });
  await apiCall('POST', `/conversations/${id}/commitments/${receipt.id}/fulfil`, {});
  await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 200));
  await page.getByRole('link', { name: 'Promises' }).click();
  await page.getByRole('heading', { level: 1, name: 'Promises' }).waitFor();
  await page.getByTestId('workspace-kept-rate').getByText('50 %').waitFor();
  await page.getByRole('cell', { name: 'Send the voucher' }).waitFor();
  await page.getByRole('link', { name: `#${id} Charged twice` }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/promises-page.png', fullPage: true });
  assert.deepEqual(problems, []);
});
