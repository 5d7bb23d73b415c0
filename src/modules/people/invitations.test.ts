import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { call, callWithSession, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { startFakeSmtp } from '../../../test/support/smtp.js';

const smtp = await startFakeSmtp();
after(() => smtp.close());
const t = await createTestApp({ smtpUrl: smtp.url, publicUrl: 'https://help.example.test' });
/** Without a mail server: the admin is handed the link. */
const noMail = await createTestApp({ publicUrl: 'https://help.example.test' });
const limited = await createTestApp({ signInPerMinute: 2 });

let n = 0;
const address = () => `invitee-${Date.now().toString(36)}-${++n}@example.com`;
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
const lookup = (token: string, app = t.app) =>
  app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', payload: { token } });
const accept = (token: string, body: { name?: string; password?: string } = {}, app = t.app) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    payload: { token, name: body.name ?? 'Ivy Invited', password: body.password ?? 'my own passphrase' },
  });

function linkIn(email: string): string {
  const mail = mailsTo(email).at(-1);
  assert.ok(mail, `no mail to ${email}`);
  const m = /https:\/\/help\.example\.test\/accept-invitation#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  assert.ok(m, `no invitation link in\n${mail.text}`);
  return m[1]!;
}

async function invite(ws: TestWorkspace, body: Record<string, unknown> = {}) {
  const email = address();
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', {
    email,
    name: 'Ivy',
    role: 'agent',
    ...body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return {
    email,
    id: res.json().invitation.id as number,
    personId: res.json().invitation.personId as number,
  };
}

describe('invitations', () => {
  test('invite → mail → accept: the invited person chooses name and password and is signed in', async () => {
    const ws = await t.workspace();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Billing' })).json();
    const email = address();
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', {
      email: email.toUpperCase(),
      name: 'Ivy',
      role: 'lead',
      teamIds: [team.id],
    });
    assert.equal(res.statusCode, 201, res.body);
    const sent = res.json();
    assert.equal(sent.delivery, 'email');
    assert.equal(sent.link, undefined, 'no link to the admin when it is mailed');
    assert.equal(sent.invitation.email, email);

    const person = await call(t.app, ws.owner, 'GET', `/api/v1/people/${sent.invitation.personId}`);
    assert.equal(person.json().status, 'invited');
    const members = (await call(t.app, ws.owner, 'GET', `/api/v1/teams/${team.id}`)).json().memberIds;
    assert.ok(members.includes(sent.invitation.personId));
    const pending = (await call(t.app, ws.owner, 'GET', '/api/v1/invitations')).json();
    assert.deepEqual(
      pending.items.map((i: { email: string }) => i.email),
      [email],
    );
    assert.equal(pending.canSendEmail, true);

    // No password yet: cannot sign in with anything.
    const early = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: ws.slug, email, password: 'my own passphrase' },
    });
    assert.equal(early.statusCode, 401);

    await t.worker.drain();
    const mail = mailsTo(email)[0]!;
    assert.match(mail.headers.subject ?? '', /invited you to/);
    assert.match(mail.text, /as lead/);
    const token = linkIn(email);
    const stored = await t.deps.db.execute('select token_hash from invitations');
    assert.ok(!JSON.stringify(stored.rows).includes(token), 'stored hashed only');

    const seen = await lookup(token);
    assert.equal(seen.statusCode, 200, seen.body);
    assert.deepEqual(seen.json().workspace, { name: `Workspace ${ws.slug}`, slug: ws.slug });
    assert.equal(seen.json().email, email);

    const accepted = await accept(token, { name: 'Ivy Ingram' });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().person.name, 'Ivy Ingram');
    assert.equal(accepted.json().person.status, 'active');
    const cookie = accepted.cookies.find((c) => c.name === 'steward_session')!.value;
    const session = { cookie, csrfToken: accepted.json().csrfToken as string };
    assert.equal((await callWithSession(t.app, session, 'GET', '/api/v1/conversations')).statusCode, 200);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: ws.slug, email, password: 'my own passphrase' },
    });
    assert.equal(signIn.statusCode, 200);

    const again = await accept(token);
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error.code, 'INVITATION_LINK_INVALID');
    assert.equal((await lookup(token)).statusCode, 400);
    assert.deepEqual((await call(t.app, ws.owner, 'GET', '/api/v1/invitations')).json().items, []);
  });

  test('resend: a new link and 7 more days; the old link stops working', async () => {
    const ws = await t.workspace();
    const { email, id } = await invite(ws);
    await t.worker.drain();
    const first = linkIn(email);
    t.clock.advance(8 * 24 * 3600_000);
    assert.equal((await lookup(first)).statusCode, 400, 'expired after 7 days');
    assert.equal((await call(t.app, ws.owner, 'GET', '/api/v1/invitations')).json().items[0].expired, true);

    const resent = await call(t.app, ws.owner, 'POST', `/api/v1/invitations/${id}/resend`);
    assert.equal(resent.statusCode, 200, resent.body);
    assert.equal(resent.json().invitation.expired, false);
    await t.worker.drain();
    const second = linkIn(email);
    assert.notEqual(second, first);
    assert.equal((await accept(first)).statusCode, 400);
    assert.equal((await accept(second)).statusCode, 200);
    const gone = await call(t.app, ws.owner, 'POST', `/api/v1/invitations/${id}/resend`);
    assert.equal(gone.statusCode, 404, 'an accepted invitation is no longer pending');
  });

  test('revoke: the link dies, the invited person is removed, and the address can be invited again', async () => {
    const ws = await t.workspace();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Returns' })).json();
    const { email, id, personId } = await invite(ws, { teamIds: [team.id] });
    await t.worker.drain();
    const token = linkIn(email);
    const revoked = await call(t.app, ws.owner, 'DELETE', `/api/v1/invitations/${id}`);
    assert.equal(revoked.statusCode, 204, revoked.body);
    assert.equal((await accept(token)).statusCode, 400);
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/people/${personId}`)).statusCode, 404);
    assert.equal((await call(t.app, ws.owner, 'DELETE', `/api/v1/invitations/${id}`)).statusCode, 404);
    const again = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', {
      email,
      name: 'Ivy',
      role: 'agent',
    });
    assert.equal(again.statusCode, 201, again.body);
  });

  test('refusals: a taken address, a foreign team, bad input, an invited person changed like an active one', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const foreignTeam = (await call(t.app, other.owner, 'POST', '/api/v1/teams', { name: 'Theirs' })).json();
    const taken = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', {
      email: ws.owner.email,
      name: 'Owner again',
      role: 'agent',
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.code, 'EMAIL_TAKEN');
    const foreign = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', {
      email: address(),
      name: 'X',
      role: 'agent',
      teamIds: [foreignTeam.id],
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'TEAM_NOT_FOUND');
    for (const body of [
      { email: 'nope', name: 'X', role: 'agent' },
      { email: address(), name: '', role: 'agent' },
      { email: address(), name: 'X', role: 'boss' },
      { email: address(), name: 'X', role: 'agent', isOwner: true },
    ]) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/invitations', body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)} -> ${res.body}`);
    }
    const { personId } = await invite(ws);
    const activate = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${personId}`, { status: 'active' });
    assert.equal(activate.statusCode, 409);
    assert.equal(activate.json().error.code, 'PERSON_INVITED');
    const renamed = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${personId}`, { role: 'lead' });
    assert.equal(renamed.statusCode, 200, 'role and name may change before acceptance');
    const invitedList = await call(t.app, ws.owner, 'GET', '/api/v1/people?status=invited');
    assert.deepEqual(
      invitedList.json().items.map((p: { id: number }) => p.id),
      [personId],
    );
    for (const body of [{ token: 'short' }, { token: 'x'.repeat(43), name: 'X', password: 'short' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: body });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('only people admins invite, resend and revoke; another workspace gets 404', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const { id } = await invite(ws);
    for (const role of ['agent', 'lead', 'manager', 'executive'] as const) {
      const caller = await ws.person(role);
      for (const [method, url] of [
        ['GET', '/api/v1/invitations'],
        ['POST', '/api/v1/invitations'],
        ['POST', `/api/v1/invitations/${id}/resend`],
        ['DELETE', `/api/v1/invitations/${id}`],
      ] as const) {
        const res = await call(
          t.app,
          caller,
          method,
          url,
          method === 'POST' && !url.includes('resend')
            ? { email: address(), name: 'X', role: 'agent' }
            : undefined,
        );
        assert.equal(res.statusCode, 403, `${role} ${method} ${url}`);
      }
    }
    assert.equal(
      (await call(t.app, other.owner, 'POST', `/api/v1/invitations/${id}/resend`)).statusCode,
      404,
    );
    assert.equal((await call(t.app, other.owner, 'DELETE', `/api/v1/invitations/${id}`)).statusCode, 404);
    assert.deepEqual((await call(t.app, other.owner, 'GET', '/api/v1/invitations')).json().items, []);
    assert.equal((await call(t.app, ws.owner, 'GET', '/api/v1/invitations')).json().items.length, 1);
  });

  test('without a mail server the admin is handed the link once, and it works', async () => {
    const ws = await noMail.workspace();
    const email = address();
    const res = await call(noMail.app, ws.owner, 'POST', '/api/v1/invitations', {
      email,
      name: 'Lin',
      role: 'agent',
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().delivery, 'link');
    const link = res.json().link as string;
    assert.match(link, /^https:\/\/help\.example\.test\/accept-invitation#token=/);
    const list = (await call(noMail.app, ws.owner, 'GET', '/api/v1/invitations')).json();
    assert.equal(list.canSendEmail, false);
    assert.ok(!JSON.stringify(list).includes(link.split('=')[1]!), 'the list never shows the link');
    const resent = await call(
      noMail.app,
      ws.owner,
      'POST',
      `/api/v1/invitations/${res.json().invitation.id}/resend`,
    );
    const newLink = resent.json().link as string;
    assert.notEqual(newLink, link);
    assert.equal((await accept(link.split('=')[1]!, {}, noMail.app)).statusCode, 400);
    assert.equal((await accept(newLink.split('=')[1]!, {}, noMail.app)).statusCode, 200);
  });

  test('lookup and accept are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await lookup('z'.repeat(43), limited.app)).statusCode);
    assert.deepEqual(statuses, [400, 400, 429]);
  });
});
