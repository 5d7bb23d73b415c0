import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DemoOptions, planDemo } from './generator.js';
import { waitingChasers } from './phrases.js';
import { DAY, HOUR } from './rhythm.js';
import type { ConversationBatch, CustomerBatch } from './rows.js';

const NOW = new Date('2026-11-20T15:30:00Z');
const options: DemoOptions = { seed: 42, conversations: 4_000, now: NOW, workspaceId: 7 };

function collect<T extends object>(batches: Iterable<T>): { [K in keyof T]: T[K] } {
  const all = {} as Record<string, unknown[]>;
  for (const batch of batches) {
    for (const [key, rows] of Object.entries(batch)) {
      const list = all[key] ?? [];
      for (const row of rows as unknown[]) list.push(row);
      all[key] = list;
    }
  }
  return all as { [K in keyof T]: T[K] };
}

const plan = planDemo(options);
const data: ConversationBatch = collect(plan.conversationBatches(500));
const customers: CustomerBatch = collect(plan.customerBatches(700));
const truthOf = new Map(data.truths.map((t) => [t.conversationId, t]));

describe('demo generator: determinism', () => {
  test('the same seed gives identical rows; another seed different ones', () => {
    const again = planDemo(options);
    const first = collect(again.conversationBatches(500));
    assert.deepEqual(again.staff, plan.staff);
    assert.deepEqual(first.conversations.slice(0, 300), data.conversations.slice(0, 300));
    assert.deepEqual(first.messages.slice(0, 1000), data.messages.slice(0, 1000));
    assert.deepEqual(first.events.slice(0, 1000), data.events.slice(0, 1000));
    assert.deepEqual(first.truths, data.truths);
    assert.deepEqual(
      collect(again.customerBatches(300)).customers.slice(0, 500),
      customers.customers.slice(0, 500),
    );

    const other = collect(planDemo({ ...options, seed: 43 }).conversationBatches(500));
    const signature = (b: ConversationBatch) =>
      b.conversations.slice(0, 50).map((c) => `${c.createdAt.toISOString()} ${c.subject}`);
    assert.notDeepEqual(signature(other), signature(data));
  });

  test('ids start above the given bases and are consecutive', () => {
    const shifted = planDemo({
      ...options,
      conversations: 50,
      ids: { conversation: 1000, message: 5000, customer: 70 },
    });
    const batch = collect(shifted.conversationBatches());
    assert.deepEqual(
      batch.conversations.map((c) => c.id),
      Array.from({ length: 50 }, (_, i) => 1001 + i),
    );
    assert.equal(batch.messages[0]?.id, 5001);
    assert.ok(batch.conversations.every((c) => c.customerId > 70));
  });
});

describe('demo generator: volume and rhythm', () => {
  test('exactly the requested number of conversations, each with its ground truth, over the last 90 days', () => {
    assert.equal(data.conversations.length, options.conversations);
    assert.equal(data.truths.length, options.conversations);
    for (const c of data.conversations) {
      assert.ok(c.createdAt.getTime() >= NOW.getTime() - 90 * DAY - HOUR && c.createdAt <= NOW);
      assert.ok(truthOf.has(c.id));
    }
  });

  test('more conversations on weekdays in the daytime than at night or at the weekend', () => {
    const perHour = { day: 0, night: 0 };
    const perDay = { weekday: 0, weekend: 0 };
    for (const c of data.conversations) {
      const h = c.createdAt.getUTCHours();
      const d = c.createdAt.getUTCDay();
      if (d === 0 || d === 6) perDay.weekend++;
      else perDay.weekday++;
      if (d >= 1 && d <= 5 && h >= 9 && h < 17) perHour.day++;
      if (h < 6) perHour.night++;
    }
    // Per hour of the week: 40 weekday daytime hours against 42 night hours.
    assert.ok(perHour.day / 40 > 5 * (perHour.night / 42), JSON.stringify(perHour));
    // Per day: 5 weekdays against 2 weekend days.
    assert.ok(perDay.weekday / 5 > 1.8 * (perDay.weekend / 2), JSON.stringify(perDay));
  });

  test('channels, reasons and statuses are mixed; older conversations are mostly solved or closed', () => {
    const channels = new Set(data.conversations.map((c) => c.channel));
    for (const ch of ['email', 'chat', 'webform', 'phone', 'sms', 'whatsapp'])
      assert.ok(channels.has(ch as never), ch);
    assert.ok(new Set(data.truths.map((t) => t.reasonKey)).size > 60);
    const old = data.conversations.filter((c) => c.createdAt.getTime() < NOW.getTime() - 20 * DAY);
    const done = old.filter((c) => c.status === 'solved' || c.status === 'closed').length;
    assert.ok(done / old.length > 0.95, `${done}/${old.length}`);
    const recent = data.conversations.filter((c) => c.createdAt.getTime() > NOW.getTime() - 2 * DAY);
    const statuses = new Set(recent.map((c) => c.status));
    for (const s of ['new', 'open', 'pending', 'solved']) assert.ok(statuses.has(s as never), `recent ${s}`);
  });

  test('customers kept waiting write again, upset, before anyone answers; the waiting queue shows it', () => {
    const chaserTexts = new Set(waitingChasers.flat());
    const chasers = data.messages.filter((m) => m.direction === 'inbound' && chaserTexts.has(m.bodyText));
    assert.ok(chasers.length > data.conversations.length * 0.05, `${chasers.length} chasers`);
    const byId = new Map(data.conversations.map((c) => [c.id, c]));
    const assignedAt = new Map<number, number>();
    for (const e of data.events)
      if (e.type === 'conversation.assigned' && !assignedAt.has(e.entityId))
        assignedAt.set(e.entityId, e.createdAt.getTime());
    for (const m of chasers) {
      const c = byId.get(m.conversationId)!;
      // Only while nobody has answered: before the pick-up and the first reply.
      assert.ok(m.createdAt.getTime() < (assignedAt.get(c.id) ?? Number.POSITIVE_INFINITY), `#${c.id}`);
      assert.ok(c.firstResponseAt === null || m.createdAt < c.firstResponseAt, `#${c.id}`);
      // Never in a phone call, and a chat chases once, mildly.
      assert.notEqual(c.channel, 'phone');
      if (c.channel === 'chat') assert.ok(waitingChasers[0]?.includes(m.bodyText), m.bodyText);
      // Each one shows distress, so its conversation does.
      assert.ok(c.distressLevel > 0, `#${c.id} ${m.bodyText}`);
    }
    // Of those answered a day or more after they wrote, about half had chased (55 % each round).
    const late = data.conversations.filter(
      (c) => c.firstResponseAt !== null && c.firstResponseAt.getTime() - c.createdAt.getTime() > DAY,
    );
    const chased = new Set(chasers.map((m) => m.conversationId));
    const share = late.filter((c) => chased.has(c.id)).length / late.length;
    assert.ok(late.length > 50 && share > 0.4 && share < 0.7, `${share} of ${late.length}`);
  });
});

describe('demo generator: matters', () => {
  test('repeat contacts share the matter key, customer and reason, and come later', () => {
    const matters = new Map<string, { customerId: number; reasonKey: string; createdAt: Date }[]>();
    for (const c of data.conversations) {
      const truth = truthOf.get(c.id);
      assert.ok(truth);
      const list = matters.get(truth.matterKey) ?? [];
      list.push({ customerId: c.customerId, reasonKey: truth.reasonKey, createdAt: c.createdAt });
      matters.set(truth.matterKey, list);
    }
    const repeated = [...matters.values()].filter((l) => l.length > 1);
    assert.ok(repeated.length / matters.size > 0.1, `${repeated.length} of ${matters.size} matters repeat`);
    assert.ok(repeated.length / matters.size < 0.4);
    for (const list of repeated) {
      const [first, ...rest] = list;
      for (const next of rest) {
        assert.equal(next.customerId, first?.customerId);
        assert.equal(next.reasonKey, first?.reasonKey);
        assert.ok(next.createdAt > (first as { createdAt: Date }).createdAt);
      }
    }
  });

  test('a linked follow-up points back to an earlier conversation of the same matter', () => {
    const byId = new Map(data.conversations.map((c) => [c.id, c]));
    const linked = data.conversations.filter((c) => c.previousConversationId !== null);
    assert.ok(linked.length > 0);
    for (const c of linked) {
      const previous = byId.get(c.previousConversationId as number);
      assert.ok(previous && previous.createdAt < c.createdAt);
      assert.equal(truthOf.get(previous.id)?.matterKey, truthOf.get(c.id)?.matterKey);
    }
  });
});
