import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';
import { backoffMs, findJobs } from '../../platform/index.js';
import { DIGEST_JOB, EMAIL_JOB } from './index.js';

/** E-mail through a real SMTP server on loopback, playing the remote mail server. */
const smtp = await startFakeSmtp();
after(() => smtp.close());
const t = await createTestApp({
  smtpUrl: smtp.url,
  mailFrom: 'Steward <steward@example.test>',
  publicUrl: 'https://help.example.test/',
  start: '2026-03-02T09:10:00Z',
});

beforeEach(() => {
  smtp.rcpt = () => undefined;
});

async function conversationOf(caller: Caller): Promise<number> {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Parcel lost',
    channel: 'email',
    customer: { name: 'Casey', email: `c${Math.random().toString(36).slice(2)}@example.com` },
    message: { body: 'Where is my parcel?' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id;
}

const prefs = (caller: Caller, body: unknown) =>
  call(t.app, caller, 'PUT', '/api/v1/notifications/preferences', body);
const notifications = async (caller: Caller) =>
  (await call(t.app, caller, 'GET', '/api/v1/notifications')).json().items as Array<{
    id: number;
    title: string;
    emailedAt: string | null;
  }>;
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

describe('notification e-mail', () => {
  test('immediate: one mail per notification, to the person, with a link to Steward; marked emailed', async () => {
    const ws = await t.workspace();
    const a = await ws.person('lead');
    const b = await ws.person('agent');
    const active = await prefs(b, { email: { assigned: 'immediate' } });
    assert.equal(active.json().emailActive, true);
    assert.equal(active.json().emailInactiveReason, null);
    const id = await conversationOf(a);
    await call(t.app, a, 'PATCH', `/api/v1/conversations/${id}`, { assigneeId: b.personId });
    await t.worker.drain();

    const mails = mailsTo(b.email);
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.equal(mail!.headers.subject, `A lead assigned conversation #${id} to you`);
    assert.equal(mail!.from, 'steward@example.test');
    assert.equal(mail!.headers['auto-submitted'], 'auto-generated');
    assert.match(mail!.headers['message-id']!, /^<job-\d+-\d+@example\.test>$/);
    assert.match(mail!.text, /Hello A agent,/);
    assert.ok(mail!.text.includes(`https://help.example.test/conversations/${id}`), mail!.text);
    const [n] = await notifications(b);
    assert.equal(n!.emailedAt, t.clock.now().toISOString());

    await t.worker.drain();
    assert.equal(mailsTo(b.email).length, 1, 'sent once');
  });

  test('defaults: an assignment is not e-mailed', async () => {
    const ws = await t.workspace();
    const b = await ws.person('agent');
    const id = await conversationOf(ws.owner);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, { assigneeId: b.personId });
    await t.worker.drain();
    assert.equal((await notifications(b)).length, 1);
    assert.equal(mailsTo(b.email).length, 0);
    assert.equal((await findJobs(t.deps.db, ws.id, { type: EMAIL_JOB })).length, 0);
  });

  test('a server that says "try later" (451) gets the mail again after the backoff; it arrives once', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    await prefs(b, { email: { mention: 'immediate' } });
    const id = await conversationOf(a);
    smtp.rcpt = () => ({ code: 451, message: 'Mailbox busy, try again later' });
    await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
      direction: 'note',
      body: 'Look',
      mentionIds: [b.personId],
    });
    await t.worker.drain();
    assert.equal(mailsTo(b.email).length, 0);
    const [job] = await findJobs(t.deps.db, ws.id, { type: EMAIL_JOB });
    assert.equal(job!.status, 'queued');
    assert.equal(job!.attempts, 1);
    assert.match(job!.lastError ?? '', /451|try again/i);
    assert.equal((await notifications(b))[0]!.emailedAt, null);

    smtp.rcpt = () => undefined;
    t.clock.advance(backoffMs(1));
    await t.worker.drain();
    assert.equal(mailsTo(b.email).length, 1);
    assert.equal((await findJobs(t.deps.db, ws.id, { type: EMAIL_JOB }))[0]!.status, 'done');
    assert.ok((await notifications(b))[0]!.emailedAt);
  });

  test('a final refusal (550) is not retried', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    await prefs(b, { email: { mention: 'immediate' } });
    const id = await conversationOf(a);
    smtp.rcpt = () => ({ code: 550, message: 'No such mailbox' });
    await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
      direction: 'note',
      body: 'Look',
      mentionIds: [b.personId],
    });
    await t.worker.drain();
    const [job] = await findJobs(t.deps.db, ws.id, { type: EMAIL_JOB });
    assert.equal(job!.status, 'done');
    assert.equal(job!.attempts, 1);
    assert.equal((await notifications(b))[0]!.emailedAt, null);
  });

  test('digest: several notifications of a period in one mail, leaving out what was read meanwhile', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    await prefs(b, { email: { mention: 'digest' }, digest: { frequency: 'hourly', timeZone: 'UTC' } });
    const id = await conversationOf(a);
    const start = t.clock.now().getTime();
    for (let i = 1; i <= 4; i++) {
      await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
        direction: 'note',
        body: `note ${i}`,
        mentionIds: [b.personId],
      });
      await t.worker.drain();
      t.clock.advance(60_000);
    }
    const jobs = await findJobs(t.deps.db, ws.id, { type: DIGEST_JOB });
    assert.equal(jobs.length, 1, 'one digest job per person and period');
    const nextHour = new Date(Math.floor(start / 3_600_000) * 3_600_000 + 3_600_000);
    assert.equal(jobs[0]!.runAt.toISOString(), nextHour.toISOString());
    assert.equal(mailsTo(b.email).length, 0, 'nothing before the period ends');

    const list = await notifications(b);
    assert.equal(list.length, 4);
    await call(t.app, b, 'POST', `/api/v1/notifications/${list[0]!.id}/read`);

    t.clock.set(nextHour);
    await t.worker.drain();
    const mails = mailsTo(b.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.headers.subject, 'Steward: 3 notifications you have not seen yet');
    assert.equal(mails[0]!.text.split(`mentioned you in a note on conversation #${id}`).length - 1, 3);
    assert.ok(mails[0]!.text.includes(`https://help.example.test/conversations/${id}`));
    const after = await notifications(b);
    assert.equal(after.filter((n) => n.emailedAt !== null).length, 3);
    assert.equal(
      after.find((n) => n.id === list[0]!.id)!.emailedAt,
      null,
      'the one read in the app was not mailed',
    );

    // The next period starts afresh.
    await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
      direction: 'note',
      body: 'one more',
      mentionIds: [b.personId],
    });
    await t.worker.drain();
    t.clock.advance(3_600_000);
    await t.worker.drain();
    assert.equal(mailsTo(b.email).length, 2);
    assert.equal(mailsTo(b.email)[1]!.headers.subject, 'Steward: 1 notification you have not seen yet');
  });
});
