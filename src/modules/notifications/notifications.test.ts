import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, callWithSession, createTestApp, signIn } from '../../../test/support/app.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';
import { recordEvent } from '../../platform/index.js';

const t = await createTestApp();

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

const list = async (caller: Caller, query = '') => {
  const res = await call(t.app, caller, 'GET', `/api/v1/notifications${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    items: Array<{
      id: number;
      kind: string;
      title: string;
      link: string;
      read: boolean;
      readAt: string | null;
    }>;
    nextCursor: string | null;
  };
};
const unread = async (caller: Caller) =>
  (await call(t.app, caller, 'GET', '/api/v1/notifications/unread-count')).json().unread as number;
const note = (caller: Caller, conversationId: number, mentionIds: number[], body = 'Can you have a look?') =>
  call(t.app, caller, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'note',
    body,
    mentionIds,
  });

describe('notifications', () => {
  test('assigning a conversation to B: B has one unread notification linking it, A has none', async () => {
    const ws = await t.workspace();
    const a = await ws.person('lead');
    const b = await ws.person('agent');
    const id = await conversationOf(a);
    const res = await call(t.app, a, 'PATCH', `/api/v1/conversations/${id}`, { assigneeId: b.personId });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await unread(b), 0, 'nothing before the worker has read the event');
    await t.worker.drain();
    const mine = await list(b);
    assert.equal(mine.items.length, 1);
    const [n] = mine.items;
    assert.equal(n!.kind, 'assigned');
    assert.equal(n!.link, `/conversations/${id}`);
    assert.equal(n!.title, `A lead assigned conversation #${id} to you`);
    assert.equal(n!.read, false);
    assert.equal(await unread(b), 1);
    assert.equal((await list(a)).items.length, 0);
    assert.equal(await unread(a), 0);

    await t.worker.drain();
    assert.equal(await unread(b), 1, 'an event is turned into notifications once');

    // Taking a conversation yourself tells nobody.
    const other = await conversationOf(b);
    await call(t.app, b, 'PATCH', `/api/v1/conversations/${other}`, { assigneeId: b.personId });
    await t.worker.drain();
    assert.equal(await unread(b), 1);
  });

  test('a conversation created with an assignee tells the assignee', async () => {
    const ws = await t.workspace();
    const b = await ws.person('agent');
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      subject: 'Refund',
      channel: 'email',
      customer: { name: 'Casey', email: 'casey-refund@example.com' },
      message: { body: 'Please refund' },
      assigneeId: b.personId,
    });
    assert.equal(res.statusCode, 201, res.body);
    await t.worker.drain();
    assert.deepEqual(
      (await list(b)).items.map((n) => n.kind),
      ['assigned'],
    );
  });

  test('a note mentioning colleagues tells each of them once, never its author', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const c = await ws.person('executive');
    const id = await conversationOf(a);
    const res = await note(a, id, [b.personId, c.personId, b.personId, a.personId]);
    assert.equal(res.statusCode, 201, res.body);
    await t.worker.drain();
    for (const who of [b, c]) {
      const items = (await list(who)).items;
      assert.equal(items.length, 1);
      assert.equal(items[0]!.kind, 'mention');
      assert.equal(items[0]!.title, `A agent mentioned you in a note on conversation #${id}`);
      assert.equal(items[0]!.link, `/conversations/${id}`);
    }
    assert.equal(await unread(a), 0);
    const events = await call(t.app, ws.owner, 'GET', `/api/v1/events?limit=50`);
    const added = (events.json().items as Array<{ type: string; data: { mentionIds?: number[] } }>).find(
      (e) => e.type === 'note.added',
    );
    assert.deepEqual(
      added?.data.mentionIds,
      [b.personId, c.personId, a.personId],
      'in the event, deduplicated',
    );
  });

  test('mentions must be people of the workspace, and only notes mention; nothing is written otherwise', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const stranger = await other.person('agent');
    const a = await ws.person('agent');
    const id = await conversationOf(a);
    const foreign = await note(a, id, [stranger.personId]);
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(foreign.json().error.code, 'PERSON_NOT_FOUND');
    const missing = await note(a, id, [987654321]);
    assert.equal(missing.json().error.code, 'PERSON_NOT_FOUND');
    const reply = await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
      direction: 'outbound',
      body: 'Hello',
      mentionIds: [ws.owner.personId],
    });
    assert.equal(reply.statusCode, 400, reply.body);
    assert.equal(reply.json().error.code, 'VALIDATION_FAILED');
    for (const bad of [['1'], [0], [-3], 'x', Array.from({ length: 51 }, (_, i) => i + 1)]) {
      const res = await call(t.app, a, 'POST', `/api/v1/conversations/${id}/messages`, {
        direction: 'note',
        body: 'x',
        mentionIds: bad,
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
    }
    const messages = await call(t.app, a, 'GET', `/api/v1/conversations/${id}/messages`);
    assert.equal(messages.json().items.length, 1, 'only the first message');
  });

  test('unread count, the unread filter, paging, read (idempotent), read-all', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const id = await conversationOf(a);
    for (let i = 0; i < 3; i++) {
      assert.equal((await note(a, id, [b.personId], `note ${i}`)).statusCode, 201);
      t.clock.advance(1_000);
    }
    await t.worker.drain();
    assert.equal(await unread(b), 3);

    const first = await list(b, '?limit=2');
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = await list(b, `?limit=2&cursor=${first.nextCursor}`);
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, null);
    const all = [...first.items, ...second.items].map((n) => n.id);
    assert.deepEqual(
      all,
      [...all].sort((x, y) => y - x),
      'newest first',
    );

    const newest = all[0]!;
    const read = await call(t.app, b, 'POST', `/api/v1/notifications/${newest}/read`);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().read, true);
    const readAt = read.json().readAt;
    assert.equal(readAt, t.clock.now().toISOString());
    t.clock.advance(60_000);
    const again = await call(t.app, b, 'POST', `/api/v1/notifications/${newest}/read`);
    assert.equal(again.json().readAt, readAt, 'the first read time stays');
    assert.equal(await unread(b), 2);
    assert.deepEqual(
      (await list(b, '?unread=true')).items.map((n) => n.id),
      all.slice(1),
    );
    assert.equal((await list(b, '?unread=false')).items.length, 3, 'unread=false: all of them');

    const readAll = await call(t.app, b, 'POST', '/api/v1/notifications/read-all');
    assert.equal(readAll.statusCode, 200, readAll.body);
    assert.equal(readAll.json().marked, 2);
    assert.equal(await unread(b), 0);
    assert.equal((await call(t.app, b, 'POST', '/api/v1/notifications/read-all')).json().marked, 0);
  });

  test("another person's notification answers 404, like a missing one, and stays unread", async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const id = await conversationOf(a);
    await note(a, id, [b.personId]);
    await t.worker.drain();
    const theirs = (await list(b)).items[0]!.id;
    for (const who of [a, ws.owner]) {
      const res = await call(t.app, who, 'POST', `/api/v1/notifications/${theirs}/read`);
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().error.code, 'NOTIFICATION_NOT_FOUND');
      assert.equal((await list(who)).items.length, 0);
    }
    const missing = await call(t.app, a, 'POST', '/api/v1/notifications/987654321/read');
    assert.equal(missing.json().error.code, 'NOTIFICATION_NOT_FOUND');
    assert.equal(await unread(b), 1);
    await call(t.app, a, 'POST', '/api/v1/notifications/read-all');
    assert.equal(await unread(b), 1, "read-all is the caller's own only");
  });

  test('the event convention: notifyPersonIds of active people of the same workspace only', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const b = await ws.person('lead');
    const gone = await ws.person('agent');
    const stranger = await other.person('agent');
    const off = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${gone.personId}`, {
      status: 'deactivated',
    });
    assert.equal(off.statusCode, 200, off.body);
    await recordEvent(t.deps.db, {
      workspaceId: ws.id,
      type: 'sla.breached',
      entityType: 'conversation',
      entityId: 4242,
      actor: { type: 'system' },
      data: {
        notifyPersonIds: [b.personId, gone.personId, stranger.personId, b.personId, 987654321],
        notifyKind: 'sla_breached',
        notifyTitle: 'First response overdue on conversation #4242',
      },
      at: t.clock.now(),
    });
    await t.worker.drain();
    const items = (await list(b)).items;
    assert.equal(items.length, 1);
    assert.equal(items[0]!.kind, 'sla_breached');
    assert.equal(items[0]!.title, 'First response overdue on conversation #4242');
    assert.equal(items[0]!.link, '/conversations/4242');
    assert.equal(await unread(stranger), 0, 'an id of another workspace is nobody there');
    const rows = await t.deps.db.execute(
      `select count(*)::int as n from notifications where person_id in (${gone.personId}, ${stranger.personId})`,
    );
    assert.equal((rows.rows[0] as { n: number }).n, 0, 'nobody deactivated, nobody across workspaces');
  });

  test('each new notification is pushed to its person on commit, with the unread count', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const b = await ws.person('agent');
    const id = await conversationOf(a);
    const listener = await listenRealtime(t.database);
    try {
      await note(a, id, [b.personId]);
      await t.worker.drain();
      await eventually(() => listener.messages.some((m) => m.type === 'notification.created'));
      const pushed = listener.messages.filter((m) => m.type === 'notification.created');
      assert.equal(pushed.length, 1);
      const [n] = (await list(b)).items;
      assert.deepEqual(pushed[0], {
        workspaceId: ws.id,
        personIds: [b.personId],
        type: 'notification.created',
        data: { id: n!.id, kind: 'mention', title: n!.title, link: n!.link, unreadCount: 1 },
      });
      await call(t.app, b, 'POST', `/api/v1/notifications/${n!.id}/read`);
      await eventually(() => listener.messages.some((m) => m.type === 'notification.read'));
      assert.deepEqual(listener.messages.find((m) => m.type === 'notification.read')?.data, {
        ids: [n!.id],
        unreadCount: 0,
      });
    } finally {
      await listener.stop();
    }
  });

  test('preferences: defaults, changes, validation; e-mail reported inactive without a mail server', async () => {
    const ws = await t.workspace();
    await call(t.app, ws.owner, 'PATCH', '/api/v1/workspace', { settings: { timeZone: 'Europe/Berlin' } });
    const b = await ws.person('agent');
    const get = await call(t.app, b, 'GET', '/api/v1/notifications/preferences');
    assert.equal(get.statusCode, 200, get.body);
    const prefs = get.json();
    assert.equal(prefs.inApp, 'always');
    assert.equal(prefs.email.assigned, 'off');
    assert.equal(prefs.email.mention, 'off');
    assert.equal(prefs.email.approval_requested, 'immediate');
    assert.deepEqual(prefs.digest, { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' });
    assert.equal(prefs.emailActive, false);
    assert.match(prefs.emailInactiveReason, /mail server/);

    const put = await call(t.app, b, 'PUT', '/api/v1/notifications/preferences', {
      email: { mention: 'digest', assigned: 'immediate' },
      digest: { frequency: 'hourly', timeZone: 'America/New_York' },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().email.mention, 'digest');
    assert.equal(put.json().email.assigned, 'immediate');
    assert.deepEqual(put.json().digest, { frequency: 'hourly', hour: 8, timeZone: 'America/New_York' });
    assert.equal(put.json().emailActive, false, 'accepted, but inactive');

    const partial = await call(t.app, b, 'PUT', '/api/v1/notifications/preferences', {
      digest: { hour: 17, timeZone: null },
    });
    assert.equal(partial.json().email.mention, 'digest', 'what is left out keeps its value');
    assert.deepEqual(partial.json().digest, { frequency: 'hourly', hour: 17, timeZone: 'Europe/Berlin' });

    for (const bad of [
      { email: { mention: 'sometimes' } },
      { email: { nosuchkind: 'off' } },
      { digest: { hour: 24 } },
      { digest: { hour: 7.5 } },
      { digest: { frequency: 'weekly' } },
      { digest: { timeZone: 'Mars/Olympus' } },
      { digest: { timeZone: 'Europe/Berlin', extra: 1 } },
      { sms: true },
    ]) {
      const res = await call(t.app, b, 'PUT', '/api/v1/notifications/preferences', bad);
      assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
    const after = (await call(t.app, b, 'GET', '/api/v1/notifications/preferences')).json();
    assert.deepEqual(after, partial.json(), 'bad input changed nothing');

    // Personal: another person's preferences are theirs.
    assert.equal(
      (await call(t.app, ws.owner, 'GET', '/api/v1/notifications/preferences')).json().email.mention,
      'off',
    );
  });

  test('a signed-in browser reads its notifications with its session', async () => {
    const ws = await t.workspace();
    const a = await ws.person('agent');
    const exec = await ws.person('executive');
    const id = await conversationOf(a);
    await note(a, id, [exec.personId]);
    await t.worker.drain();
    const session = await signIn(t.app, ws.slug, exec);
    const res = await callWithSession(t.app, session, 'GET', '/api/v1/notifications');
    assert.equal(res.json().items.length, 1);
    const readAll = await callWithSession(t.app, session, 'POST', '/api/v1/notifications/read-all');
    assert.equal(readAll.json().marked, 1);
  });
});

test('a read-only token reads its own notifications and profile; marking them read needs a write scope', async () => {
  const ws = await t.workspace();
  const agent = await ws.person('agent');
  await recordEvent(t.deps.db, {
    workspaceId: ws.id,
    type: 'test.notified',
    entityType: 'conversation',
    entityId: 1,
    actor: { type: 'system' },
    data: { notifyPersonIds: [agent.personId], notifyKind: 'escalation', notifyTitle: 'Look here' },
    at: t.clock.now(),
  });
  await t.worker.drain();
  const tokenWith = async (scopes: string[]) => {
    const res = await call(t.app, agent, 'POST', '/api/v1/tokens', { name: scopes.join(' '), scopes });
    assert.equal(res.statusCode, 201, res.body);
    return { token: res.json().value as string };
  };
  const id = (await list(agent)).items[0]!.id;
  const reads = [
    '/api/v1/notifications',
    '/api/v1/notifications/unread-count',
    '/api/v1/notifications/preferences',
    '/api/v1/session',
  ];
  const writes = [
    ['POST', `/api/v1/notifications/${id}/read`, undefined],
    ['POST', '/api/v1/notifications/read-all', undefined],
    ['PUT', '/api/v1/notifications/preferences', { email: { mention: 'digest' } }],
  ] as const;
  for (const scopes of [['all:read'], ['profile:read']]) {
    const reader = await tokenWith(scopes);
    for (const url of reads) {
      const res = await call(t.app, reader, 'GET', url);
      assert.equal(res.statusCode, 200, `${scopes} GET ${url}: ${res.body}`);
    }
    assert.equal((await call(t.app, reader, 'GET', '/api/v1/notifications')).json().items[0].id, id);
    for (const [method, url, body] of writes) {
      const res = await call(t.app, reader, method, url, body);
      assert.equal(res.statusCode, 403, `${scopes} ${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'FORBIDDEN');
    }
  }
  assert.equal(await unread(agent), 1, 'nothing was marked read');
  const other = await tokenWith(['conversations:read']);
  assert.equal(
    (await call(t.app, other, 'GET', '/api/v1/notifications')).statusCode,
    403,
    'not without a profile scope',
  );
  const writer = await tokenWith(['profile:write']);
  for (const [method, url, body] of writes) {
    const res = await call(t.app, writer, method, url, body);
    assert.ok(res.statusCode < 300, `profile:write ${method} ${url}: ${res.body}`);
  }
  assert.equal(await unread(agent), 0);
});
