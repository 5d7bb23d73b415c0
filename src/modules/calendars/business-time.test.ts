import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpen } from './business-time.js';
import { ALWAYS_OPEN, type Calendar, calendarProblems } from './calendar.js';

const nineToFive = [{ start: '09:00', end: '17:00' }];
/** Berlin office: weekdays 9-12 and 13-17 (a lunch break), Saturday 10-14, Sunday closed, holidays. */
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  week: {
    1: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    2: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    3: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    4: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    5: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ],
    6: [{ start: '10:00', end: '14:00' }],
  },
  holidays: [{ date: '2026-12-25', yearly: true }, { date: '2026-04-03' }],
};
/** A night desk open across midnight (22:00-24:00 and 00:00-06:00), New York time, every day. */
const nightDesk: Calendar = {
  timeZone: 'America/New_York',
  week: Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7].map((d) => [
      d,
      [
        { start: '00:00', end: '06:00' },
        { start: '22:00', end: '24:00' },
      ],
    ]),
  ),
  holidays: [],
};
const d = (iso: string) => new Date(iso);
const at = (cal: Calendar, iso: string, minutes: number) =>
  addBusinessMinutes(cal, d(iso), minutes).toISOString();

describe('business time: worked examples', () => {
  test('within a day, over the lunch break, and into the next day', () => {
    // Monday 2026-03-02, Berlin is UTC+1 in winter.
    assert.equal(at(berlin, '2026-03-02T08:00:00Z', 30), '2026-03-02T08:30:00.000Z'); // 09:00 local + 30
    assert.equal(at(berlin, '2026-03-02T10:30:00Z', 60), '2026-03-02T12:30:00.000Z'); // 11:30 + 30 | lunch | 13:00 + 30
    assert.equal(at(berlin, '2026-03-02T15:30:00Z', 60), '2026-03-03T08:30:00.000Z'); // 16:30 + 30 | next day 09:00 + 30
  });

  test('weekends: Saturday has short hours, Sunday none', () => {
    // Friday 2026-03-06 16:00 local (15:00Z) + 120 min: 60 on Friday, 60 on Saturday from 10:00.
    assert.equal(at(berlin, '2026-03-06T15:00:00Z', 120), '2026-03-07T10:00:00.000Z');
    // Saturday 13:00 local + 120: 60 on Saturday, Sunday closed, 60 on Monday from 09:00.
    assert.equal(at(berlin, '2026-03-07T12:00:00Z', 120), '2026-03-09T09:00:00.000Z');
  });

  test('holidays, dated and yearly, are closed days', () => {
    // Good Friday 2026-04-03 (dated) is closed: Thursday 16:30 + 60 -> Saturday 10:30 local (UTC+2 by then).
    assert.equal(at(berlin, '2026-04-02T14:30:00Z', 60), '2026-04-04T08:30:00.000Z');
    // 25 December recurs every year: 2027-12-25 is a Saturday, so Friday 24th 16:00 + 90 -> Monday 27th 09:30.
    assert.equal(at(berlin, '2027-12-24T15:00:00Z', 90), '2027-12-27T08:30:00.000Z');
    assert.equal(isOpen(berlin, d('2027-12-25T10:00:00Z')), false);
  });

  test('spring forward: the night the clocks jump, business minutes are still counted in real minutes', () => {
    // Europe/Berlin 2026-03-29 02:00 -> 03:00. Saturday 28th 13:30 local (12:30Z) + 60: 30 on Saturday,
    // Sunday closed, 30 on Monday 30th from 09:00 CEST (07:00Z).
    assert.equal(at(berlin, '2026-03-28T12:30:00Z', 60), '2026-03-30T07:30:00.000Z');
    // The night desk spans the jump in New York (2026-03-08 02:00 -> 03:00): 00:00-06:00 that night is 5 hours.
    assert.equal(
      businessMinutesBetween(nightDesk, d('2026-03-08T05:00:00Z'), d('2026-03-08T10:00:00Z')),
      300,
    );
  });

  test('fall back: the night that has 25 hours gives the night desk 7 real hours between 00:00 and 06:00', () => {
    // America/New_York 2026-11-01 02:00 -> 01:00.
    assert.equal(
      businessMinutesBetween(nightDesk, d('2026-11-01T04:00:00Z'), d('2026-11-01T12:00:00Z')),
      420,
    );
    assert.equal(at(nightDesk, '2026-11-01T04:00:00Z', 420), '2026-11-01T11:00:00.000Z');
  });

  test('intervals that end at midnight continue after midnight without a gap', () => {
    // 23:30 New York (EST, 04:30Z) + 60: 30 before midnight, 30 after.
    assert.equal(at(nightDesk, '2026-01-06T04:30:00Z', 60), '2026-01-06T05:30:00.000Z');
    assert.equal(isOpen(nightDesk, d('2026-01-06T05:00:00Z')), true); // 00:00 local
  });

  test('open, next open and the edges of an interval (open at start, closed at end)', () => {
    assert.equal(isOpen(berlin, d('2026-03-02T08:00:00Z')), true); // 09:00 local
    assert.equal(isOpen(berlin, d('2026-03-02T11:00:00Z')), false); // 12:00 local: lunch
    assert.equal(nextOpen(berlin, d('2026-03-02T11:00:00Z')).toISOString(), '2026-03-02T12:00:00.000Z');
    assert.equal(nextOpen(berlin, d('2026-03-08T12:00:00Z')).toISOString(), '2026-03-09T08:00:00.000Z'); // Sunday
    assert.equal(at(berlin, '2026-03-08T12:00:00Z', 0), '2026-03-09T08:00:00.000Z');
  });

  test('always open is plain calendar time', () => {
    assert.equal(at(ALWAYS_OPEN, '2026-03-08T12:00:00Z', 90), '2026-03-08T13:30:00.000Z');
    assert.equal(
      businessMinutesBetween(ALWAYS_OPEN, d('2026-03-08T12:00:00Z'), d('2026-03-09T12:00:00Z')),
      1440,
    );
  });

  test('bad calendars are described, not accepted', () => {
    const problems = calendarProblems({
      timeZone: 'Mars/Olympus',
      week: {
        1: [
          { start: '17:00', end: '09:00' },
          { start: '08:00', end: '25:00' },
        ],
      },
      holidays: [{ date: '2026-13-40' }],
    });
    assert.equal(problems.length, 4, problems.join('; '));
    for (const fragment of [
      'unknown time zone',
      'ends before it starts',
      'is not HH:MM',
      'is not YYYY-MM-DD',
    ]) {
      assert.ok(
        problems.some((p) => p.includes(fragment)),
        fragment,
      );
    }
    assert.match(calendarProblems({ timeZone: 'UTC', week: {}, holidays: [] })[0] ?? '', /never open/);
    assert.deepEqual(calendarProblems(berlin), []);
    assert.throws(() => addBusinessMinutes(berlin, d('2026-03-02T08:00:00Z'), -1), RangeError);
  });
});

describe('business time: properties', () => {
  const calendars = [
    berlin,
    nightDesk,
    { timeZone: 'Australia/Sydney', week: { 1: nineToFive, 3: nineToFive, 5: nineToFive }, holidays: [] },
  ];
  const instant = fc.date({
    min: d('2025-01-01T00:00:00Z'),
    max: d('2028-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const minutes = fc.integer({ min: 0, max: 20_000 });
  const calendar = fc.constantFrom(...calendars);

  test('adding N business minutes and measuring back gives N', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, t, n) => {
        const end = addBusinessMinutes(cal, t, n);
        return Math.abs(businessMinutesBetween(cal, t, end) - n) < 1e-9;
      }),
      { numRuns: 300 },
    );
  });

  test('a result is never inside closed time: it is open, or exactly the end of open time', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 20_000 }), (cal, t, n) => {
        const end = addBusinessMinutes(cal, t, n);
        return isOpen(cal, end) || isOpen(cal, new Date(end.getTime() - 1));
      }),
      { numRuns: 300 },
    );
  });

  test('monotonic in t and in N', () => {
    fc.assert(
      fc.property(calendar, instant, instant, minutes, (cal, a, b, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        return (
          addBusinessMinutes(cal, early, n) <= addBusinessMinutes(cal, late, n) &&
          addBusinessMinutes(cal, early, n) <= addBusinessMinutes(cal, early, n + 1)
        );
      }),
      { numRuns: 300 },
    );
  });

  test('next open is open, and nothing between t and it is', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, t) => {
        const next = nextOpen(cal, t);
        return isOpen(cal, next) && businessMinutesBetween(cal, t, next) === 0;
      }),
      { numRuns: 300 },
    );
  });
});
