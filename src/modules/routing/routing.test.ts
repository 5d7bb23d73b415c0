import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Caller,
  call,
  callWithSession,
  createTestApp,
  signIn,
  type TestWorkspace,
} from '../../../test/support/app.js';
import { testDbKind } from '../../../test/support/database.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';
import { sweepTeam } from './index.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00Z' });
const pgOnly = { skip: testDbKind() !== 'pg' && 'PostgreSQL only' };

type Conversation = { id: number; assigneeId: number | null; teamId: number | null; status: string };
type TimelineEvent = { type: string; actorType: string; data: Record<string, unknown> };

let n = 0;
async function converse(
  ws: TestWorkspace,
  teamId: number | undefined,
  channel = 'email',
  assigneeId?: number,
): Promise<Conversation> {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Question ${++n}`,
    channel,
    customer: { email: `c${n}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    message: { body: 'Where is my parcel?' },
    ...(teamId ? { teamId } : {}),
    ...(assigneeId ? { assigneeId } : {}),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation;
}

async function conversation(ws: TestWorkspace, id: number) {
  const res = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { conversation: Conversation; events: TimelineEvent[] };
}

const assigneeOf = async (ws: TestWorkspace, id: number) =>
  (await conversation(ws, id)).conversation.assigneeId;

async function setAvailability(caller: Caller, availability: 'online' | 'away' | 'offline') {
  const res = await call(t.app, caller, 'PUT', '/api/v1/me/availability', { availability });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** A team with these members, routed by `mode` with `capacity`. */
async function routedTeam(
  ws: TestWorkspace,
  members: Caller[],
  mode: 'manual' | 'round_robin' | 'least_busy',
  capacity: Record<string, number> = {},
) {
  const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: `Team ${++n}` })).json();
  for (const m of members) {
    const res = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/members/${m.personId}`);
    assert.equal(res.statusCode, 204, res.body);
  }
  const res = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/routing`, { mode, capacity });
  assert.equal(res.statusCode, 200, res.body);
  return team.id as number;
}

async function agents(ws: TestWorkspace, count: number, online = true): Promise<Caller[]> {
  const list: Caller[] = [];
  for (let i = 0; i < count; i++) {
    const a = await ws.person('agent');
    if (online) await setAvailability(a, 'online');
    list.push(a);
  }
  return list;
}

/** Runs what the worker would: event consumers (which queue sweeps) and due jobs (the sweeps). */
const settle = () => t.worker.drain();

describe('availability', () => {
  test('each person sets their own; colleagues see it on GET /people and on the stream; signing out of the last session makes one offline', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const mine = await call(t.app, agent, 'GET', '/api/v1/me/availability');
    assert.equal(mine.statusCode, 200, mine.body);
    assert.deepEqual(mine.json(), { personId: agent.personId, availability: 'offline', changedAt: null });

    const stream = await listenRealtime(t.database);
    try {
      const set = await setAvailability(agent, 'online');
      assert.equal(set.availability, 'online');
      assert.equal(set.changedAt, t.clock.now().toISOString());
      await eventually(() =>
        stream.messages.some(
          (m) =>
            m.workspaceId === ws.id &&
            m.type === 'person.availability_changed' &&
            m.data.personId === agent.personId &&
            m.data.availability === 'online',
        ),
      );
    } finally {
      await stream.stop();
    }

    const people = (await call(t.app, ws.owner, 'GET', '/api/v1/people')).json().items as Array<{
      id: number;
      availability: string;
    }>;
    assert.equal(people.find((p) => p.id === agent.personId)?.availability, 'online');
    assert.equal(people.find((p) => p.id === ws.owner.personId)?.availability, 'offline');
    const online = (await call(t.app, ws.owner, 'GET', '/api/v1/people?availability=online')).json().items;
    assert.deepEqual(
      online.map((p: { id: number }) => p.id),
      [agent.personId],
    );

    const audit = (
      await call(t.app, ws.owner, 'GET', '/api/v1/events?type=person.availability_changed')
    ).json();
    assert.ok(
      audit.items.some(
        (e: { entityId: number; data: { after: { availability: string } } }) =>
          e.entityId === agent.personId && e.data.after.availability === 'online',
      ),
      'recorded in the audit log',
    );

    const bad = await call(t.app, agent, 'PUT', '/api/v1/me/availability', { availability: 'busy' });
    assert.equal(bad.statusCode, 400);

    // Two sessions: signing out of one keeps the person online; out of the last, offline.
    const first = await signIn(t.app, ws.slug, agent);
    const second = await signIn(t.app, ws.slug, agent);
    assert.equal((await callWithSession(t.app, first, 'DELETE', '/api/v1/session')).statusCode, 204);
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/me/availability')).json().availability, 'online');
    assert.equal((await callWithSession(t.app, second, 'DELETE', '/api/v1/session')).statusCode, 204);
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/me/availability')).json().availability, 'offline');
  });

  test('a deactivated person goes offline', async () => {
    const ws = await t.workspace();
    const [agent] = await agents(ws, 1);
    const res = await call(t.app, ws.owner, 'PATCH', `/api/v1/people/${agent!.personId}`, {
      status: 'deactivated',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().availability, 'offline');
  });
});

describe('routing', () => {
  test('round robin: online members in turn, recorded as routing with its reason', async () => {
    const ws = await t.workspace();
    const [a, b, c] = await agents(ws, 3);
    const team = await routedTeam(ws, [a!, b!, c!], 'round_robin');
    const got: Array<number | null> = [];
    for (let i = 0; i < 6; i++) {
      const created = await converse(ws, team);
      await settle();
      got.push(await assigneeOf(ws, created.id));
    }
    assert.deepEqual(
      got,
      [a, b, c, a, b, c].map((x) => x!.personId),
    );

    const last = await converse(ws, team);
    await settle();
    const { events } = await conversation(ws, last.id);
    const assigned = events.find((e) => e.type === 'conversation.assigned');
    assert.ok(assigned, 'an assignment event');
    assert.equal(assigned.actorType, 'routing');
    assert.deepEqual(assigned.data.after, { assigneeId: a!.personId });
    assert.deepEqual(assigned.data.routing, {
      teamId: team,
      mode: 'round_robin',
      reason: 'next in rotation',
    });

    // The assignee is told, like any assignment.
    const bell = (await call(t.app, a!, 'GET', '/api/v1/notifications')).json();
    assert.ok(bell.items.some((x: { kind: string }) => x.kind === 'assigned'));
  });

  test('a manual team is left alone; a conversation moved into a routed team while unassigned is routed', async () => {
    const ws = await t.workspace();
    const [a] = await agents(ws, 1);
    const manual = await routedTeam(ws, [a!], 'manual');
    const routed = await routedTeam(ws, [a!], 'round_robin');
    const created = await converse(ws, manual);
    await settle();
    assert.equal(await assigneeOf(ws, created.id), null);
    const moved = await call(t.app, ws.owner, 'PATCH', `/api/v1/conversations/${created.id}`, {
      teamId: routed,
    });
    assert.equal(moved.statusCode, 200, moved.body);
    await settle();
    assert.equal(await assigneeOf(ws, created.id), a!.personId);
    // Created with an assignee: routing does not touch it.
    const [b] = await agents(ws, 1);
    const given = await converse(ws, routed, 'email', b!.personId);
    await settle();
    assert.equal(await assigneeOf(ws, given.id), b!.personId);
  });

  test('least busy: fewest open conversations; a tie goes to whoever waited longest since their last one', async () => {
    const ws = await t.workspace();
    const [a, b, c] = await agents(ws, 3);
    const team = await routedTeam(ws, [a!, b!, c!], 'least_busy');
    // a already has two open conversations (given by hand, outside routing).
    await converse(ws, undefined, 'email', a!.personId);
    await converse(ws, undefined, 'chat', a!.personId);

    const next = async () => {
      t.clock.advance(60_000);
      const created = await converse(ws, team);
      await settle();
      return assigneeOf(ws, created.id);
    };
    assert.equal(await next(), b!.personId, 'b and c have none; neither was ever routed one: the lower id');
    assert.equal(await next(), c!.personId, 'c has fewer than b now');
    assert.equal(await next(), b!.personId, 'b and c have one each: b has waited longer');
    assert.equal(await next(), c!.personId, 'c has fewer');
    assert.equal(await next(), a!.personId, 'everyone has two: a was never routed one');

    const created = await converse(ws, team);
    await settle();
    const assigned = (await conversation(ws, created.id)).events.find(
      (e) => e.type === 'conversation.assigned',
    );
    assert.deepEqual(assigned?.data.routing, {
      teamId: team,
      mode: 'least_busy',
      reason: 'fewest open conversations (2)',
    });
  });

  test('capacity per channel is respected, with a member override; solving one frees a place and the queue moves', async () => {
    const ws = await t.workspace();
    const [a, b] = await agents(ws, 2);
    const team = await routedTeam(ws, [a!, b!], 'round_robin', { email: 1, chat: 0 });
    const override = await call(
      t.app,
      ws.owner,
      'PUT',
      `/api/v1/teams/${team}/routing/members/${b!.personId}`,
      {
        capacity: { email: 2 },
      },
    );
    assert.equal(override.statusCode, 200, override.body);
    assert.deepEqual(
      override.json().members.find((m: { personId: number }) => m.personId === b!.personId).capacity,
      {
        email: 2,
      },
    );

    const emails: Conversation[] = [];
    for (let i = 0; i < 4; i++) emails.push(await converse(ws, team, 'email'));
    const chat = await converse(ws, team, 'chat');
    const sms = await converse(ws, team, 'sms');
    await settle();
    const who = async (list: Conversation[]) => Promise.all(list.map((x) => assigneeOf(ws, x.id)));
    assert.deepEqual(await who(emails), [a!.personId, b!.personId, b!.personId, null]);
    assert.equal(await assigneeOf(ws, chat.id), null, 'chat capacity 0: nobody takes chats');
    assert.equal(await assigneeOf(ws, sms.id), a!.personId, 'no limit on sms');

    const view = (await call(t.app, ws.owner, 'GET', `/api/v1/teams/${team}/routing`)).json();
    assert.equal(view.mode, 'round_robin');
    assert.deepEqual(view.capacity, { email: 1, chat: 0 });
    assert.deepEqual(
      view.members.map((m: { openConversations: number }) => m.openConversations),
      [2, 2],
    );

    // The fourth waits in the Unassigned view until a frees a place by solving theirs.
    const unassigned = (
      await call(
        t.app,
        ws.owner,
        'GET',
        `/api/v1/conversations?assigneeId=none&status=new,open&teamId=${team}`,
      )
    ).json();
    assert.ok(unassigned.items.some((x: { id: number }) => x.id === emails[3]!.id));
    const solved = await call(t.app, a!, 'PATCH', `/api/v1/conversations/${emails[0]!.id}`, {
      status: 'solved',
    });
    assert.equal(solved.statusCode, 200, solved.body);
    await settle();
    assert.equal(await assigneeOf(ws, emails[3]!.id), a!.personId);
  });

  test('away and offline members are passed over; a conversation waits until someone comes online', async () => {
    const ws = await t.workspace();
    const [a, b, c] = await agents(ws, 3, false);
    await setAvailability(a!, 'away');
    const team = await routedTeam(ws, [a!, b!, c!], 'round_robin');
    const waiting = await converse(ws, team);
    await settle();
    assert.equal(await assigneeOf(ws, waiting.id), null, 'nobody online: it waits');

    await setAvailability(c!, 'online');
    await settle();
    assert.equal(await assigneeOf(ws, waiting.id), c!.personId, 'c came online and got it');
    const { events } = await conversation(ws, waiting.id);
    assert.equal(events.find((e) => e.type === 'conversation.assigned')?.actorType, 'routing');

    for (let i = 0; i < 3; i++) {
      const next = await converse(ws, team);
      await settle();
      assert.equal(await assigneeOf(ws, next.id), c!.personId, 'only c is online');
    }
  });

  test('Take it: an agent claims an unassigned conversation; a second claim is refused with 409', async () => {
    const ws = await t.workspace();
    const [a, b] = await agents(ws, 2);
    const created = await converse(ws, undefined);
    const first = await call(t.app, a!, 'POST', `/api/v1/conversations/${created.id}/claim`);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().assigneeId, a!.personId);
    const second = await call(t.app, b!, 'POST', `/api/v1/conversations/${created.id}/claim`);
    assert.equal(second.statusCode, 409, second.body);
    assert.equal(second.json().error.code, 'CONVERSATION_ALREADY_ASSIGNED');
    assert.deepEqual(second.json().error.details, { assigneeId: a!.personId });
    const again = await call(t.app, a!, 'POST', `/api/v1/conversations/${created.id}/claim`);
    assert.equal(again.statusCode, 200, 'taking one’s own again is fine');
    const { events } = await conversation(ws, created.id);
    const claims = events.filter((e) => e.type === 'conversation.assigned');
    assert.equal(claims.length, 1, 'one assignment recorded');
    assert.equal(claims[0]!.data.claimed, true);

    const executive = await ws.person('executive');
    const refused = await call(t.app, executive, 'POST', `/api/v1/conversations/${created.id}/claim`);
    assert.equal(refused.statusCode, 403);
  });

  test('parallel claims: exactly one wins', async () => {
    const ws = await t.workspace();
    const many = await agents(ws, 5, false);
    const created = await converse(ws, undefined);
    const answers = await Promise.all(
      many.map((x) => call(t.app, x, 'POST', `/api/v1/conversations/${created.id}/claim`)),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409]);
    const winner = answers.find((r) => r.statusCode === 200)!.json().assigneeId;
    assert.equal(await assigneeOf(ws, created.id), winner);
  });

  test("another workspace's teams, members and conversations answer 404", async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const [a] = await agents(ws, 1);
    const team = await routedTeam(ws, [a!], 'round_robin');
    const created = await converse(ws, undefined);
    const foreign = [
      await call(t.app, other.owner, 'GET', `/api/v1/teams/${team}/routing`),
      await call(t.app, other.owner, 'PUT', `/api/v1/teams/${team}/routing`, { mode: 'manual' }),
      await call(t.app, other.owner, 'PUT', `/api/v1/teams/${team}/routing/members/${a!.personId}`, {
        capacity: {},
      }),
      await call(t.app, other.owner, 'POST', `/api/v1/conversations/${created.id}/claim`),
    ];
    assert.deepEqual(
      foreign.map((r) => r.statusCode),
      [404, 404, 404, 404],
    );
    const otherTeam = (await call(t.app, other.owner, 'POST', '/api/v1/teams', { name: 'Theirs' })).json();
    const notMember = await call(
      t.app,
      other.owner,
      'PUT',
      `/api/v1/teams/${otherTeam.id}/routing/members/${a!.personId}`,
      {
        capacity: { email: 1 },
      },
    );
    assert.equal(notMember.statusCode, 404);
    assert.equal((await conversation(ws, created.id)).conversation.assigneeId, null);
    assert.equal(
      (await call(t.app, ws.owner, 'GET', `/api/v1/teams/${team}/routing`)).json().mode,
      'round_robin',
    );
  });

  test('an agent may read a team’s routing but not change it', async () => {
    const ws = await t.workspace();
    const [a] = await agents(ws, 1);
    const team = await routedTeam(ws, [a!], 'least_busy');
    assert.equal((await call(t.app, a!, 'GET', `/api/v1/teams/${team}/routing`)).statusCode, 200);
    assert.equal(
      (await call(t.app, a!, 'PUT', `/api/v1/teams/${team}/routing`, { mode: 'manual' })).statusCode,
      403,
    );
    const bad = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team}/routing`, { capacity: { fax: 2 } });
    assert.equal(bad.statusCode, 400);
  });

  test('20 conversations created in parallel spread evenly under round robin, capacity holds under concurrent sweeps', async () => {
    const ws = await t.workspace();
    const four = await agents(ws, 4);
    const team = await routedTeam(ws, four, 'round_robin', { email: 6 });
    // Nobody online while they arrive: then every sweep races for the same queue at once.
    for (const x of four) await setAvailability(x, 'offline');
    await settle();
    const created = await Promise.all(Array.from({ length: 25 }, () => converse(ws, team)));
    for (const x of four) await setAvailability(x, 'online');
    const now = t.clock.now();
    await Promise.all([
      ...Array.from({ length: 6 }, () => t.deps.db.transaction((tx) => sweepTeam(tx, ws.id, team, now))),
      settle(),
    ]);
    await settle();
    const counts = new Map<number | null, number>();
    for (const c of created) {
      const who = await assigneeOf(ws, c.id);
      counts.set(who, (counts.get(who) ?? 0) + 1);
    }
    for (const x of four)
      assert.equal(counts.get(x.personId), 6, `agent ${x.personId} has 6: ${[...counts]}`);
    assert.equal(counts.get(null), 1, 'the 25th waits: everyone is full');
    let routed = 0;
    for (const c of created)
      routed += (await conversation(ws, c.id)).events.filter(
        (e) => e.type === 'conversation.assigned',
      ).length;
    assert.equal(routed, 24, 'each conversation assigned once');
  });

  test('round robin stays even under concurrency: 20 in parallel, 5 each', pgOnly, async () => {
    const ws = await t.workspace();
    const four = await agents(ws, 4);
    const team = await routedTeam(ws, four, 'round_robin', { email: 10 });
    const created = await Promise.all(Array.from({ length: 20 }, () => converse(ws, team)));
    const now = t.clock.now();
    await Promise.all([
      ...Array.from({ length: 8 }, () => t.deps.db.transaction((tx) => sweepTeam(tx, ws.id, team, now))),
      settle(),
      settle(),
    ]);
    const counts = new Map<number | null, number>();
    for (const c of created) {
      const who = await assigneeOf(ws, c.id);
      counts.set(who, (counts.get(who) ?? 0) + 1);
    }
    assert.deepEqual(
      four.map((x) => counts.get(x.personId)),
      [5, 5, 5, 5],
      `${[...counts]}`,
    );
  });

  test(
    'two teams sharing agents, swept at the same moment, never give an agent more than their capacity',
    pgOnly,
    async () => {
      const ws = await t.workspace();
      const five = await agents(ws, 5, false);
      const first = await routedTeam(ws, five, 'least_busy', { email: 2 });
      const second = await routedTeam(ws, five, 'round_robin', { email: 2 });
      const created = await Promise.all(
        Array.from({ length: 24 }, (_, i) => converse(ws, i % 2 ? first : second)),
      );
      await settle();
      for (const x of five) await setAvailability(x, 'online');
      const now = t.clock.now();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t.deps.db.transaction((tx) => sweepTeam(tx, ws.id, i % 2 ? first : second, now)),
        ),
      );
      const counts = new Map<number | null, number>();
      for (const c of created) {
        const who = await assigneeOf(ws, c.id);
        counts.set(who, (counts.get(who) ?? 0) + 1);
      }
      assert.deepEqual(
        five.map((x) => counts.get(x.personId)),
        [2, 2, 2, 2, 2],
        `${[...counts]}`,
      );
      assert.equal(counts.get(null), 14);
    },
  );
});
