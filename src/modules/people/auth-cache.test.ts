import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, createTestApp } from '../../../test/support/app.js';
import { CredentialCache, type LiveToken } from './auth-cache.js';

const t = await createTestApp();

const liveToken = (id: number, personId: number, expiresAt: Date | null = null) =>
  ({
    token: { workspaceId: 1, id, personId, tokenHash: `hash-${id}`, expiresAt },
    person: { workspaceId: 1, id: personId },
  }) as unknown as LiveToken;

describe('CredentialCache', () => {
  const now = new Date('2026-03-02T09:00:00Z');

  test('remembers for its time to live, and never past the expiry of the credential', async () => {
    const cache = new CredentialCache(30);
    cache.rememberToken(cache.generation(), liveToken(1, 7));
    cache.rememberToken(cache.generation(), liveToken(2, 7, new Date('2026-03-02T10:00:00Z')));
    assert.equal(cache.token('hash-1', now)?.token.id, 1);
    assert.equal(cache.token('hash-2', new Date('2026-03-02T10:00:00Z')), undefined, 'expired');
    await sleep(40);
    assert.equal(cache.token('hash-1', now), undefined, 'looked up again after the time to live');
  });

  test('forgets a token, or every credential of a person; a lookup that overlapped a change is not kept', () => {
    const cache = new CredentialCache();
    cache.rememberToken(cache.generation(), liveToken(1, 7));
    cache.rememberToken(cache.generation(), liveToken(2, 7));
    cache.rememberToken(cache.generation(), liveToken(3, 8));
    cache.forgetToken(1, 1);
    assert.equal(cache.token('hash-1', now), undefined);
    cache.forgetPerson(1, 7);
    assert.equal(cache.token('hash-2', now), undefined);
    assert.equal(cache.token('hash-3', now)?.token.id, 3);

    const before = cache.generation();
    cache.forgetPerson(1, 9); // a change commits while a lookup is in flight
    cache.rememberToken(before, liveToken(4, 9));
    assert.equal(cache.token('hash-4', now), undefined);
  });
});

describe('cached credentials follow changes made through this process at once', () => {
  test("a role change applies to the person's next request by token", async () => {
    const ws = await t.workspace();
    const lead = await ws.person('lead');
    const agent = await ws.person('agent');
    const assign = () =>
      call(t.app, lead, 'POST', '/api/v1/conversations', {
        subject: 'Card',
        channel: 'email',
        customer: { email: 'role-change@example.com' },
        message: { body: 'Hello' },
        assigneeId: agent.personId,
      });
    assert.equal((await assign()).statusCode, 201);
    const demoted = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${lead.personId}`, {
      role: 'agent',
    });
    assert.equal(demoted.statusCode, 200, demoted.body);
    const refused = await assign();
    assert.equal(refused.statusCode, 403, refused.body);
  });

  test('changing the password ends the other sessions at once', async () => {
    const ws = await t.workspace();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { workspace: ws.slug, email: ws.owner.email, password: ws.owner.password },
    });
    const cookie = signIn.cookies.find((c) => c.name === 'steward_session')!.value;
    const read = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/workspace', cookies: { steward_session: cookie } });
    assert.equal((await read()).statusCode, 200);
    const changed = await call(t.app, ws.owner, 'PUT', '/api/v1/me/password', {
      currentPassword: ws.owner.password,
      newPassword: 'a brand new passphrase',
    });
    assert.ok(changed.statusCode < 300, changed.body);
    assert.equal((await read()).statusCode, 401);
  });
});
