import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { admin, axe, collectProblems, startE2e } from './support.js';

/**
 * Front-line authority in a real browser: an agent grants a refund within their limit on the spot, asks for
 * one above it (the panel says which limit); the owner approves it on the Approvals page; Admin → Front-line
 * authority sets a limit; Reports shows on the spot vs approval and the amounts. axe-core on the pages;
 * screenshots test-results/authority-*.png.
 */
const { base, browser, apiCall } = await startE2e({
  env: { STEWARD_WORKERS: 'on', STEWARD_JOB_POLL_MS: '50' },
});

const agentLogin = { email: 'aga@example.com', password: 'another long enough password' };

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}

test('an agent grants within their limit and asks above it; the owner approves; the figures show both', async () => {
  await apiCall('POST', '/people', { ...agentLogin, name: 'Aga Agent', role: 'agent' });
  const { items } = await apiCall<{ items: Array<{ id: number; kind: string }> }>(
    'GET',
    '/resolution-actions',
  );
  const refund = items.find((a) => a.kind === 'refund')!.id;
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Parcel arrived broken',
    channel: 'chat',
    customer: { email: 'jo@example.com', name: 'Jo Lind' },
    message: { body: 'The vase I ordered arrived in pieces' },
  });
  const id = created.conversation.id;

  // The owner sets the agents' refund limit in Admin → Front-line authority.
  const ownerPage = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  const problems = collectProblems(ownerPage, [401]);
  await signIn(ownerPage, admin);
  await ownerPage.goto(`${base}/admin/authority`);
  await ownerPage.getByRole('heading', { level: 1, name: 'Front-line authority' }).waitFor();
  await ownerPage.getByLabel('agent may grant Refund').check();
  await ownerPage.getByLabel('agent: Refund most per grant').fill('50');
  await ownerPage.getByRole('button', { name: 'Save authority' }).click();
  await ownerPage.getByText('Authority saved.').waitFor();
  assert.deepEqual(await axe(ownerPage), []);
  const limits = await apiCall<{ items: Array<{ actionId: number; role: string; perAction: number }> }>(
    'GET',
    '/authority/limits',
  );
  assert.deepEqual(
    limits.items.map((l) => [l.actionId, l.role, l.perAction]),
    [[refund, 'agent', 50]],
  );

  const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
  const agentProblems = collectProblems(agentPage, [401]);
  await signIn(agentPage, agentLogin);
  await agentPage.goto(`${base}/conversations/${id}`);
  const panel = agentPage.getByRole('region', { name: 'Resolve on the spot' });
  await panel.getByLabel('Action').selectOption({ label: 'Refund' });
  await panel.getByText(/Your authority: 50.00 per grant/).waitFor();
  await panel.getByLabel('Amount').fill('30');
  await panel.getByRole('button', { name: 'Grant' }).click();
  await panel.getByText('Refund 30.00 EUR granted.').waitFor();
  await panel.getByLabel('Amount').fill('120');
  await panel.getByLabel('Note (optional)').fill('The vase and the shipping');
  await panel.getByRole('button', { name: 'Grant' }).click();
  await panel.getByText('Sent to your lead for approval: above your limit per grant.').waitFor();
  await panel.getByText('Waiting for approval').waitFor();
  assert.deepEqual(await axe(agentPage), []);
  await agentPage.screenshot({ path: 'test-results/authority-panel.png', fullPage: true });

  await ownerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await ownerPage.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  const request = ownerPage.getByRole('listitem').filter({ hasText: 'The vase and the shipping' });
  await request.getByText('above your limit per grant').waitFor();
  assert.deepEqual(await axe(ownerPage), []);
  await request.getByRole('button', { name: 'Approve' }).click();
  await ownerPage.getByText(`Approved: 120.00 EUR on #${id}.`).waitFor();
  await ownerPage.getByText('Nothing is waiting for approval.').waitFor();

  await agentPage.reload();
  await panel.getByText(/approved by/).waitFor();
  const ledger = await apiCall<{
    items: Array<{ amount: number; status: string; decidedById: number | null }>;
  }>('GET', `/conversations/${id}/resolutions`);
  assert.deepEqual(ledger.items.map((r) => [r.amount, r.status, r.decidedById !== null]).sort(), [
    [120, 'applied', true],
    [30, 'applied', false],
  ]);

  await ownerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  const section = ownerPage.getByRole('region', { name: 'Resolved on the spot' });
  await section
    .getByTestId('authority-amounts')
    .getByRole('row', { name: /Aga Agent/ })
    .getByText('150.00 EUR')
    .waitFor();
  assert.deepEqual(await axe(ownerPage), []);
  await ownerPage.screenshot({ path: 'test-results/authority-reports.png', fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(agentProblems, []);
});
