import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createTestApp } from '../../../test/support/app.js';

const t = await createTestApp({ start: '2026-03-02T09:00:00Z' });

async function conversationOf(ws: Awaited<ReturnType<typeof t.workspace>>, name: string) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: 'Charged twice',
    channel: 'email',
    customer: { email: `c${Math.random().toString(36).slice(2)}@example.com`, name },
    message: { body: 'Two payments for one order.' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().conversation as { id: number; tags: string[] };
}

describe('macros', () => {
  test('a shared macro renders placeholders for the conversation and applies its actions, with events', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const team = (await call(t.app, ws.owner, 'POST', '/api/v1/teams', { name: 'Billing' })).json();
    const conversation = await conversationOf(ws, 'Tom Becker');
    const created = await call(t.app, ws.owner, 'POST', '/api/v1/macros', {
      name: 'Refund issued',
      body: 'Hi {{customer.first_name}}, I refunded the second payment on #{{conversation.id}} ({{conversation.subject}}). {{agent.first_name}}',
      actions: { status: 'pending', priority: 'high', teamId: team.id, addTags: ['Refund', 'refund'] },
      shared: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const macro = created.json();
    assert.deepEqual(macro.actions.addTags, ['refund'], 'tags folded and deduplicated');
    assert.equal(macro.shared, true);

    const applied = await call(t.app, agent, 'POST', `/api/v1/macros/${macro.id}/apply`, {
      conversationId: conversation.id,
    });
    assert.equal(applied.statusCode, 200, applied.body);
    const agentName = (await call(t.app, agent, 'GET', '/api/v1/session')).json().person.name as string;
    assert.equal(
      applied.json().text,
      `Hi Tom, I refunded the second payment on #${conversation.id} (Charged twice). ${agentName.split(' ')[0]}`,
    );
    const c = applied.json().conversation;
    assert.deepEqual([c.status, c.priority, c.teamId, c.tags], ['pending', 'high', team.id, ['refund']]);

    const detail = (await call(t.app, agent, 'GET', `/api/v1/conversations/${conversation.id}`)).json();
    const types = detail.events.map((e: { type: string }) => e.type);
    for (const type of [
      'conversation.status_changed',
      'conversation.priority_changed',
      'conversation.team_changed',
      'conversation.tagged',
      'conversation.macro_applied',
    ])
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    // The text is not sent: no outbound message.
    assert.equal(detail.messages.length, 1);
  });

  test('values are inserted as they are and never parsed as placeholders; unknown placeholders are refused', async () => {
    const ws = await t.workspace();
    const conversation = await conversationOf(ws, '{{agent.name}} <img src=x onerror=alert(1)>');
    const macro = (
      await call(t.app, ws.owner, 'POST', '/api/v1/macros', { name: 'Hello', body: 'Dear {{customer.name}}' })
    ).json();
    const applied = await call(t.app, ws.owner, 'POST', `/api/v1/macros/${macro.id}/apply`, {
      conversationId: conversation.id,
    });
    assert.equal(applied.json().text, 'Dear {{agent.name}} <img src=x onerror=alert(1)>');

    for (const body of ['Hi {{customer.password}}', 'Hi {{> partial}}', 'Hi {{#customer}}x', '{{=<% %>=}}']) {
      const res = await call(t.app, ws.owner, 'POST', '/api/v1/macros', { name: 'Bad', body });
      assert.equal(res.statusCode, 422, `${body}: ${res.body}`);
      assert.equal(res.json().error.code, 'INVALID_MACRO');
    }
    const bad = await call(t.app, ws.owner, 'POST', '/api/v1/macros', {
      name: 'Bad refs',
      body: 'x',
      actions: { assigneeId: 999_999, teamId: 999_999, addTags: ['a'], removeTags: ['a'] },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.details.problems.length, 3, bad.body);
  });

  test('agents keep their own macros; shared ones are for leads and admins; others see only shared and theirs', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const lead = await ws.person('lead');
    const shared = await call(t.app, agent, 'POST', '/api/v1/macros', { name: 'S', body: 'x', shared: true });
    assert.equal(shared.statusCode, 403);
    const mine = (await call(t.app, agent, 'POST', '/api/v1/macros', { name: 'Mine', body: 'x' })).json();
    assert.equal(mine.shared, false);
    const team = (
      await call(t.app, lead, 'POST', '/api/v1/macros', { name: 'Team', body: 'y', shared: true })
    ).json();

    const names = async (who: typeof agent) =>
      (await call(t.app, who, 'GET', '/api/v1/macros')).json().items.map((m: { name: string }) => m.name);
    assert.deepEqual(await names(agent), ['Mine', 'Team']);
    assert.deepEqual(await names(colleague), ['Team']);

    // A colleague's own macro does not exist for me; a shared one is not mine to change.
    assert.equal(
      (await call(t.app, colleague, 'PATCH', `/api/v1/macros/${mine.id}`, { name: 'x' })).statusCode,
      404,
    );
    assert.equal((await call(t.app, colleague, 'DELETE', `/api/v1/macros/${mine.id}`)).statusCode, 404);
    const conversation = await conversationOf(ws, 'Ann Lee');
    assert.equal(
      (
        await call(t.app, colleague, 'POST', `/api/v1/macros/${mine.id}/apply`, {
          conversationId: conversation.id,
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await call(t.app, agent, 'PATCH', `/api/v1/macros/${team.id}`, { name: 'x' })).statusCode,
      403,
    );
    assert.equal((await call(t.app, agent, 'DELETE', `/api/v1/macros/${team.id}`)).statusCode, 403);
    assert.equal(
      (await call(t.app, lead, 'PATCH', `/api/v1/macros/${team.id}`, { body: 'z' })).json().body,
      'z',
    );
    assert.equal((await call(t.app, agent, 'DELETE', `/api/v1/macros/${mine.id}`)).statusCode, 204);
    assert.deepEqual(await names(agent), ['Team']);
  });

  test('an action an agent may not take (assigning a colleague) fails the apply and changes nothing', async () => {
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const colleague = await ws.person('agent');
    const macro = (
      await call(t.app, ws.owner, 'POST', '/api/v1/macros', {
        name: 'Hand over',
        body: 'Passing this on.',
        actions: { assigneeId: colleague.personId, priority: 'urgent' },
        shared: true,
      })
    ).json();
    const conversation = await conversationOf(ws, 'Bo Ek');
    const res = await call(t.app, agent, 'POST', `/api/v1/macros/${macro.id}/apply`, {
      conversationId: conversation.id,
    });
    assert.equal(res.statusCode, 403, res.body);
    const after = (await call(t.app, agent, 'GET', `/api/v1/conversations/${conversation.id}`)).json();
    assert.equal(after.conversation.priority, 'normal');
    assert.equal(after.conversation.assigneeId, null);
    assert.ok(!after.events.some((e: { type: string }) => e.type === 'conversation.macro_applied'));
  });
});
