import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import WebSocket from 'ws';
import { call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';

/**
 * The live-chat visitor protocol on a real port with a `ws` client (the widget's side), and the agent's
 * side through the API: ordering, acknowledgements, resend deduplication, resume after a reconnect,
 * identification merging into the customer with that e-mail, keys and origins, bad frames.
 */
const t = await createTestApp({ start: '2026-03-02T10:00:00Z' }); // a Monday
const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
const wsBase = base.replace(/^http/, 'ws');

type Frame = { type: string; [k: string]: unknown };
type Visitor = Awaited<ReturnType<typeof connect>>;

async function widgetOf(ws: TestWorkspace, body: Record<string, unknown> = {}) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/chat-widgets', { name: 'Website', ...body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; publicKey: string; snippet: string; teamId: number | null };
}

/** Opens a visitor socket and collects its frames. */
async function connect(key: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${wsBase}/api/v1/chat/socket?key=${encodeURIComponent(key)}`, { headers });
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
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (match: (f: Frame) => boolean, timeoutMs = 5_000) =>
    new Promise<Frame>((resolve, reject) => {
      const found = frames.find(match);
      if (found) {
        frames.splice(frames.indexOf(found), 1);
        return resolve(found);
      }
      const timer = setTimeout(
        () => reject(new Error(`no matching frame; have ${JSON.stringify(frames)}`)),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          frames.splice(frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  const send = (frame: unknown) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return { socket, frames, next, send, closed };
}

async function hello(v: Visitor, claim: Record<string, unknown> = {}) {
  v.send({ type: 'hello', ...claim });
  const welcome = await v.next((f) => f.type === 'welcome');
  const synced = await v.next((f) => f.type === 'synced');
  return { welcome, synced };
}

type Wire = { id: number; from: string; text: string; clientId?: string };
/** Every message frame received so far, flattened. */
const received = (all: Frame[]) =>
  all.filter((f) => f.type === 'messages').flatMap((f) => f.messages as Wire[]);

function refused(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => reject(new Error('the handshake was accepted')));
    socket.on('error', () => {});
  });
}

async function messagesOf(ws: TestWorkspace, conversationId: number) {
  const res = await call(
    t.app,
    ws.owner,
    'GET',
    `/api/v1/conversations/${conversationId}/messages?limit=200`,
  );
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Array<{ id: number; body: string; direction: string; channel: string }>;
}

describe('chat widgets (admin)', () => {
  test('an admin creates a widget: a key and the snippet; an agent may not; origins and colours are checked', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws, {
      allowedOrigins: ['https://shop.example.com/path'],
      color: '#112233',
    });
    assert.match(widget.publicKey, /^cw_[A-Za-z0-9_-]{24}$/);
    assert.equal(
      widget.snippet,
      `<script src="http://localhost:80/widget.js" data-key="${widget.publicKey}" async></script>`,
    );
    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/chat-widgets')).json();
    assert.deepEqual(list.items[0].allowedOrigins, ['https://shop.example.com']);
    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/chat-widgets')).statusCode, 403);
    for (const bad of [
      { color: 'red' },
      { allowedOrigins: ['javascript:alert(1)'] },
      { allowedOrigins: ['not a url'] },
    ]) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/chat-widgets', { name: 'Bad', ...bad });
      assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
    }
    const other = await t.workspace();
    const theirs = await widgetOf(other);
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/chat-widgets/${theirs.id}`)).statusCode, 404);
    assert.equal(
      (await call(t.app, ws.owner, 'PATCH', `/api/v1/chat-widgets/${theirs.id}`, { name: 'x' })).statusCode,
      404,
    );
    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/chat-widgets/${widget.id}`, {
      greeting: 'Moin!',
    });
    assert.equal(changed.json().greeting, 'Moin!');
    assert.equal(changed.json().publicKey, widget.publicKey);
  });
});

describe('the visitor socket', () => {
  test('messages are stored in order as one chat conversation, each acknowledged after commit', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    const { welcome } = await hello(v);
    assert.equal(typeof welcome.token, 'string', 'a new visitor gets its token once');
    assert.deepEqual(welcome.widget, { name: 'Website', greeting: 'Hi! How can we help?', color: '#2f6fed' });
    for (let i = 1; i <= 5; i++) v.send({ type: 'message', clientId: `c${i}`, text: `message ${i}` });
    const acks: Frame[] = [];
    for (let i = 1; i <= 5; i++) acks.push(await v.next((f) => f.type === 'ack'));
    assert.deepEqual(
      acks.map((a) => a.clientId),
      ['c1', 'c2', 'c3', 'c4', 'c5'],
    );
    const ids = acks.map((a) => a.id as number);
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      ids,
      'ids rise in the order sent',
    );

    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json().items;
    assert.equal(list.length, 1, 'one conversation');
    const messages = await messagesOf(ws, list[0].id);
    assert.deepEqual(
      messages.map((m) => [m.body, m.direction, m.channel]),
      [1, 2, 3, 4, 5].map((i) => [`message ${i}`, 'inbound', 'chat']),
    );
    assert.deepEqual(
      messages.map((m) => m.id),
      ids,
      'the acknowledged ids are the stored ones',
    );
  });

  test('a resent message is acknowledged again with the same id and stored once', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    await hello(v);
    v.send({ type: 'message', clientId: 'first', text: 'hello' });
    const a1 = await v.next((f) => f.type === 'ack');
    v.send({ type: 'message', clientId: 'first', text: 'hello' });
    const a2 = await v.next((f) => f.type === 'ack');
    assert.equal(a2.id, a1.id);
    v.send({ type: 'message', clientId: 'second', text: 'again' });
    const a3 = await v.next((f) => f.type === 'ack');
    v.send({ type: 'message', clientId: 'second', text: 'again' });
    assert.equal((await v.next((f) => f.type === 'ack')).id, a3.id);
    const conversationId = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json()
      .items[0].id;
    assert.deepEqual(
      (await messagesOf(ws, conversationId)).map((m) => m.body),
      ['hello', 'again'],
    );
  });

  test('agent replies arrive in real time; a reconnect resumes after the last seen message, nothing lost or doubled', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v1 = await connect(widget.publicKey);
    const { welcome } = await hello(v1);
    const claim = { visitorId: welcome.visitorId, token: welcome.token };
    v1.send({ type: 'message', clientId: 'm1', text: 'Where is my order?' });
    await v1.next((f) => f.type === 'ack');
    const conversationId = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json()
      .items[0].id;
    const reply = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      direction: 'outbound',
      body: 'Let me look.',
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const replyId = reply.json().message.id as number;
    await v1.next((f) => f.type === 'messages' && (f.messages as Wire[]).some((m) => m.id === replyId));
    // An internal note never reaches the visitor.
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      direction: 'note',
      body: 'secret note',
    });
    // The connection drops; meanwhile the agent writes twice.
    v1.socket.terminate();
    await v1.closed;
    for (const body of ['It shipped today.', 'Tracking: 123'])
      await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
        direction: 'outbound',
        body,
      });
    const v2 = await connect(widget.publicKey);
    const all: Frame[] = [];
    v2.socket.on('message', (raw) => all.push(JSON.parse(String(raw))));
    const again = await hello(v2, { ...claim, lastSeenId: replyId });
    assert.equal(again.welcome.visitorId, claim.visitorId, 'the same visitor');
    assert.equal(again.welcome.token, undefined, 'the token is not sent again');
    assert.deepEqual(
      received(all).map((m) => [m.from, m.text]),
      [
        ['agent', 'It shipped today.'],
        ['agent', 'Tracking: 123'],
      ],
    );
    // A fresh page (no last seen id) gets the whole history, without the note.
    const v3 = await connect(widget.publicKey);
    const all3: Frame[] = [];
    v3.socket.on('message', (raw) => all3.push(JSON.parse(String(raw))));
    await hello(v3, claim);
    assert.deepEqual(
      received(all3).map((m) => [m.from, m.text, m.clientId]),
      [
        ['visitor', 'Where is my order?', 'm1'],
        ['agent', 'Let me look.', undefined],
        ['agent', 'It shipped today.', undefined],
        ['agent', 'Tracking: 123', undefined],
      ],
    );
  });

  test('a chat merged into another conversation continues there: replies reach the widget, the visitor writes on in it', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    const { welcome } = await hello(v);
    v.send({ type: 'message', clientId: 'm1', text: 'Still about my refund' });
    await v.next((f) => f.type === 'ack');
    const chat = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json().items[0];
    // The same customer wrote by e-mail first; the agent merges the chat into that conversation.
    const mail = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
      subject: 'Refund',
      channel: 'email',
      customer: { id: chat.customer.id },
      message: { direction: 'inbound', body: 'I want my refund' },
    });
    assert.equal(mail.statusCode, 201, mail.body);
    const targetId = mail.json().conversation.id as number;
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${chat.id}/merge`, {
      intoId: targetId,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    // The agent answers in the merged conversation on chat (the customer's last message came by chat).
    const reply = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${targetId}/messages`, {
      direction: 'outbound',
      body: 'Refund sent today.',
      channel: 'chat',
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const replyId = reply.json().message.id as number;
    await v.next((f) => f.type === 'messages' && (f.messages as Wire[]).some((m) => m.id === replyId));
    // The visitor writes on: into the merged conversation, not a new one.
    v.send({ type: 'message', clientId: 'm2', text: 'Thanks!' });
    await v.next((f) => f.type === 'ack');
    assert.deepEqual(
      (await messagesOf(ws, targetId)).map((m) => [m.direction, m.channel, m.body]),
      [
        ['inbound', 'chat', 'Still about my refund'],
        ['inbound', 'email', 'I want my refund'],
        ['outbound', 'chat', 'Refund sent today.'],
        ['inbound', 'chat', 'Thanks!'],
      ],
    );
    const chats = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json().items;
    assert.deepEqual(
      chats.map((c: { id: number }) => c.id),
      [chat.id],
      'no new chat conversation was started',
    );
    // A returning page sees its chat history, the reply included.
    const again = await connect(widget.publicKey);
    const all: Frame[] = [];
    again.socket.on('message', (raw) => all.push(JSON.parse(String(raw))));
    await hello(again, { visitorId: welcome.visitorId, token: welcome.token });
    assert.deepEqual(
      received(all).map((m) => [m.from, m.text]),
      [
        ['visitor', 'Still about my refund'],
        ['agent', 'Refund sent today.'],
        ['visitor', 'Thanks!'],
      ],
    );
  });

  test('typing travels both ways', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    await hello(v);
    v.send({ type: 'message', clientId: 'm1', text: 'hi' });
    await v.next((f) => f.type === 'ack');
    const conversationId = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json()
      .items[0].id;
    const typing = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/activity`, {
      state: 'typing',
      active: true,
    });
    assert.equal(typing.statusCode, 200, typing.body);
    assert.equal((await v.next((f) => f.type === 'typing')).typing, true);
    // The visitor's typing reaches the agents' stream.
    const { listenRealtime, eventually } = await import('../../../test/support/realtime.js');
    const listener = await listenRealtime(t.database);
    after(() => listener.stop());
    v.send({ type: 'typing', typing: true });
    await eventually(() =>
      listener.messages.some(
        (m) =>
          m.type === 'chat.visitor_typing' &&
          m.data.conversationId === conversationId &&
          m.data.typing === true,
      ),
    );
  });

  test('a visitor who gives an e-mail is merged into the customer with that e-mail', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const existing = await call(t.app, ws.owner, 'POST', '/api/v1/customers', {
      name: 'Dana Existing',
      identities: [{ kind: 'email', value: 'dana@example.com' }],
    });
    assert.equal(existing.statusCode, 201, existing.body);
    const danaId = existing.json().id as number;
    const v = await connect(widget.publicKey);
    await hello(v);
    v.send({ type: 'message', clientId: 'm1', text: 'Hello, anyone?' });
    await v.next((f) => f.type === 'ack');
    v.send({ type: 'identify', name: 'Dana', email: 'Dana@Example.com' });
    const identified = await v.next((f) => f.type === 'identified');
    assert.equal(identified.email, 'dana@example.com');
    const customer = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${danaId}`)).json();
    const kinds = customer.identities.map((i: { kind: string }) => i.kind).sort();
    assert.deepEqual(kinds, ['chat', 'email'], 'the chat identity moved to Dana');
    const conversations = (
      await call(t.app, ws.owner, 'GET', `/api/v1/customers/${danaId}/conversations`)
    ).json();
    assert.equal(conversations.items.length, 1, "the chat is on Dana's timeline");
    // The next message lands on the same conversation, authored by Dana.
    v.send({ type: 'message', clientId: 'm2', text: 'It is Dana.' });
    await v.next((f) => f.type === 'ack');
    const messages = await messagesOf(ws, conversations.items[0].id);
    assert.deepEqual(
      messages.map((m) => m.body),
      ['Hello, anyone?', 'It is Dana.'],
    );

    // A visitor who identifies before writing starts the conversation on that customer directly.
    const w2 = await connect(widget.publicKey);
    await hello(w2);
    w2.send({ type: 'identify', email: 'dana@example.com' });
    await w2.next((f) => f.type === 'identified');
    w2.send({ type: 'message', clientId: 'x1', text: 'Dana again, from another browser' });
    await w2.next((f) => f.type === 'ack');
    const after2 = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${danaId}/conversations`)).json();
    assert.equal(after2.items.length, 2);
    // …but that browser reads only its own conversation, not Dana's other one.
    const w3 = await connect(widget.publicKey);
    const all: Frame[] = [];
    w3.socket.on('message', (raw) => all.push(JSON.parse(String(raw))));
    const first = await hello(w3);
    assert.ok(first.welcome.token, 'a new visitor');
    assert.equal(received(all).length, 0);
  });

  test("an unknown key is refused; another widget's visitor id is a new visitor; origins are enforced", async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const mine = await widgetOf(ws);
    const theirs = await widgetOf(other);
    assert.equal(await refused(`${wsBase}/api/v1/chat/socket?key=cw_nope`), 404);
    assert.equal(await refused(`${wsBase}/api/v1/chat/socket`), 404);
    const v = await connect(mine.publicKey);
    const { welcome } = await hello(v);
    v.send({ type: 'message', clientId: 'm1', text: 'mine' });
    await v.next((f) => f.type === 'ack');
    // The same id and token with the other workspace's key: not that visitor, and none of its history.
    const x = await connect(theirs.publicKey);
    const all: Frame[] = [];
    x.socket.on('message', (raw) => all.push(JSON.parse(String(raw))));
    const elsewhere = await hello(x, { visitorId: welcome.visitorId, token: welcome.token, lastSeenId: 0 });
    assert.notEqual(elsewhere.welcome.visitorId, welcome.visitorId);
    assert.equal(received(all).length, 0);
    // A wrong token is a new visitor too.
    const y = await connect(mine.publicKey);
    const guessed = await hello(y, { visitorId: welcome.visitorId, token: 'guess' });
    assert.notEqual(guessed.welcome.visitorId, welcome.visitorId);

    const limited = await widgetOf(ws, { allowedOrigins: ['https://shop.example.com'] });
    const url = `${wsBase}/api/v1/chat/socket?key=${limited.publicKey}`;
    assert.equal(await refused(url, { origin: 'https://evil.example.net' }), 403);
    assert.equal(await refused(url), 403, 'no origin: not a page of the allowed site');
    const fine = await connect(limited.publicKey, { origin: 'https://shop.example.com' });
    await hello(fine);
  });

  test('bad frames get an error frame and the socket stays usable; too many close it', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    v.send({ type: 'message', clientId: 'early', text: 'before hello' });
    assert.equal((await v.next((f) => f.type === 'error')).code, 'HELLO_FIRST');
    await hello(v);
    const bad: unknown[] = [
      'not json',
      '[]',
      { type: 'nope' },
      { type: 'message', clientId: 'has space', text: 'x' },
      { type: 'message', clientId: 'ok', text: '   ' },
      { type: 'message', clientId: 'ok', text: 'x'.repeat(4001) },
      { type: 'message', clientId: 'ok', text: 'x', extra: true },
      { type: 'identify', email: 'not an email' },
    ];
    for (const frame of bad) {
      v.send(frame);
      const e = await v.next((f) => f.type === 'error');
      assert.equal(e.code, 'BAD_FRAME', JSON.stringify(frame));
    }
    v.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await v.next((f) => f.type === 'error')).code, 'BAD_FRAME');
    v.send({ type: 'message', clientId: 'good', text: 'still here' });
    assert.equal((await v.next((f) => f.type === 'ack')).clientId, 'good');
    assert.equal(
      await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat').then(
        (r) => r.json().items.length,
      ),
      1,
      'nothing of the bad frames was stored',
    );
    for (let i = 0; i < 20; i++) v.send('garbage');
    assert.equal(await v.closed, 1008);
  });

  test('a flood of messages is limited: refused ones get RATE_LIMITED and are not stored', async () => {
    const ws = await t.workspace();
    const widget = await widgetOf(ws);
    const v = await connect(widget.publicKey);
    await hello(v);
    for (let i = 0; i < 30; i++) v.send({ type: 'message', clientId: `f${i}`, text: `flood ${i}` });
    const outcomes: Frame[] = [];
    for (let i = 0; i < 30; i++) outcomes.push(await v.next((f) => f.type === 'ack' || f.type === 'error'));
    const acked = outcomes.filter((f) => f.type === 'ack').length;
    const limited = outcomes.filter((f) => f.code === 'RATE_LIMITED').length;
    assert.ok(acked >= 20 && acked < 30, `acked ${acked}`);
    assert.equal(acked + limited, 30);
    const conversationId = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json()
      .items[0].id;
    assert.equal((await messagesOf(ws, conversationId)).length, acked);
  });

  test('outside business hours the welcome says when a reply will come', async () => {
    const ws = await t.workspace();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Night' })).json();
    const calendar = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      name: 'Office',
      timeZone: 'UTC',
      week: { 2: [{ start: '09:00', end: '17:00' }] },
    });
    assert.equal(calendar.statusCode, 201, calendar.body);
    await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/calendar`, {
      calendarId: calendar.json().id,
    });
    const widget = await widgetOf(ws, { teamId: team.id });
    const v = await connect(widget.publicKey);
    const { welcome } = await hello(v);
    assert.deepEqual(welcome.availability, {
      open: false,
      reason: 'closed',
      nextOpenAt: '2026-03-03T09:00:00.000Z',
    });
    // Open hours (always-open default) but nobody online: no agent.
    const open = await widgetOf(ws);
    const w = await connect(open.publicKey);
    const second = await hello(w);
    assert.deepEqual(second.welcome.availability, { open: false, reason: 'no_agent', nextOpenAt: null });
    await call(t.app, ws.owner, 'PUT', '/api/v1/me/availability', { availability: 'online' });
    // The open chat is told at once that someone is there now.
    assert.deepEqual((await w.next((f) => f.type === 'availability')).availability, { open: true });
    const z = await connect(open.publicKey);
    assert.deepEqual((await hello(z)).welcome.availability, { open: true });
  });
});

test("erasing the customer forgets the visitor: the browser's token opens a new, empty chat", async () => {
  const ws = await t.workspace();
  const widget = await widgetOf(ws);
  const v = await connect(widget.publicKey);
  const { welcome } = await hello(v);
  v.send({ type: 'message', clientId: 'm1', text: 'Please forget me afterwards.' });
  await v.next((f) => f.type === 'ack');
  v.send({ type: 'identify', name: 'Erin', email: 'erin@example.com' });
  await v.next((f) => f.type === 'identified');
  const conversation = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json()
    .items[0];
  const erased = await call(t.app, ws.owner, 'POST', `/api/v1/customers/${conversation.customerId}/erase`, {
    reason: 'subject_request',
  });
  assert.equal(erased.statusCode, 200, erased.body);
  const again = await connect(widget.publicKey);
  const all: Frame[] = [];
  again.socket.on('message', (raw) => all.push(JSON.parse(String(raw))));
  const back = await hello(again, { visitorId: welcome.visitorId, token: welcome.token });
  assert.notEqual(back.welcome.visitorId, welcome.visitorId);
  assert.deepEqual(back.welcome.visitor, { name: null, email: null });
  assert.equal(received(all).length, 0);
});

test('two tabs of one visitor share one conversation and see each other’s messages', async () => {
  const ws = await t.workspace();
  const widget = await widgetOf(ws);
  const a = await connect(widget.publicKey);
  const { welcome } = await hello(a);
  const b = await connect(widget.publicKey);
  await hello(b, { visitorId: welcome.visitorId, token: welcome.token });
  a.send({ type: 'message', clientId: 'a1', text: 'from tab A' });
  b.send({ type: 'message', clientId: 'b1', text: 'from tab B' });
  await a.next((f) => f.type === 'ack');
  await b.next((f) => f.type === 'ack');
  const list = (await call(t.app, ws.owner, 'GET', '/api/v1/conversations?channel=chat')).json().items;
  assert.equal(list.length, 1, 'one conversation, not one per tab');
  const seen = new Set<string>();
  for (const tab of [a, b]) {
    await tab.next(
      (f) =>
        f.type === 'messages' &&
        (f.messages as Wire[]).some((m) => m.text === (tab === a ? 'from tab B' : 'from tab A')),
    );
    seen.add(tab === a ? 'A saw B' : 'B saw A');
  }
  assert.equal(seen.size, 2);
});

test('a second e-mail never folds an identified customer into another (unverified addresses merge only anonymous ones)', async () => {
  const ws = await t.workspace();
  const widget = await widgetOf(ws);
  const victim = (
    await call(t.app, ws.owner, 'POST', '/api/v1/customers', {
      name: 'Victor',
      identities: [{ kind: 'email', value: 'victor@example.com' }],
    })
  ).json();
  await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Private matter',
    channel: 'email',
    customer: { id: victim.id },
    message: { body: 'my e-mail history' },
  });
  const v = await connect(widget.publicKey);
  await hello(v);
  v.send({ type: 'message', clientId: 'm1', text: 'hi' });
  await v.next((f) => f.type === 'ack');
  v.send({ type: 'identify', email: 'victor@example.com' });
  await v.next((f) => f.type === 'identified');
  v.send({ type: 'identify', email: 'mallory@example.com' });
  await v.next((f) => f.type === 'identified');
  const still = (await call(t.app, ws.owner, 'GET', `/api/v1/customers/${victim.id}`)).json();
  assert.equal(still.mergedIntoId ?? null, null, 'Victor was not merged into anyone');
  const conversations = (
    await call(t.app, ws.owner, 'GET', `/api/v1/customers/${victim.id}/conversations`)
  ).json();
  assert.equal(
    conversations.items.length,
    2,
    'Victor keeps his e-mail conversation (and the chat he was named in)',
  );
  for (let i = 0; i < 4; i++) v.send({ type: 'identify', name: `N${i}` });
  for (let i = 0; i < 3; i++) await v.next((f) => f.type === 'identified');
  assert.equal((await v.next((f) => f.type === 'error')).code, 'RATE_LIMITED');
});
