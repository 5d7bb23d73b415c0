import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { admin, axe, collectProblems, inboxList, startE2e, until } from './support.js';

/**
 * Routing in a real browser: an agent sets her status in the top bar, the admin makes a team round robin on
 * Admin → Teams, a new conversation of that team is assigned to her by Steward (the History panel says by
 * which rule), and she takes an unassigned one from the Unassigned view. axe-core on the pages; screenshots
 * test-results/routing-*.png.
 */
const { base, browser, apiCall } = await startE2e({
  // Workers on: routing runs as an event consumer and a sweep job.
  env: { STEWARD_WORKERS: 'on', STEWARD_JOB_POLL_MS: '50' },
});

type Person = { id: number; name: string };
const password = 'routing e2e long password';
const grace = (
  await apiCall<{ person: Person }>('POST', '/people', {
    name: 'Grace Hopper',
    email: 'grace@example.com',
    role: 'agent',
    password,
  })
).person;
await apiCall('POST', '/people', { name: 'Hugo Idle', email: 'hugo@example.com', role: 'agent', password });

const adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const problems = [...[adminPage, agentPage].map((p) => collectProblems(p, [401, 409]))];

async function signIn(page: Page, email: string, secret: string) {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.locator('.live-live').waitFor();
}

test('the agent sets her status in the top bar; it is kept and colleagues see it', async () => {
  await signIn(agentPage, 'grace@example.com', password);
  const status = agentPage.getByLabel('My status (online gets new conversations)');
  await agentPage.locator('.availability-offline').waitFor(); // the status has loaded
  assert.equal(await status.inputValue(), 'offline');
  await status.selectOption('online');
  await until('Grace online', async () => {
    const people = await apiCall<{ items: Array<{ id: number; availability: string }> }>(
      'GET',
      '/people?availability=online',
    );
    return people.items.some((p) => p.id === grace.id) ? true : undefined;
  });
  await agentPage.reload();
  await agentPage.getByRole('heading', { name: 'Inbox' }).waitFor();
  await agentPage.locator('.availability-online').waitFor();
  assert.equal(
    await agentPage.getByLabel('My status (online gets new conversations)').inputValue(),
    'online',
  );
  assert.deepEqual(await axe(agentPage), []);
});

test('the admin makes a team round robin with capacities on Admin → Teams', async () => {
  await signIn(adminPage, admin.email, admin.password);
  await adminPage.getByRole('link', { name: 'Admin' }).click();
  await adminPage.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Teams' }).click();
  await adminPage.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
  await adminPage.getByLabel('Name', { exact: true }).fill('Front line');
  await adminPage.getByRole('button', { name: 'Create team' }).click();
  await adminPage.getByRole('heading', { level: 2, name: 'Front line' }).waitFor();
  for (const who of ['Grace Hopper', 'Hugo Idle']) {
    await adminPage.getByLabel('Add a member').selectOption({ label: `${who} (agent)` });
    await adminPage.getByRole('button', { name: 'Add', exact: true }).click();
    await adminPage.getByRole('cell', { name: who, exact: true }).waitFor();
  }
  await adminPage.getByRole('radio', { name: 'Lead of the team: Grace Hopper' }).check();
  await adminPage.getByText('Lead saved.').waitFor();
  await adminPage.getByRole('radio', { name: /^Round robin/ }).check();
  await adminPage.getByLabel('E-mail', { exact: true }).fill('5');
  await adminPage.getByLabel('Chat', { exact: true }).fill('2');
  await adminPage.getByRole('button', { name: 'Save routing' }).click();
  await adminPage.getByText('Routing saved.').waitFor();
  // Grace is online (she said so), Hugo is not.
  const row = adminPage.getByRole('row').filter({ hasText: 'Grace Hopper' });
  await row.getByText('Online').waitFor();
  await adminPage.getByRole('row').filter({ hasText: 'Hugo Idle' }).getByText('Offline').waitFor();
  assert.deepEqual(await axe(adminPage), []);
  await adminPage.evaluate(() => window.scrollTo(0, 0));
  await adminPage.screenshot({ path: 'test-results/routing-teams.png', fullPage: true });

  const teams = await apiCall<{ items: Array<{ id: number; name: string; leadId: number | null }> }>(
    'GET',
    '/teams',
  );
  const team = teams.items.find((t) => t.name === 'Front line')!;
  assert.equal(team.leadId, grace.id);
  const routing = await apiCall<{ mode: string; capacity: Record<string, number> }>(
    'GET',
    `/teams/${team.id}/routing`,
  );
  assert.deepEqual([routing.mode, routing.capacity], ['round_robin', { email: 5, chat: 2 }]);
});

test('a new conversation of the team is assigned to the online agent, and History says by which rule', async () => {
  const teams = await apiCall<{ items: Array<{ id: number; name: string }> }>('GET', '/teams');
  const team = teams.items.find((t) => t.name === 'Front line')!;
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'My parcel never came',
    channel: 'email',
    customer: { email: 'maria@example.com', name: 'Maria Lopez' },
    message: { body: 'It was due on Monday.' },
    teamId: team.id,
  });
  const id = created.conversation.id;
  await until('routed', async () => {
    const c = await apiCall<{ conversation: { assigneeId: number | null } }>('GET', `/conversations/${id}`);
    return c.conversation.assigneeId === grace.id ? true : undefined;
  });
  // It arrives in her Mine view by itself (the stream), and its history names the rule.
  await agentPage.getByRole('link', { name: /^Mine/ }).click();
  await (await inboxList(agentPage, /^Mine/)).getByRole('link', { name: /My parcel never came/ }).click();
  await agentPage.getByRole('heading', { level: 1, name: 'My parcel never came' }).waitFor();
  await agentPage.getByText('History').click();
  await agentPage.getByText('Assigned to Grace Hopper (round robin: next in rotation)').first().waitFor();
  await agentPage.getByText('by routing').first().waitFor();
});

test('the agent takes an unassigned conversation from the Unassigned view', async () => {
  await apiCall('POST', '/conversations', {
    subject: 'Invoice address wrong',
    channel: 'email',
    customer: { email: 'tom@example.com', name: 'Tom Becker' },
    message: { body: 'Please correct the street name.' },
  });
  await agentPage.goto(`${base}/inbox/unassigned`);
  const take = agentPage.getByRole('button', { name: 'Take it: “Invoice address wrong” from Tom Becker' });
  await take.waitFor();
  assert.deepEqual(await axe(agentPage), []);
  await agentPage.screenshot({ path: 'test-results/routing-unassigned.png', fullPage: true });
  await take.click();
  await agentPage.getByText('“Invoice address wrong” is yours now.').waitFor();
  await take.waitFor({ state: 'detached' });
  await agentPage.getByRole('link', { name: /^Mine/ }).click();
  await (await inboxList(agentPage, /^Mine/)).getByRole('link', { name: /Invoice address wrong/ }).waitFor();
  assert.deepEqual(problems.flat(), []);
});
