import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { fakeClock } from '../../src/platform/index.js';
import { axe, collectProblems, freePort, startE2e, until } from './support.js';

/**
 * The whole chain in a real browser, on a clock the test moves: a conversation arrives half an hour before
 * close of business on the day before a holiday; on the holiday its first-response deadline has not passed
 * (the calendar skips the day); the next business day it breaches, once, and the team lead's bell shows it;
 * the agent answers and solves it in the app; an hour later the follow-up check-in goes out; the customer
 * answers "not fixed" through its link; the conversation is open again and its page shows the answer.
 * axe-core on the lead's page with the panel open, the survey page and the agent's conversation page;
 * screenshots test-results/chain-*.png.
 */

/**
 * The dates: the first Wednesday at least two days ahead (sessions last 14 days from the server's clock, so
 * the browser must not see their cookies as already expired), the holiday on the Thursday after it. The
 * calendar's zone, Asia/Tokyo, has no daylight saving time: its hours are fixed UTC instants.
 */
const day = new Date(Date.now() + 2 * 86_400_000);
while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
const dateOf = (offset: number) => new Date(day.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const wednesday = dateOf(0);
const holiday = dateOf(1);
const friday = dateOf(2);
const tokyo = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`);

const port = await freePort();
const clock = fakeClock(tokyo(wednesday, '16:30'));
const { base, token, browser, apiCall } = await startE2e({
  clock,
  env: {
    PORT: String(port),
    STEWARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Workers on: SLA clocks, their deadline jobs, notifications and surveys are background work.
    STEWARD_WORKERS: 'on',
    STEWARD_JOB_POLL_MS: '50',
  },
});

type Person = { id: number; name: string };
const password = 'follow-up chain long password';
async function addPerson(name: string, email: string, role: string): Promise<Person> {
  return (await apiCall<{ person: Person }>('POST', '/people', { name, email, role, password })).person;
}
const lead = await addPerson('Lena Lead', 'lena@example.com', 'lead');
const agent = await addPerson('Omar Agent', 'omar@example.com', 'agent');
const team = await apiCall<{ id: number }>('POST', '/teams', { name: 'Appliances', leadId: lead.id });
for (const person of [lead, agent]) {
  // 204, no body: not through apiCall, which reads JSON.
  const res = await fetch(`${base}/api/v1/teams/${team.id}/members/${person.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 204);
}

const weekday = [{ start: '09:00', end: '17:00' }];
const calendar = await apiCall<{ id: number }>('POST', '/calendars', {
  name: 'Tokyo office',
  timeZone: 'Asia/Tokyo',
  week: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: weekday, 6: [], 7: [] },
  holidays: [{ date: holiday, name: 'Company holiday' }],
});
await apiCall('PUT', `/teams/${team.id}/calendar`, { calendarId: calendar.id });
await apiCall('POST', '/sla-policies', {
  name: 'Appliances: first reply within the business hour',
  conditions: { teamIds: [team.id] },
  firstResponseMinutes: 60,
  businessHours: true,
});
await apiCall('PATCH', '/survey-settings', { enabled: true, delayMinutes: 60 });

const leadPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const problems = [leadPage, agentPage].map((p) => collectProblems(p, [401]));

async function signIn(page: Page, email: string) {
  await page.goto(base);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.locator('.live-live').waitFor();
}

/** A GET as the person signed in on that page (their session cookie). */
async function as<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return res.json();
  }, path) as Promise<T>;
}

type Clock = {
  target: string;
  state: string;
  dueAt: string | null;
  metAt: string | null;
  breachedAt: string | null;
};
type Notification = { kind: string; title: string; link: string; read: boolean };
const firstResponse = async (id: number) =>
  (await apiCall<{ clocks: Clock[] }>('GET', `/conversations/${id}/sla`)).clocks.find(
    (c) => c.target === 'first_response',
  );
const notificationsOf = async (page: Page, kind: string) =>
  (await as<{ items: Notification[] }>(page, '/notifications')).items.filter((n) => n.kind === kind);

/** 30 business minutes on Wednesday, none on the holiday, the other 30 on Friday morning. */
const dueAt = tokyo(friday, '09:30').toISOString();
let id = 0;

test('Wednesday 16:30 in Tokyo: a conversation arrives for the team, due Friday 9:30 (Thursday is a holiday)', async () => {
  await signIn(leadPage, 'lena@example.com');
  await signIn(agentPage, 'omar@example.com');
  const created = await apiCall<{ conversation: { id: number } }>('POST', '/conversations', {
    subject: 'The dishwasher leaks',
    channel: 'api',
    customer: { email: 'noor@example.com', name: 'Noor' },
    message: { body: 'There is water all over the kitchen floor.' },
    teamId: team.id,
    assigneeId: agent.id,
  });
  id = created.conversation.id;
  const clockNow = await until('the first-response clock', () => firstResponse(id));
  assert.equal(clockNow.state, 'running');
  assert.equal(clockNow.dueAt, dueAt);
});

test('on the holiday the deadline has not passed, and nobody is told of a breach', async () => {
  // Thursday noon: without the holiday the deadline (Thursday 9:30) would have passed two and a half hours ago.
  clock.set(tokyo(holiday, '12:00'));
  const c = await firstResponse(id);
  assert.equal(c?.state, 'running');
  assert.equal(c?.dueAt, dueAt);
  assert.equal(c?.breachedAt, null);
  assert.deepEqual(await notificationsOf(leadPage, 'sla_breached'), []);
  await leadPage.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
});

test('Friday 9:31: the first response breaches once, and the lead sees it in the bell', async () => {
  clock.set(tokyo(friday, '09:31'));
  // Overdue reads as breached at once; the breach job marks the clock (at its due time) and tells people.
  const breached = await until('the breach job', async () => {
    const c = await firstResponse(id);
    return c?.breachedAt ? c : undefined;
  });
  assert.equal(breached.state, 'breached');
  assert.equal(breached.breachedAt, dueAt);
  assert.equal(breached.metAt, null);

  // The lead is told live, without a reload.
  await leadPage.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  await leadPage.getByRole('button', { name: /^Notifications, / }).click();
  const panel = leadPage.getByRole('dialog', { name: 'Notifications' });
  const item = panel.locator('.bell-item', { hasText: `First response overdue on #${id}` });
  await item.waitFor();
  await item.getByText('A deadline was missed').waitFor();
  assert.deepEqual(await axe(leadPage), []);
  await leadPage.screenshot({ path: 'test-results/chain-lead-bell.png' });
  const told = await notificationsOf(leadPage, 'sla_breached');
  assert.equal(told.length, 1);
  assert.equal(told[0]?.link, `/conversations/${id}`);
  // Opening it lands on the conversation, with the deadline shown as breached.
  await item.getByRole('link').click();
  await leadPage.waitForURL(new RegExp(`/conversations/${id}$`));
  await leadPage
    .getByRole('region', { name: 'Deadlines' })
    .getByText(/^breached/)
    .waitFor();
  await leadPage.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
});

test('the agent answers and solves it in the app; the check-in is scheduled an hour later', async () => {
  await agentPage.goto(`${base}/conversations/${id}`);
  await agentPage.getByRole('heading', { level: 1, name: 'The dishwasher leaks' }).waitFor();
  await agentPage
    .getByRole('region', { name: 'Deadlines' })
    .getByText(/^breached/)
    .waitFor();
  // The agent was told too (the assignee), once.
  assert.equal((await notificationsOf(agentPage, 'sla_breached')).length, 1);
  // The clock moves between steps, as it would: the timeline keeps them in order.
  clock.advance(4 * 60_000);
  const reply = agentPage.getByRole('textbox', { name: /^Reply to/ });
  await reply.fill(
    'Sorry for the wait: please close the water tap under the sink; a technician is on the way.',
  );
  await agentPage.keyboard.press('Control+Enter');
  await agentPage.locator('.msg-outbound', { hasText: 'a technician is on the way' }).waitFor();
  clock.advance(2 * 60_000);
  await agentPage.getByRole('button', { name: 'Solve', exact: true }).click();
  await agentPage.locator('.conversation-facts .badge', { hasText: 'Solved' }).waitFor();

  const met = await until('the reply to count as the first response', async () => {
    const c = await firstResponse(id);
    return c?.metAt ? c : undefined;
  });
  assert.equal(met.metAt, tokyo(friday, '09:35').toISOString());
  assert.equal(met.state, 'breached', 'met late is still breached');
  assert.equal(met.breachedAt, dueAt);
  await until('the survey to be scheduled', async () => {
    const s = await apiCall<{ items: Array<{ status: string }> }>('GET', `/conversations/${id}/surveys`);
    return s.items[0]?.status === 'scheduled' ? true : undefined;
  });
});

test('an hour later the check-in goes out; "not fixed" through its link reopens the conversation', async () => {
  clock.advance(60 * 60_000 + 1000);
  const link = await until('the check-in', async () => {
    const m = await apiCall<{ items: Array<{ body: string; direction: string }> }>(
      'GET',
      `/conversations/${id}/messages`,
    );
    const out = m.items.find((x) => x.direction === 'outbound' && x.body.includes('/survey/'));
    return out ? /(http:\/\/\S+\/survey\/[A-Za-z0-9_-]{43})\?fixed=no/.exec(out.body)?.[1] : undefined;
  });

  clock.advance(20 * 60_000);
  const customer = await (await browser.newContext()).newPage();
  const customerProblems = collectProblems(customer, []);
  await customer.goto(`${link}?fixed=no`);
  await customer.getByRole('heading', { name: 'Thank you for your answer.' }).waitFor();
  await customer.getByText('We have reopened your request').waitFor();
  assert.deepEqual(await axe(customer), []);
  await customer.screenshot({ path: 'test-results/chain-survey-answer.png', fullPage: true });
  assert.deepEqual(customerProblems, []);

  await until('the conversation to reopen', async () => {
    const c = await apiCall<{ conversation: { status: string } }>('GET', `/conversations/${id}`);
    return c.conversation.status === 'open' ? true : undefined;
  });
});

test("the agent's page shows it open with the answer; the agent is told; the breach was told only once", async () => {
  await agentPage.reload();
  await agentPage.getByRole('heading', { level: 1, name: 'The dishwasher leaks' }).waitFor();
  await agentPage.locator('.conversation-facts .badge', { hasText: 'Open' }).waitFor();
  const survey = agentPage.getByRole('region', { name: 'Follow-up survey' });
  await survey.getByText(/^answered .*, reopened$/).waitFor();
  assert.equal(
    (await survey.locator('dt', { hasText: 'Fixed' }).locator('xpath=../dd').textContent()) ?? '',
    'no',
  );
  await until('the assignee to be told', async () => {
    const n = await notificationsOf(agentPage, 'survey_not_fixed');
    return n.length === 1 ? true : undefined;
  });
  await agentPage.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).waitFor();
  assert.deepEqual(await axe(agentPage), []);
  await agentPage.screenshot({ path: 'test-results/chain-conversation.png', fullPage: true });

  // Exactly one breach, however much the clock moved since.
  assert.equal((await notificationsOf(leadPage, 'sla_breached')).length, 1);
  assert.equal((await notificationsOf(agentPage, 'sla_breached')).length, 1);
  assert.deepEqual(problems.flat(), []);
});
