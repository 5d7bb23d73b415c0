import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const t = schema.mailboxImap;
const f = schema.mailboxImapFolders;
export type ImapSettingsRow = typeof t.$inferSelect;
export type ImapFolderState = typeof f.$inferSelect;

export async function findImap(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
): Promise<ImapSettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.mailboxId, mailboxId)));
  return row;
}

export async function listImap(db: Executor, workspaceId: number): Promise<ImapSettingsRow[]> {
  return db.select().from(t).where(eq(t.workspaceId, workspaceId));
}

export async function upsertImap(db: Executor, row: typeof t.$inferInsert): Promise<ImapSettingsRow> {
  const { workspaceId: _w, mailboxId: _m, createdAt: _c, ...changes } = row;
  const [saved] = await db
    .insert(t)
    .values(row)
    .onConflictDoUpdate({ target: [t.workspaceId, t.mailboxId], set: changes })
    .returning();
  return saved!;
}

export async function deleteImap(db: Executor, workspaceId: number, mailboxId: number): Promise<boolean> {
  const rows = await db
    .delete(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.mailboxId, mailboxId)))
    .returning({ id: t.mailboxId });
  return rows.length > 0;
}

/**
 * Takes the mailbox's poll lease until `until`, when it is enabled and nobody holds it (or the holder's lease
 * ran out: it crashed). Undefined when another poll is under way or polling is off.
 */
export async function claimPoll(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
  now: Date,
  until: Date,
): Promise<ImapSettingsRow | undefined> {
  const [row] = await db
    .update(t)
    .set({ pollingUntil: until, lastPollAt: now })
    .where(
      and(
        eq(t.workspaceId, workspaceId),
        eq(t.mailboxId, mailboxId),
        eq(t.enabled, true),
        or(isNull(t.pollingUntil), lt(t.pollingUntil, now)),
      ),
    )
    .returning();
  return row;
}

export async function releasePoll(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
  outcome: { at: Date; error: string | null },
): Promise<void> {
  await db
    .update(t)
    .set({
      pollingUntil: null,
      lastError: outcome.error,
      ...(outcome.error === null ? { lastSuccessAt: outcome.at } : {}),
    })
    .where(and(eq(t.workspaceId, workspaceId), eq(t.mailboxId, mailboxId)));
}

export async function countFetched(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
  what: { fetched: number; skipped: number; lastSkipped?: string },
): Promise<void> {
  await db
    .update(t)
    .set({
      fetched: sql`${t.fetched} + ${what.fetched}`,
      skipped: sql`${t.skipped} + ${what.skipped}`,
      ...(what.lastSkipped ? { lastSkipped: what.lastSkipped } : {}),
    })
    .where(and(eq(t.workspaceId, workspaceId), eq(t.mailboxId, mailboxId)));
}

export async function listFolderStates(
  db: Executor,
  workspaceId: number,
  mailboxId: number,
): Promise<ImapFolderState[]> {
  return db
    .select()
    .from(f)
    .where(and(eq(f.workspaceId, workspaceId), eq(f.mailboxId, mailboxId)))
    .orderBy(f.folder);
}

export async function saveFolderState(db: Executor, row: ImapFolderState): Promise<void> {
  await db
    .insert(f)
    .values(row)
    .onConflictDoUpdate({
      target: [f.workspaceId, f.mailboxId, f.folder],
      set: { uidValidity: row.uidValidity, lastUid: row.lastUid, updatedAt: row.updatedAt },
    });
}

/** Another account or server: where polling stood means nothing any more. */
export async function forgetFolderStates(db: Executor, workspaceId: number, mailboxId: number) {
  await db.delete(f).where(and(eq(f.workspaceId, workspaceId), eq(f.mailboxId, mailboxId)));
}
