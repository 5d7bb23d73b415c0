import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp();
const ws = await t.workspace();
const other = await t.workspace();

async function open(caller: Caller, subject: string, body: string, extra: Record<string, unknown> = {}) {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject,
    channel: 'email',
    customer: { email: `c${Math.random().toString(36).slice(2)}@example.com`, name: 'Jo Customer' },
    message: { body },
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id as number;
}

const refund = await open(
  ws.owner,
  'Refund please',
  'I was charged twice for my subscription and want a refund',
);
const card = await open(ws.owner, 'Card', 'My card never arrived, where is my card?', { channel: 'chat' });
const hostile = await open(ws.owner, 'Hostile', 'refund <script>alert(1)</script> now');
await open(other.owner, 'Refund elsewhere', 'refund refund refund in another workspace');

const search = (qs: string, caller: Caller = ws.owner) => call(t.app, caller, 'GET', `/api/v1/search?${qs}`);

test('finds messages by stemmed words, ranked, with highlighted passages as text segments', async () => {
  const res = await search('q=refunds&type=messages');
  assert.equal(res.statusCode, 200, res.body);
  const ids = res.json().messages.map((m: { conversationId: number }) => m.conversationId);
  assert.deepEqual(new Set(ids), new Set([refund, hostile]));
  const hit = res.json().messages.find((m: { conversationId: number }) => m.conversationId === refund);
  assert.ok(hit.snippet.some((s: { text: string; match: boolean }) => s.match && /refund/i.test(s.text)));
  const bad = res.json().messages.find((m: { conversationId: number }) => m.conversationId === hostile);
  assert.ok(bad.snippet.every((s: { match: boolean; text: string }) => !s.match || !s.text.includes('<')));
});

test('two-word queries need both words; filters narrow by status, channel, assignee and date', async () => {
  assert.deepEqual(
    (await search('q=card%20arrived'))
      .json()
      .messages.map((m: { conversationId: number }) => m.conversationId),
    [card],
  );
  assert.equal((await search('q=card&channel=email')).json().messages.length, 0);
  assert.equal((await search('q=card&channel=chat')).json().messages.length, 1);
  await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${refund}`, { status: 'solved' });
  const solved = (await search('q=refund&status=solved')).json().messages;
  assert.deepEqual(
    solved.map((m: { conversationId: number }) => m.conversationId),
    [refund],
  );
  assert.equal((await search(`q=refund&assigneeId=${ws.owner.personId}`)).json().messages.length, 0);
  assert.equal((await search('q=refund&assigneeId=none')).json().messages.length, 2);
  const later = new Date(t.clock.now().getTime() + 60_000).toISOString();
  assert.equal((await search(`q=refund&from=${encodeURIComponent(later)}`)).json().messages.length, 0);
});

test("another workspace's messages never appear", async () => {
  const res = await search('q=another%20workspace');
  assert.equal(res.json().messages.length, 0);
});

test('finds customers in the same box', async () => {
  const res = await search('q=Jo&type=customers');
  assert.equal(res.statusCode, 200);
  assert.ok(res.json().customers.length >= 3);
  assert.equal(res.json().messages.length, 0);
});

test('bad queries get clear 400s', async () => {
  for (const qs of ['', 'q=', 'q=x&type=everything', 'q=x&limit=1000', 'q=x&from=yesterday', 'q=x&bogus=1']) {
    const res = await search(qs);
    assert.equal(res.statusCode, 400, qs);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED');
  }
});

test('a match older than the newest 20,000 messages is still found (second pass), and a full first page comes from the first', async () => {
  const ws2 = await t.workspace();
  const old = await open(ws2.owner, 'Old', 'the zeppelin brochure never arrived');
  const newer = await open(ws2.owner, 'Newer', 'filler');
  // 20,000 newer messages without the word, in bulk (through the API this would take minutes).
  await t.deps.db.execute(`
    insert into messages (workspace_id, conversation_id, direction, channel, body_text, created_at)
    select ${ws2.id}, ${newer}, 'inbound', 'email', 'nothing to see ' || g, now() from generate_series(1, 20000) g`);
  const found = await search('q=zeppelin&type=messages', ws2.owner);
  assert.deepEqual(
    found.json().messages.map((m: { conversationId: number }) => m.conversationId),
    [old],
  );
  await t.deps.db.execute(`
    insert into messages (workspace_id, conversation_id, direction, channel, body_text, created_at)
    select ${ws2.id}, ${newer}, 'inbound', 'email', 'zeppelin again ' || g, now() from generate_series(1, 3) g`);
  const page = await search('q=zeppelin&type=messages&limit=2', ws2.owner);
  assert.deepEqual(
    page.json().messages.map((m: { conversationId: number }) => m.conversationId),
    [newer, newer],
  );
});
