import { and, count, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Cursor } from '../../platform/index.js';
import type { StoredPreferences } from './preferences.js';

export type Notification = typeof schema.notifications.$inferSelect;
export type NewNotification = typeof schema.notifications.$inferInsert;
const n = schema.notifications;
const np = schema.notificationPreferences;

/** One per person and event: handling an event twice (it never should) adds nothing. */
export async function insertNotification(
  tx: Executor,
  row: NewNotification,
): Promise<Notification | undefined> {
  const [inserted] = await tx.insert(n).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findNotification(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Notification | undefined> {
  const [row] = await db
    .select()
    .from(n)
    .where(and(eq(n.workspaceId, workspaceId), eq(n.id, id)));
  return row;
}

/** Walks the partial index of unread notifications. */
export async function countUnread(db: Executor, workspaceId: number, personId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(n)
    .where(and(eq(n.workspaceId, workspaceId), eq(n.personId, personId), isNull(n.readAt)));
  return row?.n ?? 0;
}

const exactCreatedAt = sql<string>`to_char(${n.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Newest first, keyset-paged on (created_at, id). */
export async function listNotifications(
  db: Executor,
  workspaceId: number,
  personId: number,
  filter: { unread?: boolean; after?: Cursor; limit: number },
): Promise<Array<{ notification: Notification; sortKey: Cursor }>> {
  const conditions = [eq(n.workspaceId, workspaceId), eq(n.personId, personId)];
  if (filter.unread) conditions.push(isNull(n.readAt));
  if (filter.after)
    conditions.push(sql`(${n.createdAt}, ${n.id}) < (${filter.after.t}::timestamptz, ${filter.after.id})`);
  const rows = await db
    .select({ notification: n, t: exactCreatedAt })
    .from(n)
    .where(and(...conditions))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(filter.limit);
  return rows.map((r) => ({ notification: r.notification, sortKey: { t: r.t, id: r.notification.id } }));
}

/** Marks one of the person's notifications read (keeps the first read time). Undefined: not theirs. */
export async function markRead(
  tx: Executor,
  workspaceId: number,
  personId: number,
  id: number,
  now: Date,
): Promise<Notification | undefined> {
  const [row] = await tx
    .update(n)
    .set({ readAt: sql`coalesce(${n.readAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(n.workspaceId, workspaceId), eq(n.id, id), eq(n.personId, personId)))
    .returning();
  return row;
}

export async function markAllRead(
  tx: Executor,
  workspaceId: number,
  personId: number,
  now: Date,
): Promise<number> {
  const rows = await tx
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.workspaceId, workspaceId), eq(n.personId, personId), isNull(n.readAt)))
    .returning({ id: n.id });
  return rows.length;
}

export async function markEmailed(
  db: Executor,
  workspaceId: number,
  ids: number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(n)
    .set({ emailedAt: now })
    .where(and(eq(n.workspaceId, workspaceId), inArray(n.id, ids), isNull(n.emailedAt)));
}

/** What a digest carries: the person's digest notifications still unread and not yet mailed, oldest first. */
export async function pendingDigest(
  db: Executor,
  workspaceId: number,
  personId: number,
  upTo: Date,
  limit: number,
): Promise<Notification[]> {
  return db
    .select()
    .from(n)
    .where(
      and(
        eq(n.workspaceId, workspaceId),
        eq(n.personId, personId),
        eq(n.emailVia, 'digest'),
        isNull(n.readAt),
        isNull(n.emailedAt),
        lte(n.createdAt, upTo),
      ),
    )
    .orderBy(n.createdAt, n.id)
    .limit(limit);
}

export async function findPreferences(
  db: Executor,
  workspaceId: number,
  personId: number,
): Promise<StoredPreferences | undefined> {
  const [row] = await db
    .select({
      email: np.email,
      digestFrequency: np.digestFrequency,
      digestHour: np.digestHour,
      timeZone: np.timeZone,
    })
    .from(np)
    .where(and(eq(np.workspaceId, workspaceId), eq(np.personId, personId)));
  return row;
}

export async function savePreferences(
  tx: Executor,
  workspaceId: number,
  personId: number,
  prefs: StoredPreferences,
  now: Date,
): Promise<void> {
  const values = { ...prefs, updatedAt: now };
  await tx
    .insert(np)
    .values({ workspaceId, personId, ...values })
    .onConflictDoUpdate({ target: [np.workspaceId, np.personId], set: values });
}
