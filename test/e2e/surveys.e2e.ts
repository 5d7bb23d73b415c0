import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeClock } from '../../src/platform/index.js';
import { admin, axe, collectProblems, freePort, startE2e, until } from './support.js';

/**
 * The follow-up after resolution in a real browser: the agent solves a conversation; two days later (the
 * clock moved) the check-in goes out with its one-click links; the customer opens "No, it is not fixed"; the
 * conversation is open again and its page shows the answer. axe-core on the survey page; screenshots
 * test-results/survey-*.png.
 */
const port = await freePort();
const clock = fakeClock(new Date());
const { base, browser, apiCall } = await startE2e({
  clock,
  env: {
    PORT: String(port),
    STEWARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
  },
});

const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const problems = collectProblems(page, [401]);

test('solved → check-in two days later → "not fixed" by the link → reopened', async () => {
  await apiCall('PATCH', '/survey-settings', { enabled: true, delayMinutes: 2880 });
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'The kettle does not heat',
    channel: 'api',
    customer: { email: 'kim@example.com', name: 'Kim' },
    message: { body: 'It stays cold.' },
  });
  const id = created.conversation.id;
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.goto(`${base}/conversations/${id}`);
  await page.getByRole('heading', { level: 1, name: 'The kettle does not heat' }).waitFor();
  await page.getByRole('button', { name: 'Solve', exact: true }).click();
  await page.locator('.conversation-facts .badge', { hasText: 'Solved' }).waitFor();
  await until('the survey to be scheduled', async () => {
    const s = await apiCall<{ items: Array<{ status: string }> }>('GET', `/conversations/${id}/surveys`);
    return s.items[0]?.status === 'scheduled' ? true : undefined;
  });

  clock.advance(2 * 86_400_000 + 1000);
  const link = await until('the check-in', async () => {
    const m = await apiCall<{ items: Array<{ body: string; direction: string }> }>(
      'GET',
      `/conversations/${id}/messages`,
    );
    const out = m.items.find((x) => x.direction === 'outbound' && x.body.includes('/survey/'));
    return out ? /(http:\/\/\S+\/survey\/[A-Za-z0-9_-]{43})\?fixed=no/.exec(out.body)?.[1] : undefined;
  });

  const customer = await (await browser.newContext()).newPage();
  await customer.goto(`${link}?fixed=no`);
  await customer.getByRole('heading', { name: 'Thank you for your answer.' }).waitFor();
  await customer.getByText('We have reopened your request').waitFor();
  assert.deepEqual(await axe(customer), []);
  await customer.getByLabel('4', { exact: true }).first().check();
  await customer.screenshot({ path: 'test-results/survey-page.png', fullPage: true });
  // The rest of the survey completes the same answer: a CSAT of 4 (satisfied).
  await customer.getByRole('button', { name: 'Send' }).click();
  await customer.getByRole('heading', { name: 'Thank you for your answer.' }).waitFor();
  await until('the CSAT answer', async () => {
    const s = await apiCall<{ items: Array<{ response: { csat: number | null } | null }> }>(
      'GET',
      `/conversations/${id}/surveys`,
    );
    return s.items[0]?.response?.csat === 4 ? true : undefined;
  });

  await until('the conversation to reopen', async () => {
    const c = await apiCall<{ conversation: { status: string } }>('GET', `/conversations/${id}`);
    return c.conversation.status === 'open' ? true : undefined;
  });
  await page.reload();
  await page.getByRole('heading', { name: 'Follow-up survey' }).waitFor();
  await page.getByText('Fixed', { exact: true }).waitFor();
  await page.getByText(/^answered .*, reopened$/).waitFor();
  await page.screenshot({ path: 'test-results/survey-conversation.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('Reports → Keeping promises shows the answer in the follow-up figures', async () => {
  // The answer was given on the server's clock (two days ahead): the period must reach that far.
  const until_ = new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
  await page.goto(`${base}/reports`);
  await page.getByRole('heading', { level: 1, name: 'Keeping promises' }).waitFor();
  await page.getByLabel('To (inclusive)').fill(until_);
  const feedback = page.getByRole('region', { name: 'Follow-up survey answers' });
  await feedback.getByTestId('report-csat').filter({ hasText: '100 %' }).waitFor();
  assert.match((await feedback.getByRole('region', { name: 'CSAT' }).textContent()) ?? '', /\b1 answer(?!s)/);
  await feedback.getByLabel('Per').selectOption('agent');
  // The per-agent table (its caption says so: the workspace's figure had a 100 % row too).
  await feedback.getByRole('table', { name: 'CSAT per agent' }).getByRole('row', { name: /100 %/ }).waitFor();
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/reports-feedback.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('Admin → Follow-up survey: different questions for a channel, saved with the settings', async () => {
  await page.goto(`${base}/admin/follow-up`);
  await page.getByRole('heading', { level: 1, name: 'Follow-up survey' }).waitFor();
  await page.getByLabel('Check in after (hours)').fill('24');
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const rule = page.getByRole('group', { name: 'Rule 1' });
  await rule.getByLabel('Rule 1 channel').selectOption('chat');
  await rule.getByLabel('Rule 1 NPS').selectOption('ask');
  await rule.getByLabel('Rule 1 Comment').selectOption('skip');
  await page.getByRole('button', { name: 'Add a rule' }).click();
  await page.getByLabel('Rule 2 channel').selectOption('');
  await page.getByLabel('Rule 2 tier').fill('Gold');
  await page.getByLabel('Rule 2 CSAT').selectOption('skip');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Follow-up settings saved.').waitFor();
  const saved = await apiCall<{ delayMinutes: number; overrides: unknown[] }>('GET', '/survey-settings');
  assert.equal(saved.delayMinutes, 1440);
  assert.deepEqual(saved.overrides, [
    { channel: 'chat', questions: { nps: true, comment: false } },
    { tier: 'Gold', questions: { csat: false } },
  ]);
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: 'test-results/survey-settings.png', fullPage: true });
  // Removing a rule and saving removes it.
  await page.getByRole('button', { name: 'Remove rule 1' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Follow-up settings saved.').waitFor();
  await until('one rule left', async () => {
    const s = await apiCall<{ overrides: Array<{ tier?: string }> }>('GET', '/survey-settings');
    return s.overrides.length === 1 && s.overrides[0]?.tier === 'Gold' ? true : undefined;
  });
  assert.deepEqual(problems, []);
});
