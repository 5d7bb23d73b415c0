import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultEmail, effectivePreferences, emailModeFor, nextDigestAt } from './preferences.js';

describe('notification preferences', () => {
  test('defaults: assignments and mentions in the app only; urgent kinds by mail at once; daily digest at 8', () => {
    const prefs = effectivePreferences(undefined, 'Europe/Berlin');
    assert.equal(prefs.email.assigned, 'off');
    assert.equal(prefs.email.mention, 'off');
    assert.equal(prefs.email.approval_requested, 'immediate');
    assert.deepEqual(prefs.digest, { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' });
    assert.equal(effectivePreferences(undefined, undefined).digest.timeZone, 'UTC');
    assert.equal(effectivePreferences(undefined, 'Mars/Olympus').digest.timeZone, 'UTC');
  });

  test('stored choices override the defaults kind by kind; unknown kinds are never e-mailed', () => {
    const prefs = effectivePreferences(
      {
        email: { mention: 'digest', bogus: 'immediate' },
        digestFrequency: 'hourly',
        digestHour: 17,
        timeZone: 'Asia/Kolkata',
      },
      'Europe/Berlin',
    );
    assert.equal(prefs.email.mention, 'digest');
    assert.equal(prefs.email.escalation, defaultEmail.escalation);
    assert.equal(emailModeFor(prefs, 'bogus'), 'off');
    assert.equal(emailModeFor(prefs, 'other'), 'off');
    assert.deepEqual(prefs.digest, { frequency: 'hourly', hour: 17, timeZone: 'Asia/Kolkata' });
  });

  test('the next digest: the next full local hour, or the next daily hour in the person’s zone', () => {
    const at = (iso: string, digest: Parameters<typeof nextDigestAt>[1]) =>
      nextDigestAt(new Date(iso), digest).toISOString();
    assert.equal(
      at('2026-03-02T09:15:00Z', { frequency: 'hourly', hour: 8, timeZone: 'UTC' }),
      '2026-03-02T10:00:00.000Z',
    );
    // India is UTC+5:30: its full hours are at :30 UTC
    assert.equal(
      at('2026-03-02T09:15:00Z', { frequency: 'hourly', hour: 8, timeZone: 'Asia/Kolkata' }),
      '2026-03-02T09:30:00.000Z',
    );
    // 09:15 UTC is 10:15 in Berlin: 08:00 has passed, so tomorrow 08:00 Berlin = 07:00 UTC
    assert.equal(
      at('2026-03-02T09:15:00Z', { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' }),
      '2026-03-03T07:00:00.000Z',
    );
    assert.equal(
      at('2026-03-02T05:00:00Z', { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' }),
      '2026-03-02T07:00:00.000Z',
    );
    // exactly at the hour: the next one, never now
    assert.equal(
      at('2026-03-02T07:00:00Z', { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' }),
      '2026-03-03T07:00:00.000Z',
    );
    // across the change to summer time (Berlin, 29 March 2026): 08:00 local is 06:00 UTC afterwards
    assert.equal(
      at('2026-03-28T12:00:00Z', { frequency: 'daily', hour: 8, timeZone: 'Europe/Berlin' }),
      '2026-03-29T06:00:00.000Z',
    );
  });
});
