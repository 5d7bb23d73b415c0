import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';
import { eventConsumers, jobHandlers } from '../../boot.js';
import { schema } from '../../db/index.js';
import { createWorker, findJobs, sha256 } from '../../platform/index.js';
import { readReplyAnswer } from './rules.js';

const START = '2026-03-02T09:00:00.000Z';
const relay = await startFakeSmtp();
after(() => relay.close());
const t = await createTestApp({
  start: START,
  smtpUrl: relay.url,
  publicUrl: 'http://steward.test',
  autoCloseDays: 30,
});
const MINUTE = 60_000;
/** The worker's poll interval in production (config default): a job must fire within it of its time. */
const POLL_MS = 1_000;
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE);
const settle = () => t.worker.drain();
let n = 0;

async function enable(ws: TestWorkspace, body: Record<string, unknown> = {}) {
  const res = await call(t.app, ws.owner, 'PATCH', '/api/v1/survey-settings', {
    enabled: true,
    delayMinutes: 60,
    reminderMinutes: 120,
    expireMinutes: 1440,
    ...body,
  });
  assert.equal(res.statusCode, 200, res.body);
}

async function converse(ws: TestWorkspace, extra: Record<string, unknown> = {}, email?: string) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Broken kettle ${++n}`,
    channel: 'email',
    customer: { email: email ?? `c${n}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    message: { body: 'My kettle does not heat.' },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation as { id: number; customerId: number };
}
async function setStatus(ws: TestWorkspace, id: number, status: string) {
  const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, { status });
  assert.equal(res.statusCode, 200, res.body);
  await settle();
}
async function surveysOf(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}/surveys`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Array<Record<string, unknown> & { id: number; status: string }>;
}
const mailsFor = (conversationId: number) =>
  relay.received.filter((m) => (m.headers.subject ?? '').includes(`[#${conversationId}]`));
const tokenIn = (text: string) => /\/survey\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe('follow-up settings', () => {
  test('off by default; admins change them, agents only read', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const read = await call(t.app, agent, 'GET', '/api/v1/survey-settings');
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().enabled, false);
    assert.equal(
      (await call(t.app, agent, 'PATCH', '/api/v1/survey-settings', { enabled: true })).statusCode,
      403,
    );
    const bad = await call(t.app, ws.owner, 'PATCH', '/api/v1/survey-settings', { reopenAtOrBelowCsat: 9 });
    assert.equal(bad.statusCode, 400);
    const changed = await call(t.app, ws.owner, 'PATCH', '/api/v1/survey-settings', {
      enabled: true,
      overrides: [{ channel: 'chat', questions: { ces: false } }],
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().delayMinutes, 2880);
    assert.deepEqual(changed.json().overrides, [{ channel: 'chat', questions: { ces: false } }]);
  });
});

describe('the follow-up after resolution', () => {
  test('check-in and one reminder fire once, within a poll interval of their time, across a restart; "not fixed" reopens', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await enable(ws, { overrides: [{ tier: 'gold', questions: { nps: true } }] });
    const agent = await ws.person('agent');
    const c = await converse(ws, { assigneeId: agent.personId });
    await call(t.app, ws.owner, 'PATCH', `/api/v1/customers/${c.customerId}`, { tier: 'Gold' });
    await setStatus(ws, c.id, 'solved');
    let [survey] = await surveysOf(ws, c.id);
    assert.equal(survey?.status, 'scheduled');
    assert.equal(survey?.dueAt, at(60).toISOString());
    assert.deepEqual(survey?.questions, { csat: true, ces: true, nps: true, comment: true });

    t.clock.set(new Date(at(60).getTime() - 1));
    await settle();
    assert.equal((await surveysOf(ws, c.id))[0]?.status, 'scheduled', 'nothing before its time');

    // A restart: a new worker on the same database; the job is still there.
    await t.worker.stop();
    const worker2 = createWorker({
      db: t.database.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      handlers: jobHandlers(t.deps),
      consumers: eventConsumers(t.deps),
      pollMs: 20,
    });
    try {
      t.clock.set(at(60));
      await worker2.drain();
      await worker2.drain();
      [survey] = await surveysOf(ws, c.id);
      assert.equal(survey?.status, 'sent');
      assert.ok(Date.parse(String(survey?.sentAt)) - at(60).getTime() < POLL_MS);
      const mails = mailsFor(c.id);
      assert.equal(mails.length, 1, 'one check-in mail');
      assert.match(mails[0]!.headers.subject!, /^Re: Broken kettle \d+ \[#\d+\]$/);
      const token = tokenIn(mails[0]!.text);
      assert.ok(token, mails[0]!.text);
      // Only the hash of the link's token is stored.
      const [row] = await t.database.db
        .select()
        .from(schema.surveys)
        .where(and(eq(schema.surveys.workspaceId, ws.id), eq(schema.surveys.id, survey!.id)));
      assert.equal(row?.tokenHash, sha256(token!));
      assert.ok(!JSON.stringify(row).includes(token!));

      // The one reminder, at its time; never a second one.
      t.clock.set(new Date(at(180).getTime() - 1));
      await worker2.drain();
      assert.equal(mailsFor(c.id).length, 1);
      t.clock.set(at(180));
      await worker2.drain();
      await worker2.drain();
      [survey] = await surveysOf(ws, c.id);
      assert.equal(survey?.status, 'reminded');
      assert.ok(Date.parse(String(survey?.remindedAt)) - at(180).getTime() < POLL_MS);
      assert.equal(mailsFor(c.id).length, 2);
      assert.equal(tokenIn(mailsFor(c.id)[1]!.text), token, 'the reminder carries the same link');
      t.clock.set(at(1000));
      await worker2.drain();
      assert.equal(mailsFor(c.id).length, 2, 'never more than one reminder');
      assert.equal(
        (await findJobs(t.database.db, ws.id, { type: 'survey.remind', statuses: ['done'] })).length,
        1,
      );

      // The one-click link: the page with the answer chosen, sent by its script.
      const page = await t.app.inject({ method: 'GET', url: `/survey/${token}?fixed=no` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="one-click"/);
      assert.match(page.body, /name="fixed" value="no"/);
      const posted = await t.app.inject({
        method: 'POST',
        url: `/survey/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'fixed=no',
      });
      assert.equal(posted.statusCode, 200, posted.body);
      assert.match(posted.body, /reopened your request/);
      // The rest of the survey, later: scores and a comment complete the same answer.
      const more = await t.app.inject({
        method: 'POST',
        url: `/survey/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'csat=2&ces=3&nps=4&comment=Still+cold',
      });
      assert.equal(more.statusCode, 200, more.body);
      await worker2.drain();
      await worker2.drain();
      const conv = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json().conversation;
      assert.equal(conv.status, 'open');
      assert.equal(conv.assigneeId, agent.personId);
      [survey] = await surveysOf(ws, c.id);
      assert.equal(survey?.status, 'answered');
      assert.deepEqual(survey?.response && { ...survey.response, answeredAt: 0, updatedAt: 0 }, {
        fixed: false,
        csat: 2,
        ces: 3,
        nps: 4,
        comment: 'Still cold',
        source: 'link',
        answeredAt: 0,
        updatedAt: 0,
      });
      const notes = (await call(t.app, agent, 'GET', '/api/v1/notifications')).json().items as Array<{
        kind: string;
      }>;
      assert.deepEqual(
        notes.filter((x) => x.kind === 'survey_not_fixed').length,
        1,
        'the assignee is told once',
      );
      assert.equal((await findJobs(t.database.db, ws.id, { type: 'survey.reopen' })).length, 1);
    } finally {
      await worker2.stop();
    }
  });

  test('hostile input: unknown tokens 404, bad scores 400, questions not asked 400', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await enable(ws, {
      reminderMinutes: null,
      questions: { csat: true, ces: false, nps: false, comment: false },
    });
    const c = await converse(ws);
    await setStatus(ws, c.id, 'solved');
    t.clock.set(at(60));
    await settle();
    await settle();
    const token = tokenIn(mailsFor(c.id)[0]!.text)!;
    const post = (payload: string, url = `/survey/${token}`) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
    assert.equal((await t.app.inject({ method: 'GET', url: '/survey/nope' })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/survey/${'a'.repeat(43)}` })).statusCode, 404);
    assert.equal((await post('csat=9')).statusCode, 400);
    assert.equal((await post('csat=abc')).statusCode, 400);
    assert.equal((await post('nps=5')).statusCode, 400);
    assert.equal((await post('fixed=maybe')).statusCode, 400);
    assert.equal((await post('')).statusCode, 400);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/survey/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
          payload: 'csat=5',
        })
      ).statusCode,
      403,
    );
    // A good score does not reopen; no reminder was configured, so none is queued.
    assert.equal((await post('csat=5')).statusCode, 200);
    await settle();
    assert.equal(
      (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json().conversation.status,
      'solved',
    );
    assert.equal((await findJobs(t.database.db, ws.id, { type: 'survey.remind' })).length, 0);
    // After the answering window the link says so.
    t.clock.set(at(60 + 1440));
    await settle();
    assert.equal((await t.app.inject({ method: 'GET', url: `/survey/${token}` })).statusCode, 410);
  });

  test('reopened before the check-in: skipped and its job cancelled; the fatigue guard skips a second survey', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await enable(ws, { fatigueDays: 30 });
    const email = `tired-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const a = await converse(ws, {}, email);
    await setStatus(ws, a.id, 'solved');
    t.clock.set(at(10));
    await setStatus(ws, a.id, 'open');
    let [survey] = await surveysOf(ws, a.id);
    assert.equal(survey?.status, 'skipped');
    assert.equal(survey?.skipReason, 'reopened');
    assert.equal(
      (await findJobs(t.database.db, ws.id, { type: 'survey.send', statuses: ['cancelled'] })).length,
      1,
    );
    await setStatus(ws, a.id, 'solved');
    t.clock.set(at(80));
    await settle();
    await settle();
    [survey] = await surveysOf(ws, a.id);
    assert.equal(survey?.status, 'sent');
    const b = await converse(ws, {}, email);
    await setStatus(ws, b.id, 'solved');
    [survey] = await surveysOf(ws, b.id);
    assert.equal(survey?.status, 'skipped');
    assert.equal(survey?.skipReason, 'fatigue');
  });
  test('a customer merge takes the surveys along: the fatigue guard sees one person', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await enable(ws, { fatigueDays: 30 });
    const a = await converse(ws);
    await setStatus(ws, a.id, 'solved');
    t.clock.set(at(61));
    await settle();
    await settle();
    assert.equal((await surveysOf(ws, a.id))[0]?.status, 'sent');
    const b = await converse(ws);
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${b.customerId}/merge`, {
      sourceCustomerId: a.customerId,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    await settle();
    const [row] = await t.database.db
      .select()
      .from(schema.surveys)
      .where(and(eq(schema.surveys.workspaceId, ws.id), eq(schema.surveys.conversationId, a.id)));
    assert.equal(row?.customerId, b.customerId);
    await setStatus(ws, b.id, 'solved');
    const [survey] = await surveysOf(ws, b.id);
    assert.equal(survey?.status, 'skipped');
    assert.equal(survey?.skipReason, 'fatigue');
  });
});

describe('answers by reply', () => {
  test('only a bare answer is read: yes / not fixed / a lone 1-5, in English or German', () => {
    const cases: Array<[string, ReturnType<typeof readReplyAnswer>]> = [
      ['Yes', { fixed: true }],
      ['  yes, it is fixed!  ', { fixed: true }],
      ['Fixed.', { fixed: true }],
      ['Ja, es ist behoben', { fixed: true }],
      ['No', { fixed: false }],
      ['not fixed', { fixed: false }],
      ["No, it's not fixed.", { fixed: false }],
      ['Nein', { fixed: false }],
      ['4', { csat: 4 }],
      ['"5"', { csat: 5 }],
      ['0', null],
      ['6', null],
      ['10', null],
      ['no idea, the light still blinks', null],
      ['Yes\n\nbut the lid is loose', null],
      ['yesterday it broke again', null],
      ['', null],
    ];
    for (const [text, expected] of cases) assert.deepEqual(readReplyAnswer(text), expected, text);
  });

  test('a reply "not fixed" answers the open survey and tells the assignee; "4" adds the CSAT; a long reply answers nothing', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    await enable(ws);
    const agent = await ws.person('agent');
    const c = await converse(ws, { assigneeId: agent.personId });
    const reply = async (body: string) => {
      const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${c.id}/messages`, {
        direction: 'inbound',
        body,
      });
      assert.equal(res.statusCode, 201, res.body);
      await settle();
    };
    // Before any check-in went out, a "no" is just a message.
    await reply('No');
    await setStatus(ws, c.id, 'solved');
    t.clock.set(at(61));
    await settle();
    await settle();
    assert.equal((await surveysOf(ws, c.id))[0]?.status, 'sent');
    await reply('Not fixed!');
    type Response = { fixed: boolean | null; csat: number | null; comment: string | null; source: string };
    let [survey] = await surveysOf(ws, c.id);
    assert.equal(survey?.status, 'answered');
    let response = survey?.response as Response | undefined;
    assert.equal(response?.fixed, false);
    assert.equal(response?.source, 'email');
    const conv = (await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c.id}`)).json().conversation;
    assert.equal(conv.status, 'open', 'the reply reopened it');
    const notes = (await call(t.app, agent, 'GET', '/api/v1/notifications')).json().items as Array<{
      kind: string;
    }>;
    assert.equal(notes.filter((x) => x.kind === 'survey_not_fixed').length, 1);
    await reply('4');
    await reply('The lid is still loose, can you send a new one?');
    [survey] = await surveysOf(ws, c.id);
    response = survey?.response as Response | undefined;
    assert.deepEqual(
      { fixed: response?.fixed, csat: response?.csat, comment: response?.comment },
      { fixed: false, csat: 4, comment: null },
    );
  });
});

describe('CSAT, CES and NPS', () => {
  test('exact figures for a period, overall and by agent and channel', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const other = await ws.person('agent');
    const db = t.database.db;
    const answers: Array<[number, string, number | null, number | null, number | null, string]> = [
      // agent, channel, csat, ces, nps, answeredAt
      [agent.personId, 'email', 5, 7, 10, '2026-03-01T10:00:00Z'],
      [agent.personId, 'email', 4, 5, 9, '2026-03-01T11:00:00Z'],
      [agent.personId, 'chat', 3, 3, 7, '2026-03-01T12:00:00Z'],
      [other.personId, 'chat', 1, 2, 3, '2026-03-01T13:00:00Z'],
      [other.personId, 'email', null, 6, null, '2026-03-01T14:00:00Z'],
      // Outside the period: never counted.
      [other.personId, 'email', 1, 1, 0, '2026-02-01T14:00:00Z'],
    ];
    for (const [agentId, channel, csat, ces, nps, answeredAt] of answers) {
      const c = await converse(ws);
      const [s] = await db
        .insert(schema.surveys)
        .values({
          workspaceId: ws.id,
          conversationId: c.id,
          customerId: c.customerId,
          agentId,
          channel: channel as 'email',
          questions: { csat: true, ces: true, nps: true, comment: true },
          status: 'answered',
          solvedAt: new Date(answeredAt),
          dueAt: new Date(answeredAt),
          createdAt: new Date(answeredAt),
          updatedAt: new Date(answeredAt),
        })
        .returning();
      await db.insert(schema.surveyResponses).values({
        workspaceId: ws.id,
        surveyId: s!.id,
        conversationId: c.id,
        customerId: c.customerId,
        agentId,
        channel: channel as 'email',
        csat,
        ces,
        nps,
        source: 'link',
        answeredAt: new Date(answeredAt),
        updatedAt: new Date(answeredAt),
      });
    }
    const period = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';
    const exec = await ws.person('executive');
    const get = async (metric: string, by = '') => {
      const res = await call(t.app, exec, 'GET', `/api/v1/survey-figures/${metric}?${period}${by}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const csat = await get('csat', '&by=agent');
    // 5, 4, 3, 1: two of four are 4-5.
    assert.deepEqual(csat.overall, { key: null, count: 4, value: 50, satisfied: 2 });
    assert.deepEqual(csat.groups, [
      { key: agent.personId, count: 3, value: 66.67, satisfied: 2 },
      { key: other.personId, count: 1, value: 0, satisfied: 0 },
    ]);
    // 7, 5, 3, 2, 6: mean 4.6.
    const ces = await get('ces', '&by=channel');
    assert.deepEqual(ces.overall, { key: null, count: 5, value: 4.6 });
    assert.deepEqual(ces.groups, [
      { key: 'chat', count: 2, value: 2.5 },
      { key: 'email', count: 3, value: 6 },
    ]);
    // 10, 9, 7, 3: 2 promoters, 1 detractor of 4 = 25.
    const nps = await get('nps');
    assert.deepEqual(nps.overall, { key: null, count: 4, value: 25, promoters: 2, detractors: 1 });
    const empty = await call(
      t.app,
      exec,
      'GET',
      '/api/v1/survey-figures/nps?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
    );
    assert.equal(empty.json().overall.value, null);
    const backwards = await call(
      t.app,
      exec,
      'GET',
      '/api/v1/survey-figures/csat?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
    );
    assert.equal(backwards.statusCode, 400);
    const agentCall = await call(t.app, agent, 'GET', `/api/v1/survey-figures/csat?${period}`);
    assert.equal(agentCall.statusCode, 403);
  });
});
