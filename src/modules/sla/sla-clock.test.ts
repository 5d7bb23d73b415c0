import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALWAYS_OPEN, type Calendar } from '../calendars/index.js';
import { choosePolicy } from './policy-match.js';
import {
  type ComputedClock,
  computeClocks,
  nextDeadline,
  type SlaFact,
  type SlaPolicyTimes,
} from './sla-clock.js';

/** Weekdays 09:00-17:00 UTC; Monday 9 March 2026 is a holiday. 2 March 2026 is a Monday. */
const office: Calendar = {
  timeZone: 'UTC',
  week: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: [{ date: '2026-03-09', name: 'Spring holiday' }],
};
const at = (s: string) => new Date(`2026-03-${s}Z`);
const policy = (p: Partial<SlaPolicyTimes>): SlaPolicyTimes => ({
  firstResponseMinutes: null,
  nextResponseMinutes: null,
  resolutionMinutes: null,
  pauseOnHold: true,
  warnPercent: 75,
  ...p,
});
const created = (t: string): SlaFact[] => [
  { kind: 'created', at: at(t), status: 'new' },
  { kind: 'inbound', at: at(t) },
];
const clock = (clocks: ComputedClock[], target: ComputedClock['target']) => {
  const c = clocks.find((x) => x.target === target);
  assert.ok(c, `no ${target} clock`);
  return c;
};
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('SLA clocks: worked examples', () => {
  test('business time skips the weekend and a holiday; calendar time does not', () => {
    // Friday 16:00, 4 business hours: 1 on Friday, none on the weekend or the holiday Monday, 3 on Tuesday.
    const history = created('06T16:00:00');
    const business = clock(
      computeClocks(policy({ firstResponseMinutes: 240 }), office, history),
      'first_response',
    );
    assert.equal(iso(business.dueAt), '2026-03-10T12:00:00.000Z');
    // 75 % = 180 minutes: Friday's hour and two on Tuesday.
    assert.equal(iso(business.warnAt), '2026-03-10T11:00:00.000Z');
    assert.equal(business.metAt, null);
    const calendar = clock(
      computeClocks(policy({ firstResponseMinutes: 240 }), ALWAYS_OPEN, history),
      'first_response',
    );
    assert.equal(iso(calendar.dueAt), '2026-03-06T20:00:00.000Z');
  });

  test('pending pauses the clock; the customer reply resumes it; the paused time shifts the due time', () => {
    const p = policy({ firstResponseMinutes: 120 });
    const pausedHistory: SlaFact[] = [
      ...created('02T09:00:00'),
      { kind: 'status', at: at('02T09:30:00'), to: 'pending' },
    ];
    const paused = clock(computeClocks(p, office, pausedHistory), 'first_response');
    assert.equal(paused.dueAt, null, 'no due time while paused');
    assert.equal(iso(paused.pausedAt), '2026-03-02T09:30:00.000Z');
    assert.equal(paused.remainingMinutes, 90);
    const resumed = clock(
      computeClocks(p, office, [
        ...pausedHistory,
        { kind: 'inbound', at: at('02T14:00:00') },
        { kind: 'status', at: at('02T14:00:00'), to: 'open' },
      ]),
      'first_response',
    );
    // 30 minutes used before the pause, 90 left from 14:00.
    assert.equal(iso(resumed.dueAt), '2026-03-02T15:30:00.000Z');
    assert.equal(resumed.pausedAt, null);
    assert.equal(resumed.pausedMinutes, 270);
  });

  test('on_hold pauses only when the policy says so', () => {
    const history: SlaFact[] = [
      ...created('02T09:00:00'),
      { kind: 'status', at: at('02T09:30:00'), to: 'on_hold' },
      { kind: 'status', at: at('02T14:00:00'), to: 'open' },
    ];
    const pausing = computeClocks(policy({ firstResponseMinutes: 120, pauseOnHold: true }), office, history);
    assert.equal(iso(clock(pausing, 'first_response').dueAt), '2026-03-02T15:30:00.000Z');
    const running = computeClocks(policy({ firstResponseMinutes: 120, pauseOnHold: false }), office, history);
    assert.equal(iso(clock(running, 'first_response').dueAt), '2026-03-02T11:00:00.000Z');
  });

  test('a reply meets the first response; met late is met after the due time', () => {
    const onTime = computeClocks(policy({ firstResponseMinutes: 60 }), office, [
      ...created('02T09:00:00'),
      { kind: 'outbound', at: at('02T09:40:00') },
    ]);
    const c = clock(onTime, 'first_response');
    assert.equal(iso(c.metAt), '2026-03-02T09:40:00.000Z');
    assert.equal(iso(c.dueAt), '2026-03-02T10:00:00.000Z');
    const late = clock(
      computeClocks(policy({ firstResponseMinutes: 60 }), office, [
        ...created('02T09:00:00'),
        { kind: 'outbound', at: at('02T10:30:00') },
      ]),
      'first_response',
    );
    assert.ok(late.metAt! > late.dueAt!, 'met after its due time');
    assert.deepEqual(nextDeadline(onTime), { dueAt: null, warnAt: null });
  });

  test('the next-response target restarts at each customer message after our reply', () => {
    const p = policy({ firstResponseMinutes: 60, nextResponseMinutes: 60 });
    const base: SlaFact[] = [
      ...created('02T09:00:00'),
      { kind: 'outbound', at: at('02T09:10:00') },
      { kind: 'inbound', at: at('02T10:00:00') },
      { kind: 'inbound', at: at('02T10:05:00') }, // a second message while waiting: same cycle
    ];
    const first = clock(computeClocks(p, office, base), 'next_response');
    assert.equal(iso(first.startedAt), '2026-03-02T10:00:00.000Z');
    assert.equal(iso(first.dueAt), '2026-03-02T11:00:00.000Z');
    const answered = [...base, { kind: 'outbound', at: at('02T10:30:00') } as SlaFact];
    assert.equal(
      iso(clock(computeClocks(p, office, answered), 'next_response').metAt),
      '2026-03-02T10:30:00.000Z',
    );
    const again = clock(
      computeClocks(p, office, [...answered, { kind: 'inbound', at: at('02T16:30:00') }]),
      'next_response',
    );
    assert.equal(iso(again.startedAt), '2026-03-02T16:30:00.000Z');
    assert.equal(again.metAt, null);
    // 30 minutes on Monday, 30 on Tuesday morning.
    assert.equal(iso(again.dueAt), '2026-03-03T09:30:00.000Z');
  });

  test('no next-response clock before our first reply, nor for messages before it', () => {
    const clocks = computeClocks(policy({ nextResponseMinutes: 60 }), office, [
      ...created('02T09:00:00'),
      { kind: 'inbound', at: at('02T09:05:00') },
    ]);
    assert.equal(clocks.length, 0);
  });

  test('resolution runs from creation to solved minus paused time; reopening takes the clock up again', () => {
    const p = policy({ resolutionMinutes: 480 });
    const solved: SlaFact[] = [
      ...created('02T09:00:00'),
      { kind: 'outbound', at: at('02T10:00:00') },
      { kind: 'status', at: at('02T10:00:00'), to: 'pending' },
      { kind: 'inbound', at: at('02T13:00:00') },
      { kind: 'status', at: at('02T13:00:00'), to: 'open' },
      { kind: 'status', at: at('02T15:00:00'), to: 'solved' },
    ];
    const met = clock(computeClocks(p, office, solved), 'resolution');
    assert.equal(iso(met.metAt), '2026-03-02T15:00:00.000Z');
    assert.equal(met.pausedMinutes, 180);
    assert.equal(met.remainingMinutes, 300, '1 h before the pause and 2 h after it were used');
    const reopened = clock(
      computeClocks(p, office, [...solved, { kind: 'status', at: at('03T10:00:00'), to: 'open' }]),
      'resolution',
    );
    assert.equal(reopened.metAt, null);
    // 300 minutes left, from Tuesday 10:00.
    assert.equal(iso(reopened.dueAt), '2026-03-03T15:00:00.000Z');
  });

  test('a target used up before a pause keeps its (past) due time: the breach is not undone by pausing', () => {
    const c = clock(
      computeClocks(policy({ firstResponseMinutes: 30 }), office, [
        ...created('02T09:00:00'),
        { kind: 'status', at: at('02T10:00:00'), to: 'pending' },
      ]),
      'first_response',
    );
    assert.equal(iso(c.dueAt), '2026-03-02T09:30:00.000Z');
    assert.equal(c.remainingMinutes, 0);
    assert.deepEqual(nextDeadline([c]), { dueAt: null, warnAt: null }, 'standing still: no next deadline');
  });

  test('a priority change picks another policy, and the deadlines are recomputed from the same history', () => {
    const policies = [
      { id: 1, conditions: { priorities: ['urgent' as const] }, firstResponseMinutes: 60 },
      { id: 2, conditions: { tiers: ['gold'] }, firstResponseMinutes: 120 },
      { id: 3, conditions: {}, firstResponseMinutes: 480 },
    ];
    const facts = {
      priority: 'normal' as const,
      channel: 'email' as const,
      teamId: null,
      tags: [],
      tier: null,
    };
    const normal = choosePolicy(policies, facts);
    assert.equal(normal?.id, 3);
    assert.equal(choosePolicy(policies, { ...facts, tier: 'Gold' })?.id, 2, 'tiers match case-insensitively');
    const urgent = choosePolicy(policies, { ...facts, priority: 'urgent', tier: 'gold' });
    assert.equal(urgent?.id, 1, 'first match wins');
    const history = created('02T09:00:00');
    const before = clock(
      computeClocks(policy({ firstResponseMinutes: normal!.firstResponseMinutes }), office, history),
      'first_response',
    );
    const after = clock(
      computeClocks(policy({ firstResponseMinutes: urgent!.firstResponseMinutes }), office, history),
      'first_response',
    );
    assert.equal(iso(before.dueAt), '2026-03-02T17:00:00.000Z');
    assert.equal(iso(after.dueAt), '2026-03-02T10:00:00.000Z');
  });

  test('conditions: any subset; empty is any; tags match any one of them; teams by id', () => {
    const facts = {
      priority: 'high' as const,
      channel: 'chat' as const,
      teamId: 7,
      tags: ['vip', 'billing'],
      tier: null,
    };
    const match = (conditions: object) => choosePolicy([{ id: 1, conditions }], facts)?.id === 1;
    assert.ok(match({}));
    assert.ok(match({ priorities: [], tags: [] }));
    assert.ok(match({ channels: ['chat', 'email'], teamIds: [7], tags: ['billing'] }));
    assert.ok(!match({ teamIds: [8] }));
    assert.ok(!match({ tags: ['refund'] }));
    assert.ok(!match({ tiers: ['gold'] }), 'a customer without a tier matches no tier condition');
  });
});
