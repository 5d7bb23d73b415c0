import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DemoOptions, planDemo } from './generator.js';
import type { ConversationBatch, ConversationRow, EventRow, MessageRow } from './rows.js';
import { preview } from './timeline.js';

const NOW = new Date('2026-11-20T15:30:00Z');
const options: DemoOptions = { seed: 7, conversations: 3_000, now: NOW, workspaceId: 3 };

const batches: ConversationBatch[] = [...planDemo(options).conversationBatches(400)];
const group = <T extends { conversationId?: number; entityId?: number }>(
  rows: T[],
  key: (r: T) => number,
) => {
  const map = new Map<number, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
};
const conversations: ConversationRow[] = batches.flatMap((b) => b.conversations);
const messages = group<MessageRow>(
  batches.flatMap((b) => b.messages),
  (m) => m.conversationId,
);
const events = group<EventRow>(
  batches.flatMap((b) => b.events),
  (e) => e.entityId,
);
const time = (d: Date | null | undefined) => d?.getTime() ?? null;

describe('demo conversations: timelines', () => {
  test('messages are in time order, start with the customer, and every reply comes after what it answers', () => {
    let replies = 0;
    for (const c of conversations) {
      const list = messages.get(c.id) ?? [];
      assert.equal(list[0]?.direction, 'inbound');
      assert.equal(time(list[0]?.createdAt), time(c.createdAt));
      for (let i = 1; i < list.length; i++) {
        const previous = list[i - 1] as MessageRow;
        const current = list[i] as MessageRow;
        assert.ok(current.id > previous.id);
        assert.ok(current.createdAt >= previous.createdAt, `conversation ${c.id} message ${current.id}`);
        if (current.direction === 'outbound' && previous.direction === 'inbound') {
          assert.ok(current.createdAt > previous.createdAt, 'a reply takes time');
          replies++;
        }
      }
    }
    assert.ok(replies > conversations.length / 2);
  });

  test("the conversation's timestamps and counters agree with its messages", () => {
    for (const c of conversations) {
      const list = messages.get(c.id) ?? [];
      const of = (direction: MessageRow['direction']) => list.filter((m) => m.direction === direction);
      const inbound = of('inbound');
      const outbound = of('outbound');
      assert.equal(c.messageCount, list.length);
      assert.equal(time(c.firstInboundAt), time(inbound[0]?.createdAt));
      assert.equal(time(c.lastInboundAt), time(inbound.at(-1)?.createdAt));
      assert.equal(time(c.firstResponseAt), time(outbound[0]?.createdAt));
      assert.equal(time(c.lastOutboundAt), time(outbound.at(-1)?.createdAt));
      if (c.firstResponseAt) assert.ok(c.firstResponseAt > (c.firstInboundAt as Date));
      const lastVisible = list.filter((m) => m.direction !== 'note').at(-1);
      assert.equal(c.lastMessagePreview, preview(lastVisible?.bodyText ?? ''));
      assert.ok(c.updatedAt >= (list.at(-1)?.createdAt as Date) && c.updatedAt <= NOW);
      assert.equal(
        c.solvedAt !== null,
        c.status === 'solved' || c.status === 'closed',
        `${c.id} ${c.status}`,
      );
      assert.equal(c.closedAt !== null, c.status === 'closed');
      if (c.closedAt) assert.ok(c.closedAt > (c.solvedAt as Date));
      if (c.status !== 'new') assert.ok(c.assigneeId !== null);
      for (const m of list) assert.ok(m.createdAt <= NOW);
    }
  });

  test('events record creation, every status change as before/after, and every message', () => {
    let reopened = 0;
    for (const c of conversations) {
      const list = events.get(c.id) ?? [];
      assert.equal(list.filter((e) => e.type === 'conversation.created').length, 1);
      assert.equal(list[0]?.type, 'conversation.created');
      assert.equal(
        list.filter((e) => e.type.startsWith('message.') || e.type === 'note.added').length,
        c.messageCount,
      );
      let status = 'new';
      for (const e of list) {
        if (
          e.type === 'conversation.created' ||
          !('before' in e.data) ||
          !('status' in (e.data.before as object))
        )
          continue;
        const data = e.data as { before: { status: string }; after: { status: string } };
        assert.equal(data.before.status, status, `conversation ${c.id} event ${e.id}`);
        status = data.after.status;
        if (e.type === 'conversation.reopened') reopened++;
      }
      assert.equal(status, c.status);
      const reopens = list.filter((e) => e.type === 'conversation.reopened').length;
      assert.equal(reopens, c.reopenedCount);
      for (let i = 1; i < list.length; i++)
        assert.ok((list[i] as EventRow).createdAt >= (list[i - 1] as EventRow).createdAt);
    }
    assert.ok(reopened > 0, 'some conversations were reopened');
  });

  test('a conversation still solved at `now` has its auto-close job queued', () => {
    const jobs = batches.flatMap((b) => b.jobs);
    const solved = conversations.filter((c) => c.status === 'solved');
    assert.equal(jobs.length, solved.length);
    for (const job of jobs) {
      const c = solved.find((x) => x.id === job.payload.conversationId);
      assert.ok(c?.solvedAt);
      assert.equal(job.payload.solvedAt, c.solvedAt.toISOString());
      assert.ok(job.runAt > NOW);
    }
  });
});
