import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';

const t = await createTestApp({ start: '2026-03-02T23:59:00Z' });
const s = 1000;

async function conversation(ws: Awaited<ReturnType<typeof t.workspace>>) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Where is my parcel?',
    channel: 'email',
    customer: { email: `c${Math.random()}@example.com`, name: 'Maria Lopez' },
    message: { body: 'Hello?' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation.id as number;
}

describe('handle time and presence', () => {
  test('active time between reports counts by the server clock; a gap, idle reports and leaving do not', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const id = await conversation(ws);
    const beat = (who: typeof agent, body: { state: string; active: boolean }) =>
      call(t.app, who, 'POST', `/api/v1/conversations/${id}/activity`, body);

    // Opened at 23:59:00: nothing counted yet (no previous report).
    let res = await beat(agent, { state: 'viewing', active: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().handleTime, { mineSeconds: 0, totalSeconds: 0 });
    // Two reports 20 s apart, the second after midnight (a new day's row, the stretch still counted).
    t.clock.advance(20 * s);
    await beat(agent, { state: 'typing', active: true });
    t.clock.advance(40.5 * s);
    res = await beat(agent, { state: 'viewing', active: true });
    assert.equal(res.json().handleTime.mineSeconds, 61); // 20 + 40.5, rounded
    // Idle (not focused, or no input for 2 minutes): the time until it is not counted.
    t.clock.advance(20 * s);
    await beat(agent, { state: 'viewing', active: false });
    t.clock.advance(20 * s);
    res = await beat(agent, { state: 'viewing', active: true });
    assert.equal(res.json().handleTime.mineSeconds, 61, 'an idle stretch adds nothing');
    // A gap longer than a minute (asleep, offline) adds nothing either.
    t.clock.advance(5 * 60 * s);
    res = await beat(agent, { state: 'viewing', active: true });
    assert.equal(res.json().handleTime.mineSeconds, 61, 'a 5-minute silence adds nothing');
    t.clock.advance(10 * s);
    res = await beat(agent, { state: 'viewing', active: true });
    assert.equal(res.json().handleTime.mineSeconds, 71);

    // A colleague works on it too: per agent, and the total.
    await beat(colleague, { state: 'viewing', active: true });
    t.clock.advance(15 * s);
    res = await beat(colleague, { state: 'typing', active: true });
    assert.deepEqual(res.json().handleTime, { mineSeconds: 15, totalSeconds: 86 });
    const ht = await call(t.app, agent, 'GET', `/api/v1/conversations/${id}/handle-time`);
    assert.equal(ht.statusCode, 200, ht.body);
    assert.deepEqual(ht.json(), {
      totalSeconds: 86,
      people: [
        { personId: agent.personId, seconds: 71 },
        { personId: colleague.personId, seconds: 15 },
      ],
    });
    // Kept per UTC day.
    const days = await t.deps.db.execute(
      `select day::text, active_ms from handle_times where conversation_id = ${id} and person_id = ${agent.personId} order by day`,
    );
    assert.deepEqual(
      days.rows.map((r) => (r as { day: string }).day),
      ['2026-03-02', '2026-03-03'],
    );
  });

  test('two reports at the same instant (two tabs) count a stretch once', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const id = await conversation(ws);
    const beat = () =>
      call(t.app, agent, 'POST', `/api/v1/conversations/${id}/activity`, { state: 'viewing', active: true });
    await beat();
    t.clock.advance(20 * s);
    await Promise.all([beat(), beat(), beat()]);
    const ht = (await call(t.app, agent, 'GET', `/api/v1/conversations/${id}/handle-time`)).json();
    assert.equal(ht.totalSeconds, 20);
  });

  test('presence: colleagues see who views or types, it is pushed, and it ends on leaving or silence', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const id = await conversation(ws);
    const listener = await listenRealtime(t.deps.database);
    try {
      await call(t.app, colleague, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'typing',
        active: true,
      });
      await eventually(() =>
        listener.messages.some(
          (m) =>
            m.type === 'conversation.presence' &&
            m.workspaceId === ws.id &&
            m.data.personId === colleague.personId &&
            m.data.state === 'typing',
        ),
      );
      const seen = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'viewing',
        active: true,
      });
      assert.deepEqual(
        seen.json().viewers.map((v: { personId: number; state: string }) => [v.personId, v.state]),
        [[colleague.personId, 'typing']],
      );
      // Leaving removes the colleague at once; silence after 45 s too.
      await call(t.app, colleague, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'left',
        active: false,
      });
      let res = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'viewing',
        active: true,
      });
      assert.deepEqual(res.json().viewers, []);
      await call(t.app, colleague, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'viewing',
        active: true,
      });
      t.clock.advance(46 * s);
      res = await call(t.app, agent, 'POST', `/api/v1/conversations/${id}/activity`, {
        state: 'viewing',
        active: true,
      });
      assert.deepEqual(res.json().viewers, []);
    } finally {
      await listener.stop();
    }
  });

  test('bad input and another workspace: 400 and 404, nothing recorded', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const stranger = await other.person('agent');
    const id = await conversation(ws);
    for (const body of [
      { state: 'dancing', active: true },
      { state: 'viewing' },
      { state: 'viewing', active: 'yes' },
    ]) {
      const res = await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${id}/activity`, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
    }
    const foreign = await call(t.app, stranger, 'POST', `/api/v1/conversations/${id}/activity`, {
      state: 'viewing',
      active: true,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(
      (await call(t.app, stranger, 'GET', `/api/v1/conversations/${id}/handle-time`)).statusCode,
      404,
    );
    const rows = await t.deps.db.execute(`select 1 from conversation_viewers where conversation_id = ${id}`);
    assert.equal(rows.rows.length, 0);
  });
});
