import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { recomputeConversationsSla } from '../../src/modules/sla/sla-state.js';
import { call, callWithSession, createTestApp, signIn } from '../support/app.js';

/**
 * GET /api/v1/stream on a real port with a `ws` client: pushes arrive on the sockets of the workspace they
 * belong to and never on another's; the handshake needs a session (or token) and, from a browser, our origin.
 */
const t = await createTestApp();
const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
const wsBase = base.replace(/^http/, 'ws');
const ws = await t.workspace();
const other = await t.workspace();
const session = await signIn(t.app, ws.slug, ws.owner);
const otherSession = await signIn(t.app, other.slug, other.owner);

type Frame = { type: string; data?: Record<string, unknown> };

/** Opens a socket and collects its frames; resolves once the server says `ready`. */
async function open(cookie: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${wsBase}/api/v1/stream`, {
    headers: { cookie: `steward_session=${cookie}`, origin: base, ...headers },
  });
  after(() => socket.terminate());
  const frames: Frame[] = [];
  const waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as Frame;
    frames.push(frame);
    for (const w of [...waiters])
      if (w.match(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
  });
  const next = (match: (f: Frame) => boolean, timeoutMs = 5_000) =>
    new Promise<Frame>((resolve, reject) => {
      const found = frames.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  await next((f) => f.type === 'ready');
  return { socket, frames, next };
}

/** The HTTP status of a refused handshake. */
function refused(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsBase}/api/v1/stream`, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => reject(new Error('the handshake was accepted')));
    socket.on('error', () => {});
  });
}

test('a message created through the API arrives on the sockets of its workspace, never on another', async () => {
  const mine = await open(session.cookie);
  const theirs = await open(otherSession.cookie);
  const created = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Where is my parcel?',
    channel: 'email',
    customer: { email: 'pat@example.com', name: 'Pat' },
    message: { body: 'It was due on Monday.' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const conversationId = created.json().conversation.id;
  const createdFrame = await mine.next((f) => f.type === 'conversation.created');
  assert.deepEqual(createdFrame.data, {
    conversationId,
    status: 'new',
    assigneeId: null,
    channel: 'email',
  });

  const reply = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction: 'inbound',
    body: 'Any news?',
  });
  assert.equal(reply.statusCode, 201, reply.body);
  const message = await mine.next((f) => f.type === 'message.created');
  assert.equal(message.data?.conversationId, conversationId);
  assert.equal(message.data?.messageId, reply.json().message.id);
  assert.equal(message.data?.direction, 'inbound');

  const solved = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${conversationId}`, {
    status: 'solved',
    priority: 'high',
  });
  assert.equal(solved.statusCode, 200, solved.body);
  const updated = await mine.next((f) => f.type === 'conversation.updated');
  assert.equal(updated.data?.status, 'solved');
  assert.deepEqual(updated.data?.changed, ['status', 'priority']);

  // A change in the other workspace reaches the other socket: so the silence below means something.
  const theirsCreated = await call(t.app, other.owner, 'POST', '/api/v1/conversations', {
    subject: 'Theirs',
    channel: 'chat',
    customer: { email: 'sam@example.com' },
    message: { body: 'hello' },
  });
  assert.equal(theirsCreated.statusCode, 201);
  await theirs.next((f) => f.type === 'conversation.created');
  await mine.next((f) => f.type === 'conversation.updated');
  assert.deepEqual(
    theirs.frames.map((f) => f.type),
    ['ready', 'conversation.created'],
    'nothing of the first workspace reached the other one',
  );
  assert.ok(
    mine.frames.every((f) => f.data?.conversationId !== theirsCreated.json().conversation.id),
    'nothing of the other workspace reached the first one',
  );
});

test('a change that rolls back announces nothing', async () => {
  const mine = await open(session.cookie);
  const body = {
    subject: 'Twice',
    channel: 'email',
    customer: { email: 'twice@example.com' },
    message: { body: 'hi', externalId: 'ext-twice' },
  };
  assert.equal((await call(t.app, ws.owner, 'POST', '/api/v1/conversations', body)).statusCode, 201);
  await mine.next((f) => f.type === 'conversation.created');
  const duplicate = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', body);
  assert.equal(duplicate.statusCode, 409);
  // Then a change that does commit: by the time it arrives, a frame of the duplicate would have too.
  const note = await call(
    t.app,
    ws.owner,
    'POST',
    `/api/v1/conversations/${duplicate.json().error.details.conversationId}/messages`,
    { direction: 'note', body: 'checked' },
  );
  assert.equal(note.statusCode, 201);
  await mine.next((f) => f.type === 'message.created');
  assert.equal(mine.frames.filter((f) => f.type === 'conversation.created').length, 1);
});

test('a handshake without a session, with a wrong origin, or as plain HTTP is refused', async () => {
  assert.equal(await refused({ origin: base }), 401);
  assert.equal(await refused({ cookie: 'steward_session=not-a-session', origin: base }), 401);
  assert.equal(
    await refused({ cookie: `steward_session=${session.cookie}`, origin: 'https://evil.example' }),
    403,
  );
  assert.equal(
    await refused({ cookie: `steward_session=${session.cookie}`, origin: 'null' }),
    403,
    'an opaque origin (sandboxed frame, file:) is not ours',
  );
  const plain = await t.app.inject({
    method: 'GET',
    url: '/api/v1/stream',
    headers: { authorization: `Bearer ${ws.owner.token}` },
  });
  assert.equal(plain.statusCode, 426);
  assert.equal(plain.json().error.code, 'UPGRADE_REQUIRED');
});

test('an API token works without an Origin (a script, not a browser); closing the app closes the sockets', async () => {
  const socket = new WebSocket(`${wsBase}/api/v1/stream`, {
    headers: { authorization: `Bearer ${ws.owner.token}` },
  });
  const first = await new Promise<string>((resolve, reject) => {
    socket.once('message', (raw) => resolve(String(raw)));
    socket.once('error', reject);
  });
  assert.deepEqual(JSON.parse(first), { type: 'ready' });
  assert.ok(t.app.realtimeHub.size() >= 1);
  socket.close();
});

test('ending the session or token that opened a socket closes it (4401); other sockets stay open', async () => {
  const closed = (socket: WebSocket) =>
    new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  // Two sessions of the same person, and one of another: only the signed-out one's socket ends.
  const leaving = await signIn(t.app, ws.slug, ws.owner);
  const staying = await signIn(t.app, ws.slug, ws.owner);
  const a = await open(leaving.cookie);
  const b = await open(staying.cookie);
  const aClosed = closed(a.socket);
  const out = await callWithSession(t.app, leaving, 'DELETE', '/api/v1/session');
  assert.equal(out.statusCode, 204, out.body);
  assert.equal(await aClosed, 4401);
  assert.equal(b.socket.readyState, WebSocket.OPEN, 'the other session keeps its socket');

  // "Sign out everywhere else" ends the other sessions' sockets too.
  const third = await signIn(t.app, ws.slug, ws.owner);
  const c = await open(third.cookie);
  const cClosed = closed(c.socket);
  const bClosed = closed(b.socket);
  const elsewhere = await callWithSession(t.app, staying, 'DELETE', '/api/v1/me/sessions');
  assert.ok(elsewhere.statusCode < 300, elsewhere.body);
  assert.deepEqual(await Promise.all([cClosed]), [4401]);
  assert.equal(b.socket.readyState, WebSocket.OPEN, 'the session that asked keeps its socket');
  b.socket.close();
  await bClosed;

  // A revoked API token.
  const made = await call(t.app, ws.owner, 'POST', '/api/v1/tokens', {
    name: 'script',
    scopes: ['conversations:read'],
  });
  assert.equal(made.statusCode, 201, made.body);
  const socket = new WebSocket(`${wsBase}/api/v1/stream`, {
    headers: { authorization: `Bearer ${made.json().value}` },
  });
  await new Promise((resolve) => socket.once('message', resolve));
  const tokenClosed = closed(socket);
  const revoked = await call(t.app, ws.owner, 'DELETE', `/api/v1/tokens/${made.json().token.id}`);
  assert.ok(revoked.statusCode < 300, revoked.body);
  assert.equal(await tokenClosed, 4401);
});

test('background work that moves many deadlines at once pushes one conversations.changed, not one push each', async () => {
  const bulk = await t.workspace();
  const bulkSession = await signIn(t.app, bulk.slug, bulk.owner);
  const ok = async (method: 'POST' | 'PATCH', url: string, body: object) => {
    const res = await call(t.app, bulk.owner, method, url, body);
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const day = (start: string) => [{ start, end: '17:00' }];
  const week = (start: string) => ({
    1: day(start),
    2: day(start),
    3: day(start),
    4: day(start),
    5: day(start),
  });
  const office = await ok('POST', '/api/v1/calendars', {
    name: 'Office',
    timeZone: 'UTC',
    week: week('09:00'),
    isDefault: true,
  });
  await ok('POST', '/api/v1/sla-policies', { name: 'Standard', firstResponseMinutes: 240 });
  const count = 21; // one more than a push each
  const ids: number[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await ok('POST', '/api/v1/conversations', {
          subject: `Bulk ${i}`,
          channel: 'email',
          customer: { email: `bulk${i}@example.com` },
          message: { body: 'Where is my parcel?' },
        })
      ).conversation.id,
    );
  await t.worker.drain();
  const mine = await open(bulkSession.cookie);
  // The office opens an hour later: every first-response deadline moves (09:00 + 4 h → 10:00 + 4 h). The
  // recompute the change queues runs in parallel chunks; here one chunk holds them all.
  await ok('PATCH', `/api/v1/calendars/${office.id}`, { week: week('10:00') });
  await t.database.db.transaction((tx) => recomputeConversationsSla(tx, bulk.id, ids, t.clock.now()));
  await t.worker.drain();
  const changed = await mine.next((f) => f.type === 'conversations.changed');
  assert.deepEqual(changed.data, { count, changed: ['sla'] });
  assert.equal(
    mine.frames.filter((f) => f.type === 'conversation.updated').length,
    0,
    'no push per conversation',
  );
});
