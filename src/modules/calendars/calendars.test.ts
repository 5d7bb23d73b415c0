import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';
import { calendarForTeam, resolveCalendar } from './index.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00Z' });

const berlin = {
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  week: {
    1: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    2: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '20:00', end: '24:00' }],
  },
  holidays: [{ date: '2026-12-25', yearly: true, name: 'Christmas' }, { date: '2026-03-03' }],
};

async function eventsOf(workspaceId: number, entityType: string, entityId: number) {
  const res = await t.deps.db.execute(
    `select type, data from events where workspace_id = ${workspaceId} and entity_type = '${entityType}'
     and entity_id = ${entityId} order by id`,
  );
  return res.rows as Array<{ type: string; data: Record<string, Record<string, unknown>> }>;
}

describe('calendars', () => {
  test('create, read, list, change and delete, each change an event', async () => {
    const ws = await t.workspace();
    const created = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', berlin);
    assert.equal(created.statusCode, 201, created.body);
    const cal = created.json();
    assert.deepEqual(cal.week['1'], berlin.week[1]);
    assert.equal(cal.isDefault, false);
    assert.deepEqual(cal.teamIds, []);

    const got = await call(t.app, ws.owner, 'GET', `/api/v1/calendars/${cal.id}`);
    assert.deepEqual(got.json(), cal);
    const list = await call(t.app, ws.owner, 'GET', '/api/v1/calendars');
    assert.deepEqual(
      list.json().items.map((c: { id: number }) => c.id),
      [cal.id],
    );

    const changed = await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${cal.id}`, {
      week: { 6: [{ start: '10:00', end: '14:00' }], 7: [] },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json().week, { 6: [{ start: '10:00', end: '14:00' }] });
    // The same change again is no change: no event.
    await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${cal.id}`, {
      week: { 6: [{ start: '10:00', end: '14:00' }] },
      name: 'Berlin office',
    });
    const events = await eventsOf(ws.id, 'calendar', cal.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['calendar.created', 'calendar.updated'],
    );
    assert.deepEqual(events[1]!.data.after!.week, { 6: [{ start: '10:00', end: '14:00' }] });

    const deleted = await call(t.app, ws.owner, 'DELETE', `/api/v1/calendars/${cal.id}`);
    assert.equal(deleted.statusCode, 204);
    assert.equal((await call(t.app, ws.owner, 'GET', `/api/v1/calendars/${cal.id}`)).statusCode, 404);
    assert.equal((await eventsOf(ws.id, 'calendar', cal.id)).at(-1)!.type, 'calendar.deleted');
  });

  test('a calendar that cannot work is refused with every problem in words', async () => {
    const ws = await t.workspace();
    const res = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      name: 'Broken',
      timeZone: 'Europe/Atlantis',
      week: {
        1: [
          { start: '17:00', end: '09:00' },
          { start: '8:00', end: '10:00' },
        ],
      },
      holidays: [{ date: '2026-02-30' }, { date: '2028-02-29', yearly: true }],
    });
    assert.equal(res.statusCode, 422, res.body);
    const error = res.json().error;
    assert.equal(error.code, 'INVALID_CALENDAR');
    const problems = error.details.problems as string[];
    for (const fragment of [
      'unknown time zone',
      'ends before it starts',
      'HH:MM',
      'no such day',
      '29 February',
    ])
      assert.ok(
        problems.some((p) => p.includes(fragment)),
        `${fragment} in ${problems.join('; ')}`,
      );
    const never = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      name: 'Never',
      timeZone: 'UTC',
    });
    assert.equal(never.json().error.code, 'INVALID_CALENDAR');
    assert.match(never.json().error.message, /never open/);
    const shape = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      name: 'Shape',
      timeZone: 'UTC',
      week: { 8: [{ start: '09:00', end: '10:00' }] },
    });
    assert.equal(shape.statusCode, 400);
    assert.equal(shape.json().error.code, 'VALIDATION_FAILED');
    // Nothing was stored.
    assert.deepEqual((await call(t.app, ws.owner, 'GET', '/api/v1/calendars')).json().items, []);
  });

  test('names are unique per workspace, case-insensitively', async () => {
    const ws = await t.workspace();
    assert.equal((await call(t.app, ws.owner, 'POST', '/api/v1/calendars', berlin)).statusCode, 201);
    const dup = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
      ...berlin,
      name: 'BERLIN office',
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'CALENDAR_NAME_TAKEN');
    const other = await call(t.app, ws.owner, 'POST', '/api/v1/calendars', { ...berlin, name: 'Other' });
    const rename = await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${other.json().id}`, {
      name: 'Berlin Office',
    });
    assert.equal(rename.json().error.code, 'CALENDAR_NAME_TAKEN');
    // Another workspace may use the same name.
    const ws2 = await t.workspace();
    assert.equal((await call(t.app, ws2.owner, 'POST', '/api/v1/calendars', berlin)).statusCode, 201);
  });

  test('the calendar of a team: its own, else the default, else always open', async () => {
    const ws = await t.workspace();
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Billing' })).json();
    const db = t.deps.db;
    assert.deepEqual(await calendarForTeam(db, ws.id, team.id), {
      timeZone: 'UTC',
      alwaysOpen: true,
      week: {},
      holidays: [],
    });
    assert.equal((await resolveCalendar(db, ws.id, null)).source, 'always_open');

    const office = (
      await call(t.app, ws.owner, 'POST', '/api/v1/calendars', { ...berlin, isDefault: true })
    ).json();
    const night = (
      await call(t.app, ws.owner, 'POST', '/api/v1/calendars', {
        name: 'Night',
        timeZone: 'America/New_York',
        week: { 3: [{ start: '22:00', end: '24:00' }] },
      })
    ).json();
    assert.equal((await calendarForTeam(db, ws.id, team.id)).timeZone, 'Europe/Berlin');
    assert.equal((await resolveCalendar(db, ws.id, null)).calendarId, office.id);

    const put = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/calendar`, {
      calendarId: night.id,
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), {
      teamId: team.id,
      calendarId: night.id,
      effectiveCalendarId: night.id,
      source: 'team',
    });
    assert.equal((await calendarForTeam(db, ws.id, team.id)).timeZone, 'America/New_York');
    assert.deepEqual((await call(t.app, ws.owner, 'GET', `/api/v1/calendars/${night.id}`)).json().teamIds, [
      team.id,
    ]);

    // In use: by a team, or as the default.
    const inUse = await call(t.app, ws.owner, 'DELETE', `/api/v1/calendars/${night.id}`);
    assert.equal(inUse.statusCode, 409);
    assert.deepEqual(inUse.json().error.details, { isDefault: false, teamIds: [team.id] });
    const isDefault = await call(t.app, ws.owner, 'DELETE', `/api/v1/calendars/${office.id}`);
    assert.equal(isDefault.json().error.code, 'CALENDAR_IN_USE');

    // Making another calendar the default takes the flag from the first.
    const moved = await call(t.app, ws.owner, 'PATCH', `/api/v1/calendars/${night.id}`, { isDefault: true });
    assert.equal(moved.json().isDefault, true);
    assert.equal(
      (await call(t.app, ws.owner, 'GET', `/api/v1/calendars/${office.id}`)).json().isDefault,
      false,
    );
    assert.deepEqual((await eventsOf(ws.id, 'calendar', office.id)).at(-1)!.data, {
      before: { isDefault: true },
      after: { isDefault: false },
    });

    const back = await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/calendar`, {
      calendarId: null,
    });
    assert.equal(back.json().source, 'workspace_default');
    assert.equal(back.json().effectiveCalendarId, night.id);
    const teamEvents = await eventsOf(ws.id, 'team', team.id);
    assert.deepEqual(
      teamEvents.filter((e) => e.type === 'team.calendar_changed').map((e) => e.data),
      [
        { before: { calendarId: null }, after: { calendarId: night.id } },
        { before: { calendarId: night.id }, after: { calendarId: null } },
      ],
    );
    // A deleted team takes its calendar choice with it.
    await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.id}/calendar`, { calendarId: office.id });
    assert.equal((await call(t.app, ws.owner, 'DELETE', `/api/v1/teams/${team.id}`)).statusCode, 204);
    assert.equal((await call(t.app, ws.owner, 'DELETE', `/api/v1/calendars/${office.id}`)).statusCode, 204);
  });

  test('preview: business minutes over lunch, evening spans to midnight and holidays', async () => {
    const ws = await t.workspace();
    const cal = (await call(t.app, ws.owner, 'POST', '/api/v1/calendars', berlin)).json();
    const preview = (query: string) =>
      call(t.app, ws.owner, 'GET', `/api/v1/calendars/${cal.id}/preview?${query}`);
    // Monday 2 March 2026, 11:00 Berlin (10:00Z): one hour before lunch, then on after 13:00.
    const res = await preview('from=2026-03-02T10:00:00Z&minutes=120');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      calendarId: cal.id,
      from: '2026-03-02T10:00:00.000Z',
      minutes: 120,
      due: '2026-03-02T13:00:00.000Z',
      openAtFrom: true,
      nextOpen: '2026-03-02T10:00:00.000Z',
    });
    // Monday 17:00 Berlin: Tuesday 3 March is a holiday, so the next open time is Friday 20:00.
    const late = (await preview('from=2026-03-02T16:00:00Z&minutes=240')).json();
    assert.equal(late.openAtFrom, false);
    assert.equal(late.nextOpen, '2026-03-06T19:00:00.000Z');
    assert.equal(late.due, '2026-03-06T23:00:00.000Z', 'the four hours run to midnight');
    // Default: from now (the fake clock), 60 minutes.
    assert.equal((await preview('')).json().from, t.clock.now().toISOString());
    assert.equal((await preview('minutes=-1')).statusCode, 400);
    assert.equal((await preview('from=tomorrow')).statusCode, 400);
  });

  test("another workspace's calendars and teams answer 404", async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const theirs = (await call(t.app, b.owner, 'POST', '/api/v1/calendars', berlin)).json();
    const mine = (await call(t.app, a.owner, 'POST', '/api/v1/teams', { name: 'Mine' })).json();
    const put = await call(t.app, a.owner, 'PUT', `/api/v1/teams/${mine.id}/calendar`, {
      calendarId: theirs.id,
    });
    assert.equal(put.statusCode, 404);
    assert.equal(put.json().error.code, 'CALENDAR_NOT_FOUND');
    assert.equal(
      (await call(t.app, a.owner, 'GET', `/api/v1/calendars/${theirs.id}/preview`)).statusCode,
      404,
    );
    assert.equal((await calendarForTeam(t.deps.db, a.id, mine.id)).alwaysOpen, true);
  });

  test('agents read calendars; only admins change them', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const manager = await ws.person('manager');
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/calendars')).statusCode, 200);
    assert.equal((await call(t.app, agent, 'POST', '/api/v1/calendars', berlin)).statusCode, 403);
    assert.equal((await call(t.app, manager, 'POST', '/api/v1/calendars', berlin)).statusCode, 403);
  });
});
