import { DateTime, IANAZone } from 'luxon';
import type { DigestFrequency, EmailMode } from '../../db/schema/notifications.js';
import { type NotificationKind, notificationKinds } from './recipients.js';

/**
 * A person's notification choices. In the app everything is always shown; e-mail is per kind: `off`,
 * `immediate` (one mail per notification) or `digest` (one mail per period listing what is still unread).
 * Pure: the stored row, the workspace's zone and the time are parameters.
 */
export type DigestSettings = { frequency: DigestFrequency; hour: number; timeZone: string };
export type Preferences = { email: Record<NotificationKind, EmailMode>; digest: DigestSettings };
export type StoredPreferences = {
  email: Record<string, EmailMode>;
  digestFrequency: DigestFrequency;
  digestHour: number;
  timeZone: string | null;
};

/**
 * Day-to-day work (an assignment, a mention) is seen in the app; what is urgent or waits on this person
 * alone (a missed or near deadline excepted, which the app shows) comes by mail at once.
 */
export const defaultEmail: Record<NotificationKind, EmailMode> = {
  assigned: 'off',
  mention: 'off',
  sla_breached: 'immediate',
  sla_warning: 'off',
  promise_due: 'immediate',
  escalation: 'immediate',
  approval_requested: 'immediate',
  approval_decided: 'immediate',
  webhook_paused: 'immediate',
  survey_not_fixed: 'immediate',
};
export const DEFAULT_DIGEST_HOUR = 8;

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

export function effectivePreferences(
  stored: StoredPreferences | undefined,
  workspaceTimeZone: string | undefined,
): Preferences {
  const email = { ...defaultEmail };
  for (const kind of notificationKinds) {
    const mode = stored?.email[kind];
    if (mode) email[kind] = mode;
  }
  const fallbackZone = workspaceTimeZone && isTimeZone(workspaceTimeZone) ? workspaceTimeZone : 'UTC';
  const zone = stored?.timeZone && isTimeZone(stored.timeZone) ? stored.timeZone : fallbackZone;
  return {
    email,
    digest: {
      frequency: stored?.digestFrequency ?? 'daily',
      hour: stored?.digestHour ?? DEFAULT_DIGEST_HOUR,
      timeZone: zone,
    },
  };
}

/** Kinds nobody has a setting for (a later issue's new kind, `other`) are not e-mailed. */
export function emailModeFor(prefs: Preferences, kind: string): EmailMode {
  return (prefs.email as Record<string, EmailMode | undefined>)[kind] ?? 'off';
}

/**
 * When the digest that would carry a notification created at `now` goes out: the next full hour (in the
 * person's zone: some zones are off by 30 or 45 minutes), or the next `hour`:00 of their local day.
 */
export function nextDigestAt(now: Date, digest: DigestSettings): Date {
  const local = DateTime.fromJSDate(now, { zone: digest.timeZone });
  if (digest.frequency === 'hourly') return local.startOf('hour').plus({ hours: 1 }).toJSDate();
  let at = local.set({ hour: digest.hour, minute: 0, second: 0, millisecond: 0 });
  if (at <= local)
    at = local.plus({ days: 1 }).set({ hour: digest.hour, minute: 0, second: 0, millisecond: 0 });
  return at.toJSDate();
}
