import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, axe, collectProblems, startE2e, until } from './support.js';

/**
 * Matters in a real browser: the customer writes twice about the same problem on two channels; the second
 * conversation's Matter card shows 2 contacts, both channels and why it joined; the agent splits it off and
 * links it back; Reports shows first-contact resolution and the repeat-contact rate. axe-core on the pages;
 * screenshots test-results/matters-*.png.
 */
const { base, browser, apiCall } = await startE2e({
  // Workers on: matters are kept by an event consumer.
  env: { STEWARD_WORKERS: 'on', STEWARD_JOB_POLL_MS: '50' },
});

const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
const problems = collectProblems(page, [401]);

type View = { matter: { id: number; contactCount: number } | null };

test('the Matter card counts contacts over channels, says why, and the agent splits and links', async () => {
  const text = 'My new card has still not arrived in the post, it has been two weeks now';
  const first = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Card not arrived',
    channel: 'chat',
    customer: { email: 'noor@example.com', name: 'Noor Aziz' },
    message: { body: text },
  });
  const second = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Still no card',
    channel: 'email',
    customer: { email: 'noor@example.com' },
    message: { body: text },
  });
  const a = first.conversation.id;
  const b = second.conversation.id;
  const matterOf = (id: number) => apiCall<View>('GET', `/conversations/${id}/matter`);
  await until('both on one matter', async () => {
    const [va, vb] = [await matterOf(a), await matterOf(b)];
    return va.matter && vb.matter?.id === va.matter.id ? true : undefined;
  });

  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.goto(`${base}/conversations/${b}`);
  const card = page.getByRole('region', { name: 'Matter' });
  await card.getByTestId('matter-contacts').getByText('2 contacts').waitFor();
  await card.getByText('Chat', { exact: false }).first().waitFor();
  await card.getByText('E-mail', { exact: false }).first().waitFor();
  await card.getByText(/Joined: (the customer's words are alike|the reason model reads the same problem)/).waitFor();
  await card.getByRole('link', { name: `#${a} Card not arrived` }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/matters-card.png', fullPage: true });

  await card.getByRole('button', { name: 'Split off: another problem' }).click();
  await card.getByTestId('matter-contacts').getByText('1 contact').waitFor();
  await card.getByText('Split off by an agent').waitFor();
  assert.notEqual((await matterOf(b)).matter?.id, (await matterOf(a)).matter?.id);

  await card.getByLabel('Same problem as').selectOption(String(a));
  await card.getByRole('button', { name: 'Link' }).click();
  await card.getByTestId('matter-contacts').getByText('2 contacts').waitFor();
  await card.getByText('Linked by an agent').waitFor();
  assert.equal((await matterOf(b)).matter?.id, (await matterOf(a)).matter?.id);
  assert.deepEqual(await axe(page), []);
});

test('Reports shows first-contact resolution and the repeat-contact rate', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  const section = page.getByRole('region', { name: 'First-contact resolution and repeat contacts' });
  const table = section.getByTestId('matter-figures');
  // One matter, first contacted today, with two contacts: a repeat-contact rate of 100 %.
  await table.getByRole('row', { name: /All matters/ }).getByText('100.0 % (1 of 1)').waitFor();
  await section.getByLabel('Per').selectOption('channel');
  await table.getByRole('row', { name: /chat/ }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/matters-reports.png', fullPage: true });
  assert.deepEqual(problems, []);
});
