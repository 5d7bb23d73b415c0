import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Caller, call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';
import { testDbKind } from '../../../test/support/database.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';
import { findJobs, type JobContext, type JobRow, skipEventsSoFar } from '../../platform/index.js';
import { generateDemoData } from '../demo/index.js';
import { backfillHandler, queueBackfill, replayChunk, startReplay } from './backfill.job.js';
import { lockMatters } from './matters.repo.js';

const START = '2026-03-02T09:00:00.000Z';
const t = await createTestApp({ start: START });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const settle = () => t.worker.drain();
let n = 0;

type MatterView = {
  matter: null | {
    id: number;
    status: string;
    contactCount: number;
    channels: string[];
    firstConversationId: number;
    contactsAtFirstSolve: number | null;
    firstSolvedAt: string | null;
    firstRepeatAt: string | null;
    resolutionSeconds: number | null;
  };
  conversations: Array<{ id: number; rule: string; score: number | null; decidedById: number | null }>;
  contacts: Array<{ conversationId: number; kind: string; channel: string }>;
  others: Array<{ id: number; matterId: number }>;
  replaying: boolean;
};

const email = () => `m${++n}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function open(ws: TestWorkspace, customer: string, body: string, channel = 'chat') {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Matter ${++n}`,
    channel,
    customer: { email: customer },
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation.id as number;
}

async function say(ws: TestWorkspace, conversationId: number, direction: string, body: string) {
  const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
    direction,
    body,
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json();
}

async function matterOf(who: Caller, conversationId: number) {
  const res = await call(t.app, who, 'GET', `/api/v1/conversations/${conversationId}/matter`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as MatterView;
}

/**
 * As if the workspace's conversations came from a version before matters: none at all. Returns the id of its
 * last event (what a replay goes up to).
 */
async function forgetMatters(ws: TestWorkspace): Promise<number> {
  for (const table of ['contacts', 'conversation_matters', 'matters'])
    await t.deps.db.execute(sql.raw(`delete from ${table} where workspace_id = ${ws.id}`));
  const [last] = (
    await t.deps.db.execute(sql`select max(id)::int as id from events where workspace_id = ${ws.id}`)
  ).rows as { id: number }[];
  return last!.id;
}

/** How many "joined a matter" entries the conversation's timeline shows. */
async function assignedEntries(ws: TestWorkspace, conversationId: number): Promise<number> {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${conversationId}`);
  const events = res.json().events as Array<{ type: string }>;
  return events.filter((e) => e.type === 'conversation.matter_assigned').length;
}

async function setStatus(ws: TestWorkspace, conversationId: number, status: string) {
  const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${conversationId}`, { status });
  assert.equal(res.statusCode, 200, res.body);
  await settle();
}

async function reason(ws: TestWorkspace, name: string) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/contact-reasons', { name });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as number;
}

async function setReason(ws: TestWorkspace, conversationId: number, contactReasonId: number) {
  const res = await call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${conversationId}/contact-reason`, {
    contactReasonId,
  });
  assert.equal(res.statusCode, 200, res.body);
  await settle();
}

describe('contacts', () => {
  test('messages before a reply are one contact; a thank-you after it is none; a new question is another', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const c = await open(ws, customer, 'My card payment was declined at the shop');
    await say(ws, c, 'inbound', 'Also it happened twice today');
    let v = await matterOf(ws.owner, c);
    assert.equal(v.matter?.contactCount, 1);
    assert.deepEqual(
      v.conversations.map((x) => x.rule),
      ['no_candidate'],
    );
    await say(ws, c, 'outbound', 'Sorry about that, we unblocked it.');
    await say(ws, c, 'inbound', 'Thanks a lot!');
    v = await matterOf(ws.owner, c);
    assert.equal(v.matter?.contactCount, 1, 'a thank-you is not a contact');
    await say(ws, c, 'note', 'internal: checked the logs');
    await say(ws, c, 'inbound', 'It was declined again just now, why?');
    v = await matterOf(ws.owner, c);
    assert.equal(v.matter?.contactCount, 2);
    assert.deepEqual(
      v.contacts.map((x) => x.kind),
      ['opened', 'returned'],
    );
    // The conversation's timeline says why it is on its matter.
    const detail = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c}`);
    const assigned = (detail.json().events as Array<{ type: string; data: Record<string, unknown> }>).filter(
      (e) => e.type === 'conversation.matter_assigned',
    );
    assert.equal(assigned.length, 1);
    assert.equal(assigned[0]?.data.rule, 'no_candidate');
    assert.equal(assigned[0]?.data.matterId, v.matter?.id);
  });
});

describe('which matter a new conversation joins', () => {
  test('the same reason joins across channels; a different problem starts its own; an agent splits and links', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const refund = await reason(ws, 'Refund');
    const a = await open(ws, customer, 'I want my money back for order 1234', 'chat');
    await setReason(ws, a, refund);
    t.clock.advance(DAY);
    const b = await open(ws, customer, 'Following up on the order I returned last week', 'email');
    let vb = await matterOf(ws.owner, b);
    assert.notEqual(vb.matter?.id, (await matterOf(ws.owner, a)).matter?.id, 'no shared reason or words yet');
    assert.equal(vb.conversations[0]?.rule, 'not_similar');
    await setReason(ws, b, refund);
    vb = await matterOf(ws.owner, b);
    const va = await matterOf(ws.owner, a);
    assert.equal(vb.matter?.id, va.matter?.id, 'the reason set on b moves it to the matter with that reason');
    assert.equal(vb.matter?.contactCount, 2);
    assert.deepEqual(vb.matter?.channels, ['chat', 'email']);
    assert.deepEqual(
      vb.conversations.map((x) => [x.id, x.rule]),
      [
        [a, 'no_candidate'],
        [b, 'same_reason'],
      ],
    );

    // An agent takes b out, then links it back.
    const agent = await ws.person('agent');
    const split = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/split`);
    assert.equal(split.statusCode, 200, split.body);
    const afterSplit = split.json() as MatterView;
    assert.notEqual(afterSplit.matter?.id, va.matter?.id);
    assert.equal(afterSplit.conversations[0]?.rule, 'agent_split');
    assert.equal(afterSplit.conversations[0]?.decidedById, agent.personId);
    assert.equal((await matterOf(ws.owner, a)).matter?.contactCount, 1, 'the contact left with b');
    const alone = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/split`);
    assert.equal(alone.statusCode, 422);
    assert.equal(alone.json().error.code, 'MATTER_ALONE');
    const link = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/link`, {
      conversationId: a,
    });
    assert.equal(link.statusCode, 200, link.body);
    assert.equal((link.json() as MatterView).matter?.id, va.matter?.id);
    assert.equal((link.json() as MatterView).matter?.contactCount, 2);

    // Another customer's conversation, another workspace's: refused, nothing changed.
    const stranger = await open(ws, email(), 'I want a refund');
    const cross = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/link`, {
      conversationId: stranger,
    });
    assert.equal(cross.statusCode, 422);
    assert.equal(cross.json().error.code, 'OTHER_CUSTOMER');
    const other = await t.workspace();
    const theirs = await open(other, customer, 'I want my money back for order 1234');
    const foreign = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/link`, {
      conversationId: theirs,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await call(t.app, agent, 'GET', `/api/v1/conversations/${theirs}/matter`)).statusCode, 404);
    assert.equal((await matterOf(ws.owner, b)).matter?.id, va.matter?.id);
    const bad = await call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/link`, {
      conversationId: 'x',
    });
    assert.equal(bad.statusCode, 400);
  });

  test('the same words join within the window; after it, or on another customer, a new matter starts', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const text = 'My new card still has not arrived in the post, it has been two weeks';
    const a = await open(ws, customer, text);
    await setStatus(ws, a, 'solved');
    t.clock.advance(3 * DAY);
    const b = await open(ws, customer, text, 'email');
    const vb = await matterOf(ws.owner, b);
    assert.equal(vb.matter?.id, (await matterOf(ws.owner, a)).matter?.id);
    const joined = vb.conversations.find((x) => x.id === b);
    assert.ok(
      joined?.rule === 'similar_text' || joined?.rule === 'predicted_reason',
      `joined by ${joined?.rule}`,
    );
    assert.ok((joined?.score ?? 0) > 0.5);
    assert.equal(vb.matter?.status, 'open', 'a new conversation reopens the matter');
    await setStatus(ws, b, 'solved');
    assert.equal((await matterOf(ws.owner, b)).matter?.status, 'solved');

    t.clock.advance(20 * DAY);
    const c = await open(ws, customer, text);
    const vc = await matterOf(ws.owner, c);
    assert.notEqual(vc.matter?.id, vb.matter?.id, 'past the 14-day window');
    assert.equal(vc.conversations[0]?.rule, 'no_candidate');
    assert.ok(
      vc.others.some((o) => o.id === a && o.matterId === vb.matter?.id),
      'a and b offered to link to',
    );

    const d = await open(ws, email(), text);
    assert.equal((await matterOf(ws.owner, d)).conversations[0]?.rule, 'no_candidate');
  });

  test('writing again on a closed conversation continues its matter', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const a = await open(ws, email(), 'The app crashes when I open my statement');
    await setStatus(ws, a, 'solved');
    await setStatus(ws, a, 'closed');
    t.clock.advance(2 * DAY);
    const res = await say(ws, a, 'inbound', 'Completely unrelated words: hello again');
    const b = res.conversation?.id ?? res.conversationId;
    assert.ok(typeof b === 'number' && b !== a, JSON.stringify(res).slice(0, 200));
    const vb = await matterOf(ws.owner, b);
    assert.equal(vb.matter?.id, (await matterOf(ws.owner, a)).matter?.id);
    assert.equal(vb.conversations.find((x) => x.id === b)?.rule, 'continued');
    assert.equal(vb.matter?.contactCount, 2);
  });

  test('merging and splitting conversations move their contacts with their messages', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const a = await open(ws, customer, 'The card reader at my shop shows error 17');
    const b = await open(ws, customer, 'How do I change the address on my account');
    const mb = (await matterOf(ws.owner, b)).matter?.id;
    assert.notEqual((await matterOf(ws.owner, a)).matter?.id, mb);
    const merged = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${b}/merge`, { intoId: a });
    assert.equal(merged.statusCode, 200, merged.body);
    await settle();
    const va = await matterOf(ws.owner, a);
    assert.equal(va.matter?.contactCount, 2, "b's contact came along with its message");
    assert.deepEqual(
      va.contacts.map((c) => c.conversationId),
      [a, a],
    );
    assert.equal((await matterOf(ws.owner, b)).matter, null, 'the merged conversation keeps no matter');

    // Split the second message off: it takes its contact to a matter of its own.
    const messages = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${a}/messages`);
    const second = (messages.json().items as Array<{ id: number; body: string }>).find((m) =>
      m.body.startsWith('How do I change'),
    );
    const split = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${a}/split`, {
      messageIds: [second?.id],
    });
    assert.equal(split.statusCode, 201, split.body);
    await settle();
    const created = split.json().conversation.id as number;
    const vc = await matterOf(ws.owner, created);
    assert.equal(vc.matter?.contactCount, 1);
    assert.equal(vc.conversations[0]?.rule, 'split_off');
    assert.equal((await matterOf(ws.owner, a)).matter?.contactCount, 1);
  });

  test('the repeat window is a setting: admins change it within 1-90 days, agents cannot', async () => {
    const ws = await t.workspace();
    const get = await call(t.app, ws.owner, 'GET', '/api/v1/matters/settings');
    assert.deepEqual(get.json(), { repeatWindowDays: 14 });
    const put = await call(t.app, ws.owner, 'PUT', '/api/v1/matters/settings', { repeatWindowDays: 30 });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual((await call(t.app, ws.owner, 'GET', '/api/v1/matters/settings')).json(), {
      repeatWindowDays: 30,
    });
    for (const body of [{ repeatWindowDays: 0 }, { repeatWindowDays: 91 }, { repeatWindowDays: '7' }, {}])
      assert.equal((await call(t.app, ws.owner, 'PUT', '/api/v1/matters/settings', body)).statusCode, 400);
    const agent = await ws.person('agent');
    assert.equal(
      (await call(t.app, agent, 'PUT', '/api/v1/matters/settings', { repeatWindowDays: 5 })).statusCode,
      403,
    );
    assert.deepEqual((await call(t.app, ws.owner, 'GET', '/api/v1/matters/settings')).json(), {
      repeatWindowDays: 30,
    });
  });
});

test('an agent’s change to a matter waits while another transaction writes the workspace’s matters', {
  skip: testDbKind() !== 'pg' && 'PostgreSQL only: PGlite runs one transaction at a time',
}, async () => {
  t.clock.set(START);
  const ws = await t.workspace();
  const customer = email();
  const refund = await reason(ws, 'Refund');
  const a = await open(ws, customer, 'I want my money back for order 77', 'chat');
  await setReason(ws, a, refund);
  const b = await open(ws, customer, 'About the order I sent back', 'email');
  await setReason(ws, b, refund);
  assert.equal((await matterOf(ws.owner, b)).matter?.id, (await matterOf(ws.owner, a)).matter?.id);
  const agent = await ws.person('agent');
  let answered = false;
  let split: Promise<unknown> | undefined;
  // Another writer (the consumer, a replay) holds the lock: the split must wait for it, not interleave.
  await t.deps.db.transaction(async (tx) => {
    await lockMatters(tx, ws.id);
    split = call(t.app, agent, 'POST', `/api/v1/conversations/${b}/matter/split`).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(answered, false, 'the split went ahead under the other writer');
  });
  const res = (await split) as { statusCode: number; body: string };
  assert.equal(res.statusCode, 200, res.body);
});

describe('backfill', () => {
  test('history from before matters existed gets the same contacts and matters, replayed in order', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const text = 'The card machine in my shop keeps rejecting contactless payments';
    const a = await open(ws, customer, text);
    await say(ws, a, 'outbound', 'Please restart it.');
    await say(ws, a, 'inbound', 'Restarted, still rejecting them');
    await setStatus(ws, a, 'solved');
    t.clock.advance(2 * DAY);
    const b = await open(ws, customer, text, 'email');
    const c = await open(ws, email(), 'Where can I see my invoices?');
    const shape = async (id: number) => {
      const v = await matterOf(ws.owner, id);
      return {
        count: v.matter?.contactCount,
        channels: v.matter?.channels,
        status: v.matter?.status,
        firstSolvedAt: v.matter?.firstSolvedAt,
        firstRepeatAt: v.matter?.firstRepeatAt,
        rules: v.conversations.map((x) => [x.id, x.rule]),
      };
    };
    const before = [await shape(a), await shape(b), await shape(c)];
    assert.equal(before[0]?.count, 3);

    // As if the conversations came from an earlier version: no matters at all.
    await forgetMatters(ws);
    assert.equal((await matterOf(ws.owner, a)).matter, null);
    assert.equal((await matterOf(ws.owner, a)).replaying, false, 'no replay under way: truly no matter');

    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'POST', '/api/v1/matters/backfill')).statusCode, 403);
    // A replay pushes nothing to open agent apps (one push per conversation of the workspace flooded them):
    // the live change after it is the first thing they hear.
    const pushes = await listenRealtime(t.database);
    try {
      const queued = await call(t.app, ws.owner, 'POST', '/api/v1/matters/backfill');
      assert.equal(queued.statusCode, 202, queued.body);
      // Until the replay has run, a conversation says its matter is on its way, not that it has none.
      const waiting = await matterOf(ws.owner, a);
      assert.deepEqual([waiting.matter, waiting.replaying], [null, true]);
      await settle();
      assert.equal((await matterOf(ws.owner, a)).replaying, false);
      assert.deepEqual([await shape(a), await shape(b), await shape(c)], before);
      assert.equal(await assignedEntries(ws, b), 1, 'no second entry');
      const live = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${c}`, { priority: 'high' });
      assert.equal(live.statusCode, 200, live.body);
      await eventually(() => pushes.messages.some((m) => m.workspaceId === ws.id));
      assert.deepEqual(
        pushes.messages.filter((m) => m.workspaceId === ws.id).map((m) => [m.type, m.data?.conversationId]),
        [['conversation.updated', c]],
      );
    } finally {
      await pushes.stop();
    }
  });
  test('a long history is replayed in short transactions, with the event loop free between them', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    // Bulk-loaded history, as the demo's: hundreds of events for the matters, none handed to the consumers.
    await generateDemoData(t.database, {
      workspaceId: ws.id,
      conversations: 150,
      seed: 3,
      now: t.clock.now(),
      quiet: true,
    });
    await skipEventsSoFar(t.deps.db, t.clock.now());
    const count = async (table: string) =>
      (
        (
          await t.deps.db.execute(
            sql.raw(`select count(*)::int as n from ${table} where workspace_id = ${ws.id}`),
          )
        ).rows as { n: number }[]
      )[0]!.n;
    assert.equal(await count('conversation_matters'), 0);
    const [last] = (await t.deps.db.execute(sql`select max(id)::int as id from events`)).rows as {
      id: number;
    }[];
    // On the embedded database, a loop of awaited queries never lets a timer (or a request) in: the replay
    // must yield between its transactions, or the whole instance stops answering until it ends.
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    try {
      const job = { workspaceId: ws.id, payload: { upToEventId: last!.id } } as unknown as JobRow;
      const handler = backfillHandler(t.deps);
      assert.equal(handler.kind, 'external');
      if (handler.kind === 'external')
        await handler.run(job, { clock: t.clock, keepAlive: async () => true } as unknown as JobContext);
    } finally {
      clearInterval(timer);
    }
    assert.ok(turns >= 1, `the event loop ran between transactions (${turns} turns)`);
    assert.equal(await count('conversation_matters'), 150, 'every conversation has its matter');
  });
  test('a conversation that a live message gives a matter while the replay runs keeps it, and its history is not counted twice', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const a = await open(ws, email(), 'My card was charged twice for one coffee');
    await say(ws, a, 'outbound', 'Refunded.');
    t.clock.advance(HOUR);
    const late = email();
    const b = await open(ws, late, 'How do I change the address on my account?');
    await say(ws, b, 'outbound', 'In the settings.');
    const last = await forgetMatters(ws);

    // The replay has reached the first conversation, not yet the second ...
    const replay = startReplay(ws.id, last);
    while (!replay.seen.has(a)) assert.ok(await replayChunk(t.deps.db, replay, 1));
    assert.equal(replay.seen.has(b), false);
    // ... when the customer of the second writes again, live: a matter with this one contact.
    t.clock.advance(HOUR);
    await say(ws, b, 'inbound', 'The settings page has no address field');
    assert.equal((await matterOf(ws.owner, b)).matter?.contactCount, 1);
    while (await replayChunk(t.deps.db, replay, 1));

    assert.deepEqual([...replay.skip], [b], 'left alone');
    const mb = await matterOf(ws.owner, b);
    assert.equal(mb.matter?.contactCount, 1, 'its old messages were not counted on the live matter');
    assert.deepEqual(
      mb.contacts.map((c) => c.kind),
      ['opened'],
    );
    const ma = await matterOf(ws.owner, a);
    assert.equal(ma.matter?.contactCount, 1);
    assert.deepEqual(
      ma.conversations.map((c) => c.id),
      [a],
    );
  });
  test('a conversation split off during the history is the replay’s own, however the chunks fall', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const customer = email();
    const a = await open(ws, customer, 'My card payment was declined at the supermarket');
    await say(ws, a, 'outbound', 'Which card?');
    const second = await say(ws, a, 'inbound', 'Also, I need a new PIN for my savings account');
    const split = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${a}/split`, {
      messageIds: [second.message.id],
      subject: 'New PIN',
    });
    assert.equal(split.statusCode, 201, split.body);
    const c = split.json().conversation.id as number;
    await settle();
    await say(ws, c, 'outbound', 'A new PIN is on its way.');
    await say(ws, c, 'inbound', 'It has not come, I need it today');
    await setStatus(ws, c, 'solved');
    const live = await matterOf(ws.owner, c);
    assert.equal(live.matter?.contactCount, 2);
    assert.equal(live.matter?.status, 'solved');

    const last = await forgetMatters(ws);
    // One event per chunk: the split gives C its matter before the replay reaches C's own first event.
    const replay = startReplay(ws.id, last);
    while (await replayChunk(t.deps.db, replay, 1));
    assert.deepEqual([...replay.skip], []);
    const replayed = await matterOf(ws.owner, c);
    assert.equal(replayed.matter?.contactCount, 2);
    assert.equal(replayed.matter?.status, 'solved');
    assert.equal(await assignedEntries(ws, c), 1, 'the replay adds no timeline entry for the past');
  });
  test('asked again while a replay runs, the new replay waits its turn instead of running beside it', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const a = await open(ws, email(), 'Where is my new card?');
    await forgetMatters(ws);
    await queueBackfill(t.deps.db, ws.id, t.clock.now());
    await t.deps.db.execute(
      sql.raw(
        `update jobs set status = 'running' where workspace_id = ${ws.id} and type = 'matters.backfill'`,
      ),
    );
    await queueBackfill(t.deps.db, ws.id, t.clock.now());
    const jobs = await findJobs(t.deps.db, ws.id, { type: 'matters.backfill' });
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['running', 'queued'],
    );
    const handler = backfillHandler(t.deps);
    if (handler.kind === 'external')
      await handler.run(jobs[1]!, { clock: t.clock, keepAlive: async () => true } as unknown as JobContext);
    assert.equal((await matterOf(ws.owner, a)).matter, null, 'it did not replay beside the running one');
    const queued = await findJobs(t.deps.db, ws.id, { type: 'matters.backfill', statuses: ['queued'] });
    assert.equal(queued.length, 1, 'queued again');
    assert.ok(queued[0]!.runAt.getTime() > t.clock.now().getTime(), 'for later');
  });
});

describe('figures', () => {
  test('first-contact resolution and repeat-contact rate, exact, by channel', async () => {
    const base = Date.parse('2026-05-04T09:00:00.000Z');
    t.clock.set(new Date(base));
    const ws = await t.workspace();
    // 1: one contact, solved, nobody came back: FCR.
    const one = await open(ws, email(), 'Where is my parcel number 1', 'chat');
    await setStatus(ws, one, 'solved');
    // 2: one contact, solved, the customer came back 3 days later on the matter: not FCR, 2 contacts.
    const customer2 = email();
    const two = await open(ws, customer2, 'Please close my savings account today', 'email');
    await setStatus(ws, two, 'solved');
    // 3: two contacts before the solve: not FCR.
    const three = await open(ws, email(), 'My statement shows a fee I do not know', 'chat');
    await say(ws, three, 'outbound', 'Which fee exactly?');
    await say(ws, three, 'inbound', 'The 5 euro one on the 3rd');
    await setStatus(ws, three, 'solved');
    // 4: still open, one contact.
    await open(ws, email(), 'I lost my phone with the banking app on it', 'chat');
    t.clock.set(new Date(base + 3 * DAY));
    const back = await open(ws, customer2, 'Please close my savings account today', 'email');
    assert.equal((await matterOf(ws.owner, back)).matter?.id, (await matterOf(ws.owner, two)).matter?.id);
    await setStatus(ws, back, 'solved');
    // 5: solved one day before "now": pending (its 7 days are not over).
    t.clock.set(new Date(base + 9 * DAY));
    const five = await open(ws, email(), 'How do I order a second card for my partner', 'email');
    await setStatus(ws, five, 'solved');
    t.clock.set(new Date(base + 10 * DAY));

    const q = `from=${new Date(base - DAY).toISOString()}&to=${new Date(base + 10 * DAY).toISOString()}`;
    const res = await call(t.app, ws.owner, 'GET', `/api/v1/matters/figures?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    const [all] = res.json().rows;
    assert.deepEqual(
      { ...all, repeatContactRate: undefined, firstContactResolution: undefined },
      {
        key: null,
        name: null,
        matters: 5,
        repeated: 2,
        repeatContactRate: undefined,
        solved: 3,
        firstContactResolved: 1,
        firstContactResolution: undefined,
        pending: 1,
      },
    );
    assert.equal(all.repeatContactRate, 2 / 5);
    assert.equal(all.firstContactResolution, 1 / 3);

    const byChannel = await call(t.app, ws.owner, 'GET', `/api/v1/matters/figures?${q}&by=channel`);
    const rows = Object.fromEntries(
      (
        byChannel.json().rows as Array<{
          key: string;
          matters: number;
          solved: number;
          firstContactResolved: number;
        }>
      ).map((r) => [r.key, [r.matters, r.solved, r.firstContactResolved]]),
    );
    assert.deepEqual(rows, { chat: [3, 2, 1], email: [2, 1, 0] });

    // The matter's own resolution time: first contact to the solve.
    const v = await matterOf(ws.owner, back);
    assert.equal(v.matter?.contactCount, 2);
    assert.equal(v.matter?.contactsAtFirstSolve, 1);
    assert.equal(v.matter?.resolutionSeconds, (3 * DAY) / 1000);

    const agent = await ws.person('agent');
    assert.equal((await call(t.app, agent, 'GET', `/api/v1/matters/figures?${q}`)).statusCode, 403);
    assert.equal((await call(t.app, ws.owner, 'GET', '/api/v1/matters/figures?by=planet')).statusCode, 400);
    const reversed = `from=${new Date(base).toISOString()}&to=${new Date(base - DAY).toISOString()}`;
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/matters/figures?${reversed}`)).statusCode, 400);
  });
});
