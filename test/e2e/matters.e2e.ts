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
  await card
    .getByText(/Joined: (the customer's words are alike|the reason model reads the same problem)/)
    .waitFor();
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
  await table
    .getByRole('row', { name: /All matters/ })
    .getByText('100.0 % (1 of 1)')
    .waitFor();
  await section.getByLabel('Per').selectOption('channel');
  await table.getByRole('row', { name: /chat/ }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/matters-reports.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('the third contact escalates: the panel, the Escalations page, call-back done; an agent escalates by hand', async () => {
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'Blocked account',
    channel: 'chat',
    customer: { email: 'ivo@example.com', name: 'Ivo Petrov' },
    message: { body: 'My account is blocked and I cannot pay my rent' },
  });
  const id = created.conversation.id;
  for (const [reply, again] of [
    ['We are checking it.', 'Still blocked, please help'],
    ['It should work now.', 'It is still blocked, this is the third time I write'],
  ]) {
    await apiCall('POST', `/conversations/${id}/messages`, { direction: 'outbound', body: reply });
    await apiCall('POST', `/conversations/${id}/messages`, { direction: 'inbound', body: again });
  }
  type Escalations = { items: Array<{ id: number; customerToldAt: string | null }> };
  await until('the escalation, told to the customer', async () => {
    const list = await apiCall<Escalations>('GET', `/conversations/${id}/escalations`);
    return list.items[0]?.customerToldAt ? true : undefined;
  });

  await page.goto(`${base}/conversations/${id}`);
  const panel = page.getByRole('region', { name: 'Escalation' });
  await panel.getByText('Automatic').waitFor();
  await panel.getByText('The customer contacted us 3 times about this matter').waitFor();
  await panel.getByText(/Call-back due/).waitFor();
  await panel.getByText('customer told', { exact: false }).waitFor();
  await page
    .getByText(/will call you back by/)
    .first()
    .waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/matters-escalation.png', fullPage: true });

  // By hand: to a named manager.
  await panel.getByRole('button', { name: 'Escalate…' }).click();
  await panel.getByLabel('To').selectOption('manager');
  const people = await apiCall<{ items: Array<{ email: string; name: string }> }>('GET', '/people?limit=500');
  const ownerName = people.items.find((p) => p.email === admin.email)?.name ?? '';
  await panel.getByLabel(/^Person/).selectOption({ label: ownerName });
  await panel.getByLabel('Reason').fill('Wants to close the account');
  await panel.getByRole('button', { name: 'Escalate', exact: true }).click();
  await panel.getByText('Wants to close the account').waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Escalations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Escalations' }).waitFor();
  await page.getByTestId('escalation-counts').getByText('2 open · 1 call-backs due').waitFor();
  await page
    .getByRole('link', { name: `#${id} Blocked account` })
    .first()
    .waitFor();
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'Call-back done' }).click();
  await page.getByLabel('What was agreed on the call?').fill('Unblocked it together on the phone');
  await page.getByRole('button', { name: 'Save call-back' }).click();
  await page.getByText('Called back', { exact: false }).first().waitFor();
  await page.getByTestId('escalation-counts').getByText('2 open · 0 call-backs due').waitFor();
  await page.getByRole('button', { name: 'Resolve' }).first().click();
  await page.getByTestId('escalation-counts').getByText('1 open').waitFor();
  await page.screenshot({ path: 'test-results/matters-escalations-page.png', fullPage: true });

  // Admin → Matters & escalation: the threshold is a setting.
  await page.goto(`${base}/admin/escalation`);
  await page.getByRole('heading', { level: 1, name: 'Matters and escalation' }).waitFor();
  await page.getByLabel('At its contact number').fill('4');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.equal(
    (await apiCall<{ contactThreshold: number }>('GET', '/escalations/settings')).contactThreshold,
    4,
  );
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
});
