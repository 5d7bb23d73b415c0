import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Caller, call, createTestApp, type TestWorkspace } from '../../../test/support/app.js';

const START = '2026-03-02T09:00:00.000Z'; // a Monday
const t = await createTestApp({ start: START });
const settle = () => t.worker.drain();
let n = 0;

type Action = { id: number; kind: string; unit: string; name: string };
type Resolution = {
  id: number;
  status: string;
  amount: number;
  exceeded: string[];
  approvalDueAt: string | null;
  decidedById: number | null;
  currency: string | null;
};

async function open(ws: TestWorkspace, body = 'I was charged twice for my order', customer?: string) {
  const res = await call(t.app, ws.owner, 'POST', '/api/v1/conversations', {
    subject: `Refund ${++n}`,
    channel: 'chat',
    customer: { email: customer ?? `r${n}-${Math.random().toString(36).slice(2, 7)}@example.com` },
    message: { body },
  });
  assert.equal(res.statusCode, 201, res.body);
  await settle();
  return res.json().conversation.id as number;
}

async function actions(who: Caller) {
  const res = await call(t.app, who, 'GET', '/api/v1/resolution-actions');
  assert.equal(res.statusCode, 200, res.body);
  return Object.fromEntries((res.json().items as Action[]).map((a) => [a.kind, a]));
}

async function grant(who: Caller, conversationId: number, actionId: number, amount: number, extra = {}) {
  const res = await call(t.app, who, 'POST', `/api/v1/conversations/${conversationId}/resolutions`, {
    actionId,
    amount,
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Resolution;
}

async function setLimits(ws: TestWorkspace, items: unknown[]) {
  const res = await call(t.app, ws.owner, 'PUT', '/api/v1/authority/limits', { items });
  assert.equal(res.statusCode, 200, res.body);
}

const agentRefund = (actionId: number, extra = {}) => ({
  actionId,
  role: 'agent',
  personId: null,
  perAction: 50,
  perConversation: 80,
  perDay: 100,
  perMonth: 1000,
  ...extra,
});

describe('front-line authority', () => {
  test('within the limits it applies at once; above any of them it asks a lead, with an SLA', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const team = await call(t.app, ws.owner, 'POST', '/api/v1/teams', {
      name: 'Billing',
      leadId: lead.personId,
    });
    await call(t.app, ws.owner, 'PUT', `/api/v1/teams/${team.json().id}/members/${agent.personId}`);
    const a = await actions(agent);
    assert.deepEqual(Object.keys(a).sort(), [
      'credit',
      'discount',
      'fee_waiver',
      'gift',
      'refund',
      'replacement',
      'upgrade',
    ]);
    const refund = a.refund!.id;
    await setLimits(ws, [agentRefund(refund)]);

    const c1 = await open(ws);
    const first = await grant(agent, c1, refund, 30);
    assert.deepEqual(
      [first.status, first.amount, first.currency, first.exceeded],
      ['applied', 30, 'EUR', []],
    );
    assert.equal((await grant(agent, c1, refund, 40)).status, 'applied');
    const third = await grant(agent, c1, refund, 20.5, { note: 'the shipping too' });
    assert.equal(third.status, 'pending', 'past 80 on one conversation');
    assert.deepEqual(third.exceeded, ['per_conversation']);
    assert.equal(
      third.approvalDueAt,
      '2026-03-02T13:00:00.000Z',
      'four hours (around the clock: no calendar)',
    );

    const c2 = await open(ws);
    assert.deepEqual((await grant(agent, c2, refund, 60)).exceeded, ['per_action', 'per_day']);
    assert.equal((await grant(agent, c2, refund, 30)).status, 'applied', 'exactly 100 today');
    const overDay = await grant(agent, c2, refund, 0.01);
    assert.deepEqual(overDay.exceeded, ['per_day']);
    // Tomorrow the day's budget is whole again.
    t.clock.set('2026-03-03T09:00:00.000Z');
    assert.equal((await grant(agent, await open(ws), refund, 50)).status, 'applied');

    const mine = await call(t.app, agent, 'GET', '/api/v1/authority/mine');
    const mineRefund = (
      mine.json().items as Array<{ kind: string; spentToday: number; spentThisMonth: number }>
    ).find((x) => x.kind === 'refund');
    assert.deepEqual([mineRefund?.spentToday, mineRefund?.spentThisMonth], [50, 150]);

    // Bad amounts, switched-off and unknown actions, another workspace's conversation.
    for (const amount of [0, -5, 12.345])
      assert.equal(
        (
          await call(t.app, agent, 'POST', `/api/v1/conversations/${c1}/resolutions`, {
            actionId: refund,
            amount,
          })
        ).statusCode,
        400,
      );
    const replacement = a.replacement!.id;
    assert.equal(
      (
        await call(t.app, agent, 'POST', `/api/v1/conversations/${c1}/resolutions`, {
          actionId: replacement,
          amount: 1.5,
        })
      ).statusCode,
      400,
    );
    await call(t.app, ws.owner, 'PATCH', `/api/v1/resolution-actions/${a.gift!.id}`, { enabled: false });
    const off = await call(t.app, agent, 'POST', `/api/v1/conversations/${c1}/resolutions`, {
      actionId: a.gift!.id,
      amount: 5,
    });
    assert.equal(off.statusCode, 422);
    const other = await t.workspace();
    const theirs = await open(other);
    assert.equal(
      (
        await call(t.app, agent, 'POST', `/api/v1/conversations/${theirs}/resolutions`, {
          actionId: refund,
          amount: 1,
        })
      ).statusCode,
      404,
    );
    const proposal = await call(t.app, agent, 'POST', `/api/v1/conversations/${c1}/resolutions`, {
      actionId: refund,
      amount: 1,
      proposalId: 987654,
    });
    assert.equal(proposal.statusCode, 404);

    // The lead was asked, and asked again when the approval SLA ran out (the clock is a day on).
    await settle();
    const notes = (await call(t.app, lead, 'GET', '/api/v1/notifications')).json().items as Array<{
      kind: string;
      title: string;
    }>;
    const asked = notes.filter((x) => x.kind === 'approval_requested');
    assert.equal(asked.filter((x) => x.title.startsWith('Approve Refund')).length, 3, JSON.stringify(asked));
    assert.equal(asked.filter((x) => x.title.startsWith('Approval overdue')).length, 3);
    const pending = await call(t.app, lead, 'GET', '/api/v1/resolutions?status=pending');
    assert.equal(pending.json().items.length, 3);
  });

  test('a lead approves (applied, to the webhooks) or rejects (nothing changes); nobody decides their own', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const otherLead = await ws.person('lead');
    const hook = await call(t.app, ws.owner, 'POST', '/api/v1/webhooks', {
      name: 'Billing',
      url: 'http://127.0.0.1:9/billing',
      eventTypes: ['resolution.*'],
    });
    assert.equal(hook.statusCode, 201, hook.body);
    const refund = (await actions(agent)).refund!.id;
    await setLimits(ws, [agentRefund(refund)]);
    const c = await open(ws);
    const big = await grant(agent, c, refund, 200);
    assert.equal(big.status, 'pending');

    assert.equal(
      (await call(t.app, agent, 'POST', `/api/v1/resolutions/${big.id}/approve`, {})).statusCode,
      403,
    );
    const ownAsk = await grant(lead, c, refund, 10); // leads have no refund authority here: a request
    assert.deepEqual(ownAsk.exceeded, ['no_authority']);
    const own = await call(t.app, lead, 'POST', `/api/v1/resolutions/${ownAsk.id}/approve`, {});
    assert.equal(own.statusCode, 403, 'nobody approves their own request');

    const rejectWithout = await call(t.app, lead, 'POST', `/api/v1/resolutions/${big.id}/reject`, {});
    assert.equal(rejectWithout.statusCode, 400, 'a rejection says why');
    const rejected = await call(t.app, lead, 'POST', `/api/v1/resolutions/${big.id}/reject`, {
      note: 'Too much for a late delivery',
    });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().status, 'rejected');
    assert.equal(rejected.json().appliedAt, null);
    assert.equal(
      (await call(t.app, lead, 'POST', `/api/v1/resolutions/${big.id}/approve`, {})).statusCode,
      422,
    );

    const approved = await call(t.app, otherLead, 'POST', `/api/v1/resolutions/${ownAsk.id}/approve`, {
      note: 'fine',
    });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'applied');
    assert.equal(approved.json().decidedById, otherLead.personId);

    await settle();
    const deliveries = await call(
      t.app,
      ws.owner,
      'GET',
      `/api/v1/webhooks/${hook.json().webhook.id}/deliveries`,
    );
    const types = (deliveries.json().items as Array<{ eventType: string }>).map((d) => d.eventType).sort();
    assert.deepEqual(types, [
      'resolution.applied',
      'resolution.rejected',
      'resolution.requested',
      'resolution.requested',
    ]);
    const ledger = await call(t.app, ws.owner, 'GET', `/api/v1/conversations/${c}/resolutions`);
    assert.deepEqual((ledger.json().items as Resolution[]).map((r) => [r.amount, r.status]).sort(), [
      [10, 'applied'],
      [200, 'rejected'],
    ]);
    const other = await t.workspace();
    const otherLeadThere = await other.person('lead');
    assert.equal(
      (await call(t.app, otherLeadThere, 'POST', `/api/v1/resolutions/${ownAsk.id}/reject`, { note: 'x' }))
        .statusCode,
      404,
    );
  });

  test('concurrent grants never spend more than the budget (one agent, and two agents on a workspace cap)', async () => {
    t.clock.set(START);
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const second = await ws.person('agent');
    const a = await actions(agent);
    const refund = a.refund!.id;
    const credit = a.credit!.id;
    await setLimits(ws, [
      agentRefund(refund, { perConversation: null, perDay: 100 }),
      agentRefund(credit, { perConversation: null, perDay: 100 }),
    ]);
    const cap = await call(t.app, ws.owner, 'PATCH', `/api/v1/resolution-actions/${credit}`, {
      workspacePerDay: 100,
    });
    assert.equal(cap.statusCode, 200, cap.body);
    const conversations = await Promise.all([1, 2, 3, 4].map(() => open(ws)));

    const ten = await Promise.all(
      Array.from({ length: 10 }, (_, i) => grant(agent, conversations[i % 4]!, refund, 20)),
    );
    assert.equal(ten.filter((r) => r.status === 'applied').length, 5, '5 × 20 = the day of 100');

    const both = await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => grant(agent, conversations[i]!, credit, 30)),
      ...Array.from({ length: 3 }, (_, i) => grant(second, conversations[i]!, credit, 30)),
    ]);
    assert.equal(both.filter((r) => r.status === 'applied').length, 3, '3 × 30 ≤ the workspace day of 100');
    assert.ok(
      both.filter((r) => r.status === 'pending').every((r) => r.exceeded.includes('workspace_per_day')),
    );
  });

  test('figures: resolved on the spot vs asked for approval, amounts granted per agent, repeat contacts after', async () => {
    t.clock.set('2026-04-06T09:00:00.000Z');
    const ws = await t.workspace();
    const agent = await ws.person('agent');
    const lead = await ws.person('lead');
    const a = await actions(agent);
    await setLimits(ws, [agentRefund(a.refund!.id), agentRefund(a.replacement!.id, { perAction: 1 })]);
    const spot = await open(ws, 'The parcel arrived broken');
    await grant(agent, spot, a.refund!.id, 25);
    await grant(agent, spot, a.replacement!.id, 1);
    const asked = await open(ws, 'You charged my card twice for the same order');
    const request = await grant(agent, asked, a.refund!.id, 120);
    await call(t.app, lead, 'POST', `/api/v1/resolutions/${request.id}/approve`, {});
    // The customer of the approval path writes again after a reply: a repeat contact after the grant.
    t.clock.set('2026-04-06T10:00:00.000Z');
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${asked}/messages`, {
      direction: 'outbound',
      body: 'Refunded.',
    });
    await call(t.app, ws.owner, 'POST', `/api/v1/conversations/${asked}/messages`, {
      direction: 'inbound',
      body: 'I do not see the refund on my statement yet',
    });
    await settle();

    const q = 'from=2026-04-01T00:00:00.000Z&to=2026-04-08T00:00:00.000Z';
    const res = await call(t.app, ws.owner, 'GET', `/api/v1/resolutions/figures?${q}&by=agent`);
    assert.equal(res.statusCode, 200, res.body);
    const f = res.json();
    assert.deepEqual(f.onTheSpot, {
      matters: 1,
      share: 0.5,
      csat: null,
      csatAnswers: 0,
      repeatContactRate: 0,
    });
    assert.deepEqual(f.approval, {
      matters: 1,
      share: 0.5,
      csat: null,
      csatAnswers: 0,
      repeatContactRate: 1,
    });
    assert.deepEqual(
      (
        f.amounts as Array<{ key: string; kind: string; amount: number; grants: number; onTheSpot: number }>
      ).map((x) => [x.key, x.kind, x.amount, x.grants, x.onTheSpot]),
      [
        [String(agent.personId), 'refund', 145, 2, 1],
        [String(agent.personId), 'replacement', 1, 1, 1],
      ],
    );
    assert.equal((await call(t.app, agent, 'GET', `/api/v1/resolutions/figures?${q}`)).statusCode, 403);
  });
});
