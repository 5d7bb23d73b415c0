import type { DigestFrequency, EmailMode } from '../../db/schema/notifications.js';
import { type Deps, fail, inTransaction, ok, publishRealtime, type Result } from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  countUnread,
  findPreferences,
  markAllRead,
  markRead,
  type Notification,
  savePreferences,
} from './notifications.repo.js';
import { mailConfigured } from './notify.consumer.js';
import { effectivePreferences, type Preferences } from './preferences.js';
import { type NotificationKind, notificationKinds } from './recipients.js';

const notFound = () => fail('NOTIFICATION_NOT_FOUND', 'Notification not found');

/** Tells the person's other open tabs and devices, on commit, so their unread badge follows. */
async function announceRead(
  tx: Parameters<typeof publishRealtime>[0],
  workspaceId: number,
  personId: number,
  ids: number[] | 'all',
) {
  await publishRealtime(tx, {
    workspaceId,
    personIds: [personId],
    type: 'notification.read',
    data: { ids, unreadCount: await countUnread(tx, workspaceId, personId) },
  });
}

/** Only the person's own notification: anyone else's id answers like a missing one. */
export async function readNotification(
  deps: Deps,
  workspaceId: number,
  personId: number,
  id: number,
): Promise<Result<Notification>> {
  return inTransaction(deps.db, async (tx) => {
    const row = await markRead(tx, workspaceId, personId, id, deps.clock.now());
    if (!row) return notFound();
    await announceRead(tx, workspaceId, personId, [id]);
    return ok(row);
  });
}

export async function readAllNotifications(
  deps: Deps,
  workspaceId: number,
  personId: number,
): Promise<Result<{ marked: number }>> {
  return inTransaction(deps.db, async (tx) => {
    const marked = await markAllRead(tx, workspaceId, personId, deps.clock.now());
    if (marked > 0) await announceRead(tx, workspaceId, personId, 'all');
    return ok({ marked });
  });
}

export type PreferencesView = Preferences & {
  inApp: 'always';
  /** False when this Steward sends no e-mail (no SMTP server configured): choices are kept but idle. */
  emailActive: boolean;
  emailInactiveReason: string | null;
};

export type PreferencesChange = {
  email?: Partial<Record<NotificationKind, EmailMode>>;
  digest?: { frequency?: DigestFrequency; hour?: number; timeZone?: string | null };
};

async function view(deps: Deps, workspaceId: number, personId: number): Promise<PreferencesView> {
  const [stored, workspace] = [
    await findPreferences(deps.db, workspaceId, personId),
    await findWorkspaceById(deps.db, workspaceId),
  ];
  const active = mailConfigured(deps.settings);
  return {
    ...effectivePreferences(stored, workspace?.settings.timeZone),
    inApp: 'always',
    emailActive: active,
    emailInactiveReason: active
      ? null
      : 'This Steward has no mail server configured (STEWARD_SMTP_URL): your choices are kept and apply once it has one.',
  };
}

export const getPreferences = view;

/** Changes what is named; everything else keeps its value. */
export async function updatePreferences(
  deps: Deps,
  workspaceId: number,
  personId: number,
  change: PreferencesChange,
): Promise<Result<PreferencesView>> {
  const result = await inTransaction(deps.db, async (tx) => {
    const stored = await findPreferences(tx, workspaceId, personId);
    const email: Record<string, EmailMode> = {};
    for (const kind of notificationKinds) {
      const mode = change.email?.[kind] ?? stored?.email[kind];
      if (mode) email[kind] = mode;
    }
    const digest = change.digest ?? {};
    await savePreferences(
      tx,
      workspaceId,
      personId,
      {
        email,
        digestFrequency: digest.frequency ?? stored?.digestFrequency ?? 'daily',
        digestHour: digest.hour ?? stored?.digestHour ?? 8,
        timeZone: digest.timeZone !== undefined ? digest.timeZone : (stored?.timeZone ?? null),
      },
      deps.clock.now(),
    );
    return ok(null);
  });
  if (!result.ok) return result;
  return ok(await view(deps, workspaceId, personId));
}
