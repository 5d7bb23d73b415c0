import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALWAYS_OPEN, type Calendar } from '../calendars/index.js';
import { closeOfBusinessDays, parseDuePhrase } from './due-phrase.js';
import { findPromises } from './promise-patterns.js';

/** Berlin office, Monday to Friday 9-17, with Good Friday 2026 (3 April) off. */
const office: Calendar = {
  timeZone: 'Europe/Berlin',
  week: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: [{ date: '2026-04-03', name: 'Good Friday' }],
};
// Tuesday 31 March 2026, 10:00 in Berlin (CEST, UTC+2).
const now = new Date('2026-03-31T08:00:00Z');
const parse = (p: string, cal = office) => parseDuePhrase(p, now, cal)?.toISOString() ?? null;

describe('due phrases', () => {
  test('business days skip weekends and holidays and end at the close of business', () => {
    // Wed 1, Thu 2, (Fri 3 holiday, weekend), Mon 6, Tue 7 → the fifth is Wed 8 April, 17:00 Berlin.
    assert.equal(parse('in 5 business days'), '2026-04-08T15:00:00.000Z');
    assert.equal(parse('within 5 working days'), '2026-04-08T15:00:00.000Z');
    assert.equal(parse('in one business day'), '2026-04-01T15:00:00.000Z');
    assert.equal(parse('in 2 business days'), '2026-04-02T15:00:00.000Z');
    assert.equal(parse('in 3 business days'), '2026-04-06T15:00:00.000Z');
    assert.equal(closeOfBusinessDays(office, now, 0)?.toISOString(), '2026-03-31T15:00:00.000Z');
  });

  test('business hours count open time only', () => {
    // 7 hours left today (10-17), then 1 more on Wednesday from 9.
    assert.equal(parse('in 8 business hours'), '2026-04-01T08:00:00.000Z');
  });

  test('calendar time, tomorrow, weekdays, end of day', () => {
    assert.equal(parse('in 3 hours'), '2026-03-31T11:00:00.000Z');
    assert.equal(parse('in 2 days'), '2026-04-02T08:00:00.000Z');
    assert.equal(parse('tomorrow at 10'), '2026-04-01T08:00:00.000Z');
    assert.equal(parse('Tomorrow at 3pm'), '2026-04-01T13:00:00.000Z');
    assert.equal(parse('tomorrow'), '2026-04-01T15:00:00.000Z');
    assert.equal(parse('by Friday'), '2026-04-03T21:59:00.000Z', 'a closed day: its end');
    assert.equal(parse('by Thursday'), '2026-04-02T15:00:00.000Z');
    assert.equal(
      parse('on tuesday at 9:30'),
      '2026-04-07T07:30:00.000Z',
      "today's 9:30 has passed: next week's",
    );
    assert.equal(parse('on tuesday at 11'), '2026-03-31T09:00:00.000Z');
    assert.equal(parse('end of day'), '2026-03-31T15:00:00.000Z');
    assert.equal(parse('2026-04-10'), '2026-04-10T15:00:00.000Z');
    assert.equal(parse('2026-04-10T12:00:00+02:00'), '2026-04-10T10:00:00.000Z');
  });

  test('across the change to summer time the wall clock is kept', () => {
    const saturday = new Date('2026-03-28T09:00:00Z'); // 10:00 CET
    assert.equal(
      parseDuePhrase('tomorrow at 10', saturday, office)?.toISOString(),
      '2026-03-29T08:00:00.000Z',
    );
  });

  test('an always-open calendar: every day is a business day, ending at midnight UTC', () => {
    assert.equal(parse('in 2 business days', ALWAYS_OPEN), '2026-04-03T00:00:00.000Z');
  });

  test('what is not understood is null, never a guess', () => {
    for (const p of [
      '',
      'soon',
      'in many days',
      'tomorrow at 25',
      'on Funday',
      'in 5000 days',
      '2026-04-10T12:00',
      'x'.repeat(200),
    ])
      assert.equal(parse(p), null, p);
  });
});

describe('promises in replies', () => {
  test('commitments and their due phrases are found; quoted text and small talk are not', () => {
    const found = findPromises(
      'Hi Ann,\nThanks for waiting. We will refund the second charge within 5 business days. ' +
        "I'll call you back tomorrow at 10 to confirm!\nI will be out of office next week.\n> I'll sue you by Friday.",
    );
    assert.deepEqual(found, [
      { text: 'We will refund the second charge within 5 business days.', duePhrase: 'in 5 business days' },
      { text: "I'll call you back tomorrow at 10 to confirm!", duePhrase: 'tomorrow at 10' },
    ]);
    assert.deepEqual(findPromises('Thanks, have a nice day.'), []);
    assert.deepEqual(findPromises('Your parcel left our warehouse.'), []);
    assert.deepEqual(findPromises("We'll get back to you by Friday."), [
      { text: "We'll get back to you by Friday.", duePhrase: 'friday' },
    ]);
  });
});
