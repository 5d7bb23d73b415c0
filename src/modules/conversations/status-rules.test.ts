import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ConversationStatus, conversationStatuses } from '../../db/schema/conversations.js';
import {
  type ConversationEvent,
  checkTransition,
  type Decision,
  decide,
  initialFacts,
  type StatusFacts,
} from './status-rules.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const AT = new Date('2026-03-02T12:00:00Z');

/** Facts of a conversation in `status` that the customer opened and we already answered once. */
const factsIn = (status: ConversationStatus): StatusFacts => ({
  status,
  firstInboundAt: T0,
  firstResponseAt: T0,
  lastInboundAt: T0,
  lastOutboundAt: T0,
  solvedAt: status === 'solved' || status === 'closed' ? T0 : null,
  closedAt: status === 'closed' ? T0 : null,
  reopenedCount: 2,
});

const columns = [
  'inbound',
  'note',
  'reply',
  ...conversationStatuses.map((s) => `reply+${s}`),
  ...conversationStatuses.map((s) => `set:${s}`),
] as const;

function eventOf(column: string): ConversationEvent {
  if (column === 'inbound') return { kind: 'inbound', at: AT };
  if (column === 'note') return { kind: 'note', at: AT };
  if (column === 'reply') return { kind: 'outbound', at: AT };
  if (column.startsWith('reply+'))
    return { kind: 'outbound', at: AT, setStatus: column.slice(6) as ConversationStatus };
  return { kind: 'set_status', to: column.slice(4) as ConversationStatus, at: AT };
}

/**
 * The expected outcome of every (status, event): `status` = unchanged; `status:kind` = moved, recorded as
 * `conversation.<kind>`; `!INVALID` / `!CLOSED` = refused; `NEW` = a new linked conversation starts.
 * Columns: inbound, note, reply, reply+{new,open,pending,on_hold,solved,closed}, set:{same six}.
 */
const expected: Record<ConversationStatus, string[]> = {
  // biome-ignore format: a table reads best as a table
  new: ['new', 'new', 'open:status_changed',
    '!INVALID', 'open:status_changed', 'pending:status_changed', 'on_hold:status_changed', 'solved:solved', '!INVALID',
    'new', 'open:status_changed', 'pending:status_changed', 'on_hold:status_changed', 'solved:solved', '!INVALID'],
  // biome-ignore format: a table reads best as a table
  open: ['open', 'open', 'open',
    '!INVALID', 'open', 'pending:status_changed', 'on_hold:status_changed', 'solved:solved', '!INVALID',
    '!INVALID', 'open', 'pending:status_changed', 'on_hold:status_changed', 'solved:solved', '!INVALID'],
  // biome-ignore format: a table reads best as a table
  pending: ['open:status_changed', 'pending', 'pending',
    '!INVALID', 'open:status_changed', 'pending', 'on_hold:status_changed', 'solved:solved', '!INVALID',
    '!INVALID', 'open:status_changed', 'pending', 'on_hold:status_changed', 'solved:solved', '!INVALID'],
  // biome-ignore format: a table reads best as a table
  on_hold: ['open:status_changed', 'on_hold', 'on_hold',
    '!INVALID', 'open:status_changed', 'pending:status_changed', 'on_hold', 'solved:solved', '!INVALID',
    '!INVALID', 'open:status_changed', 'pending:status_changed', 'on_hold', 'solved:solved', '!INVALID'],
  // biome-ignore format: a table reads best as a table
  solved: ['open:reopened', 'solved', 'solved',
    '!INVALID', 'open:reopened', 'pending:reopened', 'on_hold:reopened', 'solved', 'closed:closed',
    '!INVALID', 'open:reopened', 'pending:reopened', 'on_hold:reopened', 'solved', 'closed:closed'],
  // biome-ignore format: a table reads best as a table
  closed: ['NEW', '!CLOSED', '!CLOSED',
    '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED',
    '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED', '!CLOSED'],
};

function summarize(d: Decision): string {
  if (d.kind === 'start_new') return 'NEW';
  if (d.kind === 'refuse') return d.code === 'CONVERSATION_CLOSED' ? '!CLOSED' : '!INVALID';
  return d.change ? `${d.change.to}:${d.change.kind}` : d.facts.status;
}

describe('status rules', () => {
  test('the table has a row per status and a column per event', () => {
    assert.deepEqual(Object.keys(expected).sort(), [...conversationStatuses].sort());
    for (const row of Object.values(expected)) assert.equal(row.length, columns.length);
  });

  for (const from of conversationStatuses) {
    test(`every event on a ${from} conversation`, () => {
      columns.forEach((column, i) => {
        const decision = decide(factsIn(from), eventOf(column));
        assert.equal(summarize(decision), expected[from][i], `${from} x ${column}`);
        if (decision.kind === 'apply' && decision.change === null)
          assert.equal(decision.facts.status, from, `${from} x ${column} keeps the status`);
      });
    });
  }

  test('manual transitions agree with the table', () => {
    for (const from of conversationStatuses)
      for (const to of conversationStatuses) {
        const verdict = checkTransition(from, to);
        const cell = expected[from][columns.indexOf(`set:${to}`)];
        const want =
          cell === '!CLOSED'
            ? 'CONVERSATION_CLOSED'
            : cell === '!INVALID'
              ? 'INVALID_STATUS_TRANSITION'
              : from === to
                ? 'same'
                : 'allowed';
        assert.equal(verdict, want, `${from} -> ${to}`);
      }
  });

  test('timestamps: inbound stamps first/last inbound; solved -> open counts a reopen and clears solved_at', () => {
    const fresh = { ...factsIn('new'), firstInboundAt: null, lastInboundAt: null };
    const d = decide(fresh, { kind: 'inbound', at: AT });
    assert.ok(d.kind === 'apply');
    assert.deepEqual([d.facts.firstInboundAt, d.facts.lastInboundAt], [AT, AT]);
    const again = decide(factsIn('pending'), { kind: 'inbound', at: AT });
    assert.ok(again.kind === 'apply');
    assert.deepEqual([again.facts.firstInboundAt, again.facts.lastInboundAt], [T0, AT]);
    const reopened = decide(factsIn('solved'), { kind: 'inbound', at: AT });
    assert.ok(reopened.kind === 'apply');
    assert.equal(reopened.facts.reopenedCount, 3);
    assert.equal(reopened.facts.solvedAt, null);
    const manual = decide(factsIn('solved'), { kind: 'set_status', to: 'pending', at: AT });
    assert.ok(manual.kind === 'apply');
    assert.equal(manual.facts.reopenedCount, 3);
  });

  test('timestamps: the first reply sets first_response_at once; a reply without an inbound is no response', () => {
    const unanswered = { ...factsIn('new'), firstResponseAt: null, lastOutboundAt: null };
    const first = decide(unanswered, { kind: 'outbound', at: AT });
    assert.ok(first.kind === 'apply');
    assert.deepEqual([first.facts.firstResponseAt, first.facts.lastOutboundAt], [AT, AT]);
    const later = new Date(AT.getTime() + 60_000);
    const second = decide(first.facts, { kind: 'outbound', at: later });
    assert.ok(second.kind === 'apply');
    assert.deepEqual([second.facts.firstResponseAt, second.facts.lastOutboundAt], [AT, later]);
    const proactive = decide(initialFacts('outbound', T0), { kind: 'outbound', at: AT });
    assert.ok(proactive.kind === 'apply');
    assert.equal(proactive.facts.firstResponseAt, null);
  });

  test('timestamps: solve sets solved_at, close sets closed_at and keeps solved_at; notes change nothing', () => {
    const solved = decide(factsIn('open'), { kind: 'set_status', to: 'solved', at: AT });
    assert.ok(solved.kind === 'apply');
    assert.equal(solved.facts.solvedAt, AT);
    const closed = decide(factsIn('solved'), { kind: 'set_status', to: 'closed', at: AT });
    assert.ok(closed.kind === 'apply');
    assert.deepEqual([closed.facts.solvedAt, closed.facts.closedAt], [T0, AT]);
    for (const s of conversationStatuses.filter((x) => x !== 'closed')) {
      const note = decide(factsIn(s), { kind: 'note', at: AT });
      assert.deepEqual(note, { kind: 'apply', facts: factsIn(s), change: null });
    }
  });

  test('initial facts: started by the customer it is new, started by us it is pending', () => {
    assert.deepEqual(initialFacts('inbound', AT), {
      status: 'new',
      firstInboundAt: AT,
      firstResponseAt: null,
      lastInboundAt: AT,
      lastOutboundAt: null,
      solvedAt: null,
      closedAt: null,
      reopenedCount: 0,
    });
    assert.equal(initialFacts('outbound', AT).status, 'pending');
    assert.equal(initialFacts('outbound', AT).lastOutboundAt, AT);
  });
});
