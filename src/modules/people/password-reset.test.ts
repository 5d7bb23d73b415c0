import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { call, callWithSession, createTestApp, signIn } from '../../../test/support/app.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';
import { findJobs } from '../../platform/index.js';
import { ACCOUNT_MAIL_JOB } from './index.js';

/** Mails go to a real SMTP server on loopback; each test reads its link out of the mail it received. */
const smtp = await startFakeSmtp();
after(() => smtp.close());
const t = await createTestApp({ smtpUrl: smtp.url, publicUrl: 'https://help.example.test/' });
/** The same without a mail server. */
const noMail = await createTestApp();
/** A tight per-address limit. */
const limited = await createTestApp({
  smtpUrl: smtp.url,
  publicUrl: 'https://help.example.test',
  signInPerMinute: 3,
});

const ask = (body: unknown, app = t.app) =>
  app.inject({ method: 'POST', url: '/api/v1/password-reset', payload: body as Record<string, unknown> });
const confirm = (token: string, password: string, app = t.app) =>
  app.inject({ method: 'POST', url: '/api/v1/password-reset/confirm', payload: { token, password } });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
const signInStatus = async (workspace: string, email: string, password: string) =>
  (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace, email, password },
    })
  ).statusCode;

/** The secret of the newest reset link mailed to `email`. */
function linkIn(email: string): string {
  const mail = mailsTo(email).at(-1);
  assert.ok(mail, `no mail to ${email}`);
  const m = /https:\/\/help\.example\.test\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  assert.ok(m, `no reset link in\n${mail.text}`);
  return m[1]!;
}

describe('password reset by e-mail', () => {
  test('forgot → mail with a one-time link → new password; sessions end, the old password stops working', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const session = await signIn(t.app, ws.slug, agent);
    const res = await ask({ email: agent.email.toUpperCase(), workspace: ws.slug });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(mailsTo(agent.email).length, 0, 'sent by the job, not in the request');
    await t.worker.drain();
    const mail = mailsTo(agent.email)[0]!;
    assert.match(mail.headers.subject ?? '', /new password/i);
    assert.match(mail.text, new RegExp(ws.slug));
    const token = linkIn(agent.email);

    // Stored hashed only: no row of the database holds the secret.
    const rows = await t.deps.db.execute('select token_hash from password_resets');
    assert.ok(!JSON.stringify(rows.rows).includes(token));
    const jobs = await t.deps.db.execute('select payload from jobs');
    assert.ok(!JSON.stringify(jobs.rows).includes(token));

    const done = await confirm(token, 'my new secret passphrase');
    assert.equal(done.statusCode, 204, done.body);
    assert.equal(await signInStatus(ws.slug, agent.email, agent.password), 401);
    assert.equal(await signInStatus(ws.slug, agent.email, 'my new secret passphrase'), 200);
    assert.equal((await callWithSession(t.app, session, 'GET', '/api/v1/session')).statusCode, 401);

    const reuse = await confirm(token, 'yet another passphrase');
    assert.equal(reuse.statusCode, 400);
    assert.equal(reuse.json().error.code, 'RESET_LINK_INVALID');
    assert.equal(await signInStatus(ws.slug, agent.email, 'my new secret passphrase'), 200);
  });

  test('unknown, deactivated and known addresses all get the same 202; only the known one gets a mail', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const gone = await ws.person('agent');
    await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${gone.personId}`, { status: 'deactivated' });
    const before = smtp.received.length;
    const answers = [
      await ask({ email: 'nobody@example.com', workspace: ws.slug }),
      await ask({ email: agent.email, workspace: 'no-such-workspace' }),
      await ask({ email: gone.email, workspace: ws.slug }),
      await ask({ email: agent.email, workspace: ws.slug }),
    ];
    for (const a of answers) {
      assert.equal(a.statusCode, 202);
      assert.equal(a.body, answers[0]!.body);
    }
    await t.worker.drain();
    assert.equal(smtp.received.length, before + 1);
    assert.equal(mailsTo(agent.email).length, 1);
    assert.equal(mailsTo(gone.email).length, 0);
  });

  test('a link expires after one hour', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    await ask({ email: agent.email, workspace: ws.slug });
    await t.worker.drain();
    const token = linkIn(agent.email);
    t.clock.advance(61 * 60_000);
    const res = await confirm(token, 'too late passphrase');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'RESET_LINK_INVALID');
    assert.equal(await signInStatus(ws.slug, agent.email, agent.password), 200);
  });

  test('a password changed after the mail makes the link useless; a newer link ends the older ones', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    await ask({ email: agent.email, workspace: ws.slug });
    await t.worker.drain();
    const first = linkIn(agent.email);
    const changed = await call(t.app, agent, 'PUT', '/api/v1/me/password', {
      currentPassword: agent.password,
      newPassword: 'changed in the app meanwhile',
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal((await confirm(first, 'from the old link!')).statusCode, 400);

    await ask({ email: agent.email, workspace: ws.slug });
    await ask({ email: agent.email, workspace: ws.slug });
    await t.worker.drain();
    const [second, third] = mailsTo(agent.email)
      .slice(-2)
      .map((m) => /#token=([A-Za-z0-9_-]+)/.exec(m.text)![1]!);
    assert.equal((await confirm(third!, 'from the third link')).statusCode, 204);
    assert.equal((await confirm(second!, 'from the second link')).statusCode, 400);
    assert.equal(await signInStatus(ws.slug, agent.email, 'from the third link'), 200);
  });

  test('at most 3 mails per account and hour; the answer stays 202', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    for (let i = 0; i < 5; i++) assert.equal((await ask({ email: agent.email })).statusCode, 202);
    await t.worker.drain();
    assert.equal(mailsTo(agent.email).length, 3);
    t.clock.advance(61 * 60_000);
    await ask({ email: agent.email });
    await t.worker.drain();
    assert.equal(mailsTo(agent.email).length, 4, 'an hour later it works again');
  });

  test('the same address in two workspaces: the workspace named is the only one touched', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const shared = `both-${Date.now()}@example.com`;
    for (const ws of [a, b]) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/people', {
        email: shared,
        name: 'Sam',
        role: 'agent',
        password: 'the old passphrase',
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await ask({ email: shared, workspace: a.slug });
    await t.worker.drain();
    assert.equal(mailsTo(shared).length, 1);
    assert.match(mailsTo(shared)[0]!.text, new RegExp(`\\(${a.slug}\\)`));
    assert.equal((await confirm(linkIn(shared), 'new for a only!')).statusCode, 204);
    assert.equal(await signInStatus(a.slug, shared, 'new for a only!'), 200);
    assert.equal(await signInStatus(b.slug, shared, 'new for a only!'), 401);
    assert.equal(await signInStatus(b.slug, shared, 'the old passphrase'), 200);

    // Without a workspace: one mail per account, each naming its workspace.
    await ask({ email: shared });
    await t.worker.drain();
    const last = mailsTo(shared).slice(-2);
    assert.equal(last.length, 2);
    assert.deepEqual(
      last
        .map((m) => (m.text.includes(`(${a.slug})`) ? 'a' : m.text.includes(`(${b.slug})`) ? 'b' : '?'))
        .sort(),
      ['a', 'b'],
    );
  });

  test('a reset lifts a sign-in lock', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    for (let i = 0; i < 5; i++) await signInStatus(ws.slug, agent.email, `wrong password ${i}`);
    assert.equal(await signInStatus(ws.slug, agent.email, agent.password), 429);
    await ask({ email: agent.email, workspace: ws.slug });
    await t.worker.drain();
    assert.equal((await confirm(linkIn(agent.email), 'unlocked passphrase')).statusCode, 204);
    assert.equal(await signInStatus(ws.slug, agent.email, 'unlocked passphrase'), 200);
  });

  test('bad input is a 400; an unknown link is the same 400 as a used one', async () => {
    for (const body of [{}, { email: 'not-an-address' }, { email: 'a@example.com', extra: 1 }]) {
      const res = await ask(body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
    }
    assert.equal((await confirm('short', 'long enough passphrase')).statusCode, 400);
    const weak = await confirm('x'.repeat(43), 'short');
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.code, 'VALIDATION_FAILED');
    const unknown = await confirm('x'.repeat(43), 'long enough passphrase');
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'RESET_LINK_INVALID');
  });

  test('limited per address (STEWARD_SIGN_IN_PER_MINUTE), for asking and for confirming', async () => {
    const asked: number[] = [];
    for (let i = 0; i < 4; i++) asked.push((await ask({ email: 'x@example.com' }, limited.app)).statusCode);
    assert.deepEqual(asked, [202, 202, 202, 429]);
    const confirmed: number[] = [];
    for (let i = 0; i < 4; i++)
      confirmed.push((await confirm('y'.repeat(43), 'long enough passphrase', limited.app)).statusCode);
    assert.deepEqual(confirmed, [400, 400, 400, 429]);
  });

  test('without a mail server: the same 202, no mail queued, and GET /instance says so', async () => {
    const ws = await noMail.workspace();
    const res = await ask({ email: ws.owner.email, workspace: ws.slug }, noMail.app);
    assert.equal(res.statusCode, 202);
    assert.equal((await findJobs(noMail.deps.db, ws.id, { type: ACCOUNT_MAIL_JOB })).length, 0);
    const info = await noMail.app.inject({ method: 'GET', url: '/api/v1/instance' });
    assert.equal(info.json().setupNeeded, false);
    assert.equal(info.json().canSendEmail, false);
    const withMail = await t.app.inject({ method: 'GET', url: '/api/v1/instance' });
    assert.equal(withMail.json().canSendEmail, true);
  });
});

describe('my account: sign out everywhere else', () => {
  test('ends my other sessions and keeps this one; never touches a colleague', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const here = await signIn(t.app, ws.slug, agent);
    const laptop = await signIn(t.app, ws.slug, agent);
    const phone = await signIn(t.app, ws.slug, agent);
    const theirs = await signIn(t.app, ws.slug, colleague);
    const res = await callWithSession(t.app, here, 'DELETE', '/api/v1/me/sessions');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { ended: 2 });
    assert.equal((await callWithSession(t.app, here, 'GET', '/api/v1/session')).statusCode, 200);
    assert.equal((await callWithSession(t.app, laptop, 'GET', '/api/v1/session')).statusCode, 401);
    assert.equal((await callWithSession(t.app, phone, 'GET', '/api/v1/session')).statusCode, 401);
    assert.equal((await callWithSession(t.app, theirs, 'GET', '/api/v1/session')).statusCode, 200);
  });
});
