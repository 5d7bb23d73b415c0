import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp } from '../../../test/support/app.js';
import { eventually, listenRealtime } from '../../../test/support/realtime.js';

const t = await createTestApp();

const post = (c: Caller, url: string, body: unknown) => call(t.app, c, 'POST', `/api/v1${url}`, body);
const patch = (c: Caller, url: string, body: unknown) => call(t.app, c, 'PATCH', `/api/v1${url}`, body);
async function created(c: Caller, url: string, body: unknown) {
  const res = await post(c, url, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}
async function eventTypes(workspaceId: number, entityType: string, entityId: number) {
  const res = await t.deps.db.execute(
    `select type, data from events where workspace_id = ${workspaceId} and entity_type = '${entityType}'
     and entity_id = ${entityId} order by id`,
  );
  return res.rows as Array<{ type: string; data: Record<string, Record<string, unknown>> }>;
}

describe('departments', () => {
  test('CRUD with events; names unique; a department that owns reasons stays', async () => {
    const ws = await t.workspace();
    const d = await created(ws.owner, '/departments', { name: 'Logistics', description: 'Ships orders' });
    assert.equal(
      (await post(ws.owner, '/departments', { name: 'logistics' })).json().error.code,
      'DEPARTMENT_NAME_TAKEN',
    );
    const renamed = await patch(ws.owner, `/departments/${d.id}`, { name: 'Warehouse' });
    assert.equal(renamed.json().name, 'Warehouse');
    await created(ws.owner, '/contact-reasons', { name: 'Late parcel', departmentId: d.id });
    const refused = await call(t.app, ws.owner, 'DELETE', `/api/v1/departments/${d.id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'DEPARTMENT_IN_USE');
    const empty = await created(ws.owner, '/departments', { name: 'Legal' });
    assert.equal((await call(t.app, ws.owner, 'DELETE', `/api/v1/departments/${empty.id}`)).statusCode, 204);
    assert.deepEqual(
      (await eventTypes(ws.id, 'department', d.id)).map((e) => e.type),
      ['department.created', 'department.updated'],
    );
    assert.deepEqual(
      (await eventTypes(ws.id, 'department', empty.id)).map((e) => e.type),
      ['department.created', 'department.deleted'],
    );
  });
});

describe('contact reasons', () => {
  test('a tree of groups and reasons, with paths, children and owners', async () => {
    const ws = await t.workspace();
    const finance = await created(ws.owner, '/departments', { name: 'Finance' });
    const billing = await created(ws.owner, '/contact-reasons', { name: 'Billing' });
    const twice = await created(ws.owner, '/contact-reasons', {
      name: 'Charged twice',
      parentId: billing.id,
      departmentId: finance.id,
      avoidable: true,
      description: 'A payment was taken twice',
    });
    assert.deepEqual(twice.path, ['Billing', 'Charged twice']);
    assert.equal(twice.pathText, 'Billing > Charged twice');
    assert.equal(twice.avoidable, true);
    const group = (await call(t.app, ws.owner, 'GET', `/api/v1/contact-reasons/${billing.id}`)).json();
    assert.deepEqual(group.childIds, [twice.id]);
    const list = (await call(t.app, ws.owner, 'GET', '/api/v1/contact-reasons')).json().items;
    assert.deepEqual(
      list.map((r: { pathText: string }) => r.pathText),
      ['Billing', 'Billing > Charged twice'],
    );
    // The same name may exist under another group, not twice under one.
    await created(ws.owner, '/contact-reasons', { name: 'Charged twice' });
    const dup = await post(ws.owner, '/contact-reasons', { name: 'CHARGED TWICE', parentId: billing.id });
    assert.equal(dup.json().error.code, 'CONTACT_REASON_NAME_TAKEN');
    const bad = await post(ws.owner, '/contact-reasons', { name: 'A > B' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /">"/);
  });

  test('no cycles, at most four levels; moves are events', async () => {
    const ws = await t.workspace();
    const a = await created(ws.owner, '/contact-reasons', { name: 'A' });
    const b = await created(ws.owner, '/contact-reasons', { name: 'B', parentId: a.id });
    const c = await created(ws.owner, '/contact-reasons', { name: 'C', parentId: b.id });
    for (const parentId of [a.id, c.id]) {
      const res = await patch(ws.owner, `/contact-reasons/${a.id}`, { parentId });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'INVALID_PARENT');
    }
    const d = await created(ws.owner, '/contact-reasons', { name: 'D', parentId: c.id });
    const tooDeep = await post(ws.owner, '/contact-reasons', { name: 'E', parentId: d.id });
    assert.equal(tooDeep.json().error.code, 'INVALID_PARENT');
    assert.match(tooDeep.json().error.message, /4 levels/);
    // Moving a subtree counts its height: B (with C, D below) can't go under a 2-level-deep reason.
    const x = await created(ws.owner, '/contact-reasons', { name: 'X' });
    const y = await created(ws.owner, '/contact-reasons', { name: 'Y', parentId: x.id });
    assert.equal((await patch(ws.owner, `/contact-reasons/${b.id}`, { parentId: y.id })).statusCode, 422);
    const moved = await patch(ws.owner, `/contact-reasons/${c.id}`, { parentId: x.id });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(moved.json().path, ['X', 'C']);
    const events = await eventTypes(ws.id, 'contact_reason', c.id);
    assert.deepEqual(events.at(-1), {
      type: 'contact_reason.updated',
      data: { before: { parentId: b.id }, after: { parentId: x.id } },
    });
  });

  test('archive instead of delete when in use; archived reasons cannot be newly set', async () => {
    const ws = await t.workspace();
    const group = await created(ws.owner, '/contact-reasons', { name: 'Orders' });
    const late = await created(ws.owner, '/contact-reasons', {
      name: 'Late',
      parentId: group.id,
      avoidable: true,
    });
    const conversation = (
      await post(ws.owner, '/conversations', {
        subject: 'Where is it?',
        channel: 'email',
        customer: { email: 'c@example.com' },
        message: { body: 'Where is my parcel?' },
      })
    ).json().conversation;
    const put = (id: number | null) =>
      call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${conversation.id}/contact-reason`, {
        contactReasonId: id,
      });
    const set = await put(late.id);
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().contactReasonId, late.id);
    assert.equal(set.json().contactReasonSource, 'agent');
    assert.equal(set.json().contactReasonSetById, ws.owner.personId);
    assert.equal(set.json().contactReasonSetAt, t.clock.now().toISOString());

    for (const id of [late.id, group.id]) {
      const res = await call(t.app, ws.owner, 'DELETE', `/api/v1/contact-reasons/${id}`);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, 'CONTACT_REASON_IN_USE');
    }
    const archived = await patch(ws.owner, `/contact-reasons/${late.id}`, { status: 'archived' });
    assert.equal(archived.json().status, 'archived');
    assert.equal(archived.json().archivedAt, t.clock.now().toISOString());
    assert.deepEqual(
      (await eventTypes(ws.id, 'contact_reason', late.id)).map((e) => e.type),
      ['contact_reason.created', 'contact_reason.updated', 'contact_reason.archived'],
    );
    // It stays on the conversation that has it, but can't be chosen anew.
    await put(null);
    const again = await put(late.id);
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().error.code, 'CONTACT_REASON_ARCHIVED');
    const active = (await call(t.app, ws.owner, 'GET', '/api/v1/contact-reasons?status=active')).json().items;
    assert.deepEqual(
      active.map((r: { id: number }) => r.id),
      [group.id],
    );
    const restored = await patch(ws.owner, `/contact-reasons/${late.id}`, { status: 'active' });
    assert.equal(restored.json().archivedAt, null);
    assert.equal((await put(late.id)).statusCode, 200);
    // Unused reasons can be deleted.
    const spare = await created(ws.owner, '/contact-reasons', { name: 'Spare' });
    assert.equal(
      (await call(t.app, ws.owner, 'DELETE', `/api/v1/contact-reasons/${spare.id}`)).statusCode,
      204,
    );
  });

  test('agents and executives read the taxonomy; managers and admins keep it', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const manager = await ws.person('manager');
    const executive = await ws.person('executive');
    assert.equal((await call(t.app, agent, 'GET', '/api/v1/contact-reasons')).statusCode, 200);
    assert.equal((await call(t.app, executive, 'GET', '/api/v1/departments')).statusCode, 200);
    assert.equal((await post(agent, '/contact-reasons', { name: 'X' })).statusCode, 403);
    assert.equal((await post(manager, '/contact-reasons', { name: 'X' })).statusCode, 201);
  });
});

describe("a conversation's contact reason", () => {
  test('every set, change and clear is an event with before and after; the list filters by it', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const a = await created(ws.owner, '/contact-reasons', { name: 'Refund' });
    const b = await created(ws.owner, '/contact-reasons', { name: 'Password' });
    const newConversation = async () =>
      (
        await post(agent, '/conversations', {
          subject: 'Help',
          channel: 'chat',
          customer: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
          message: { body: 'Hello' },
        })
      ).json().conversation;
    const one = await newConversation();
    const two = await newConversation();
    const put = (caller: Caller, id: number, contactReasonId: number | null) =>
      call(t.app, caller, 'PUT', `/api/v1/conversations/${id}/contact-reason`, { contactReasonId });
    assert.equal((await put(agent, one.id, a.id)).statusCode, 200);
    assert.equal((await put(agent, one.id, a.id)).statusCode, 200, 'the same reason again is no change');
    t.clock.advance(60_000);
    assert.equal((await put(ws.owner, one.id, b.id)).json().contactReasonSetById, ws.owner.personId);
    const cleared = (await put(agent, one.id, null)).json();
    assert.deepEqual(
      [
        cleared.contactReasonId,
        cleared.contactReasonSource,
        cleared.contactReasonSetById,
        cleared.contactReasonSetAt,
      ],
      [null, null, null, null],
    );
    const events = (await call(t.app, agent, 'GET', `/api/v1/conversations/${one.id}`))
      .json()
      .events.filter((e: { type: string }) => e.type === 'conversation.contact_reason_set');
    assert.deepEqual(
      events.map((e: { data: unknown; actorId: number }) => [e.data, e.actorId]),
      [
        [
          {
            before: { contactReasonId: null, source: null, setById: null },
            after: { contactReasonId: a.id, source: 'agent', setById: agent.personId },
          },
          agent.personId,
        ],
        [
          {
            before: { contactReasonId: a.id, source: 'agent', setById: agent.personId },
            after: { contactReasonId: b.id, source: 'agent', setById: ws.owner.personId },
          },
          ws.owner.personId,
        ],
        [
          {
            before: { contactReasonId: b.id, source: 'agent', setById: ws.owner.personId },
            after: { contactReasonId: null, source: null, setById: null },
          },
          agent.personId,
        ],
      ],
    );

    await put(agent, one.id, a.id);
    await put(agent, two.id, b.id);
    const three = await newConversation();
    const ids = async (query: string) =>
      (await call(t.app, agent, 'GET', `/api/v1/conversations?${query}`))
        .json()
        .items.map((c: { id: number }) => c.id);
    assert.deepEqual(await ids(`contactReasonId=${a.id}`), [one.id]);
    assert.deepEqual(await ids(`contactReasonId=${b.id}`), [two.id]);
    assert.deepEqual(await ids('contactReasonId=none'), [three.id]);
    assert.equal(
      (await call(t.app, agent, 'GET', '/api/v1/conversations?contactReasonId=x')).statusCode,
      400,
    );
    const listed = (await call(t.app, agent, 'GET', `/api/v1/conversations?contactReasonId=${a.id}`)).json()
      .items[0];
    assert.equal(listed.contactReasonSource, 'agent');

    // Unknown or foreign reasons are 404; a closed conversation is final.
    const other = await t.workspace();
    const foreign = await created(other.owner, '/contact-reasons', { name: 'Theirs' });
    const res = await put(agent, two.id, foreign.id);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'CONTACT_REASON_NOT_FOUND');
    await call(t.app, agent, 'PATCH', `/api/v1/conversations/${two.id}`, { status: 'solved' });
    await call(t.app, agent, 'PATCH', `/api/v1/conversations/${two.id}`, { status: 'closed' });
    assert.equal((await put(agent, two.id, a.id)).json().error.code, 'CONVERSATION_CLOSED');
    const executive = await ws.person('executive');
    assert.equal((await put(executive, one.id, b.id)).statusCode, 403);
  });

  test('"none of the reasons fits" is a label of its own: kept with who said it, listed, replaced by a reason', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const refund = await created(ws.owner, '/contact-reasons', { name: 'Refund' });
    const open = async () =>
      (
        await post(agent, '/conversations', {
          subject: 'Odd one',
          channel: 'chat',
          customer: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
          message: { body: 'Can I bring my dog into your branch?' },
        })
      ).json().conversation;
    const odd = await open();
    const unset = await open();
    const put = (id: number, contactReasonId: unknown) =>
      call(t.app, agent, 'PUT', `/api/v1/conversations/${id}/contact-reason`, { contactReasonId });
    const said = await put(odd.id, 'none_fits');
    assert.equal(said.statusCode, 200, said.body);
    assert.deepEqual(
      [
        said.json().contactReasonId,
        said.json().contactReasonNoneFits,
        said.json().contactReasonSource,
        said.json().contactReasonSetById,
        typeof said.json().contactReasonSetAt,
      ],
      [null, true, 'agent', agent.personId, 'string'],
    );
    assert.equal(unset.contactReasonNoneFits, false);
    assert.equal((await put(odd.id, 'none_fits')).statusCode, 200, 'saying it again is no change');
    for (const bad of ['none', 'nothing', true, 0])
      assert.equal((await put(odd.id, bad)).statusCode, 400, `contactReasonId ${JSON.stringify(bad)}`);

    const ids = async (query: string) =>
      (await call(t.app, agent, 'GET', `/api/v1/conversations?${query}`))
        .json()
        .items.map((c: { id: number }) => c.id);
    assert.deepEqual(await ids('contactReasonId=none_fits'), [odd.id]);
    assert.deepEqual(
      await ids('contactReasonId=none'),
      [unset.id],
      '"none" is the conversations nobody coded',
    );

    // The taxonomy grows a reason for it: set, it replaces "none fits".
    const set = (await put(odd.id, refund.id)).json();
    assert.deepEqual([set.contactReasonId, set.contactReasonNoneFits], [refund.id, false]);
    assert.deepEqual(await ids('contactReasonId=none_fits'), []);
    const events = (await call(t.app, agent, 'GET', `/api/v1/conversations/${odd.id}`))
      .json()
      .events.filter((e: { type: string }) => e.type === 'conversation.contact_reason_set')
      .map((e: { data: unknown }) => e.data);
    assert.deepEqual(events, [
      {
        before: { contactReasonId: null, source: null, setById: null },
        after: { contactReasonId: null, noneFits: true, source: 'agent', setById: agent.personId },
      },
      {
        before: { contactReasonId: null, noneFits: true, source: 'agent', setById: agent.personId },
        after: { contactReasonId: refund.id, source: 'agent', setById: agent.personId },
      },
    ]);
    // Cleared, it is unset again.
    const cleared = (await put(odd.id, null)).json();
    assert.deepEqual([cleared.contactReasonId, cleared.contactReasonNoneFits], [null, false]);

    // A conversation merged into another is no contact of its own: it leaves the view.
    const same = (
      await post(agent, '/conversations', {
        subject: 'Odd one, again',
        channel: 'chat',
        customer: { id: odd.customerId },
        message: { body: 'And cats?' },
      })
    ).json().conversation;
    assert.equal((await put(same.id, 'none_fits')).statusCode, 200);
    assert.deepEqual(await ids('contactReasonId=none_fits'), [same.id]);
    const merged = await call(t.app, agent, 'POST', `/api/v1/conversations/${same.id}/merge`, {
      intoId: odd.id,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.deepEqual(await ids('contactReasonId=none_fits'), []);
    // A reason and "none fits" at once is refused by the database itself.
    const { sql } = await import('drizzle-orm');
    await assert.rejects(
      t.deps.db.execute(
        sql`update conversations set contact_reason_id = ${refund.id} where workspace_id = ${ws.id} and id = ${same.id}`,
      ),
    );
  });

  test('a set or cleared reason is pushed live as conversation.updated; the same reason again is not', async () => {
    const ws = await t.workspace();
    const reason = await created(ws.owner, '/contact-reasons', { name: 'Late parcel' });
    const conversation = (
      await post(ws.owner, '/conversations', {
        subject: 'Late',
        channel: 'chat',
        customer: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
        message: { body: 'Hello' },
      })
    ).json().conversation;
    const put = (contactReasonId: number | null) =>
      call(t.app, ws.owner, 'PUT', `/api/v1/conversations/${conversation.id}/contact-reason`, {
        contactReasonId,
      });
    const listener = await listenRealtime(t.database);
    const pushes = () =>
      listener.messages.filter(
        (m) =>
          m.type === 'conversation.updated' &&
          (m.data as { conversationId?: number }).conversationId === conversation.id,
      );
    try {
      await put(reason.id);
      await put(reason.id);
      await put(null);
      await eventually(() => pushes().length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(pushes().length, 2);
      assert.equal(pushes()[0]?.workspaceId, ws.id);
      assert.deepEqual((pushes()[0]?.data as { changed?: string[] } | undefined)?.changed, ['contactReason']);
    } finally {
      await listener.stop();
    }
  });
});
