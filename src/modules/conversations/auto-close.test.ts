import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { findJobs } from '../../platform/index.js';

const DAY = 86_400_000;
const t = await createTestApp({ autoCloseDays: 4 });

async function solvedConversation(caller: Caller) {
  const res = await call(t.app, caller, 'POST', '/api/v1/conversations', {
    subject: 'Password reset',
    channel: 'webform',
    customer: { email: 'lin@example.com' },
    message: { body: 'I cannot reset my password' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().conversation.id as number;
  const solved = await call(t.app, caller, 'POST', `/api/v1/conversations/${id}/messages`, {
    direction: 'outbound',
    body: 'Here is a reset link.',
    status: 'solved',
  });
  assert.equal(solved.json().conversation.status, 'solved');
  return id;
}

const read = async (caller: Caller, id: number) =>
  (await call(t.app, caller, 'GET', `/api/v1/conversations/${id}`)).json();

describe('auto-close', () => {
  test('a solved conversation closes by itself N days later, by the system', async () => {
    const ws = await t.workspace();
    const id = await solvedConversation(ws.owner);
    const [job] = await findJobs(t.deps.db, ws.id, { dedupeKey: `auto-close:${id}` });
    assert.equal(job?.status, 'queued');
    assert.equal(job?.runAt.getTime(), t.clock.now().getTime() + 4 * DAY);

    t.clock.advance(4 * DAY - 1000);
    await t.worker.drain();
    assert.equal((await read(ws.owner, id)).conversation.status, 'solved', 'not yet');
    t.clock.advance(1000);
    await t.worker.drain();
    const after = await read(ws.owner, id);
    assert.equal(after.conversation.status, 'closed');
    assert.equal(after.conversation.closedAt, t.clock.now().toISOString());
    const closed = after.events.at(-1);
    assert.equal(closed.type, 'conversation.closed');
    assert.equal(closed.actorType, 'system');
    assert.deepEqual(closed.data.before, { status: 'solved' });
  });

  test('reopening before the time cancels it: the conversation stays open', async () => {
    const ws = await t.workspace();
    const id = await solvedConversation(ws.owner);
    t.clock.advance(DAY);
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/messages`, {
      direction: 'inbound',
      body: 'It did not work',
    });
    const [job] = await findJobs(t.deps.db, ws.id, { dedupeKey: `auto-close:${id}` });
    assert.equal(job?.status, 'cancelled');
    t.clock.advance(10 * DAY);
    await t.worker.drain();
    assert.equal((await read(ws.owner, id)).conversation.status, 'open');
  });

  test('solving again later moves the close to N days after the last solve', async () => {
    const ws = await t.workspace();
    const id = await solvedConversation(ws.owner);
    t.clock.advance(DAY);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, { status: 'open' });
    t.clock.advance(DAY);
    await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${id}`, { status: 'solved' });
    t.clock.advance(3 * DAY);
    await t.worker.drain();
    assert.equal((await read(ws.owner, id)).conversation.status, 'solved');
    t.clock.advance(DAY);
    await t.worker.drain();
    assert.equal((await read(ws.owner, id)).conversation.status, 'closed');
  });

  test('a job whose facts changed meanwhile does nothing (a stale run is harmless)', async () => {
    const ws = await t.workspace();
    const id = await solvedConversation(ws.owner);
    // Forge the race: the conversation is re-solved at another time behind the job's back.
    await t.deps.db.execute(
      `update conversations set solved_at = solved_at + interval '1 hour' where workspace_id = ${ws.id} and id = ${id}`,
    );
    t.clock.advance(5 * DAY);
    await t.worker.drain();
    assert.equal((await read(ws.owner, id)).conversation.status, 'solved');
  });
});
