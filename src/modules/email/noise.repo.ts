import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const bs = schema.emailBlockedSenders;
const sp = schema.emailSpam;
export type BlockedSender = typeof bs.$inferSelect;
export type SpamMail = typeof sp.$inferSelect;
export type SpamSummary = Omit<SpamMail, 'raw'>;

/** Whether an address (or its domain, as `@domain`) is on the workspace's blocklist. */
export async function isBlocked(db: Executor, workspaceId: number, address: string): Promise<boolean> {
  const domain = `@${address.split('@')[1] ?? ''}`;
  const [row] = await db
    .select({ id: bs.id })
    .from(bs)
    .where(and(eq(bs.workspaceId, workspaceId), inArray(bs.pattern, [address, domain])))
    .limit(1);
  return row !== undefined;
}

/** The patterns of the workspace's blocklist (at most `limit`). */
export async function blockedPatterns(db: Executor, workspaceId: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ pattern: bs.pattern })
    .from(bs)
    .where(eq(bs.workspaceId, workspaceId))
    .limit(limit);
  return rows.map((r) => r.pattern);
}

export async function listBlockedSenders(db: Executor, workspaceId: number): Promise<BlockedSender[]> {
  return db.select().from(bs).where(eq(bs.workspaceId, workspaceId)).orderBy(bs.pattern);
}

export async function insertBlockedSender(
  db: Executor,
  workspaceId: number,
  pattern: string,
  now: Date,
): Promise<BlockedSender | undefined> {
  const [row] = await db
    .insert(bs)
    .values({ workspaceId, pattern, createdAt: now })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function deleteBlockedSender(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(bs)
    .where(and(eq(bs.workspaceId, workspaceId), eq(bs.id, id)))
    .returning({ id: bs.id });
  return rows.length > 0;
}

/** Keeps a mail flagged as spam aside; the same one delivered again is kept once. */
export async function insertSpam(db: Executor, row: typeof sp.$inferInsert): Promise<void> {
  await db.insert(sp).values(row).onConflictDoNothing();
}

const summary = {
  workspaceId: sp.workspaceId,
  id: sp.id,
  mailboxId: sp.mailboxId,
  externalId: sp.externalId,
  fromAddress: sp.fromAddress,
  subject: sp.subject,
  size: sp.size,
  receivedAt: sp.receivedAt,
};

/** Newest first, keyset-paged by id. */
export async function listSpam(
  db: Executor,
  workspaceId: number,
  limit: number,
  beforeId?: number,
): Promise<SpamSummary[]> {
  return db
    .select(summary)
    .from(sp)
    .where(and(eq(sp.workspaceId, workspaceId), beforeId ? lt(sp.id, beforeId) : undefined))
    .orderBy(desc(sp.id))
    .limit(limit);
}

export async function findSpam(db: Executor, workspaceId: number, id: number): Promise<SpamMail | undefined> {
  const [row] = await db
    .select()
    .from(sp)
    .where(and(eq(sp.workspaceId, workspaceId), eq(sp.id, id)));
  return row;
}

export async function deleteSpam(db: Executor, workspaceId: number, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .delete(sp)
    .where(and(eq(sp.workspaceId, workspaceId), inArray(sp.id, ids)))
    .returning({ id: sp.id });
  return rows.length;
}
