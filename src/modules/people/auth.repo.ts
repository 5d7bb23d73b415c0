import { and, count, desc, eq, gt, isNull, lt, ne, or } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import { AUTH_REVOKED, publishRealtime } from '../../platform/index.js';
import type { Person } from './people.repo.js';

export type Session = typeof schema.sessions.$inferSelect;
export type ApiToken = typeof schema.apiTokens.$inferSelect;
const s = schema.sessions;
const t = schema.apiTokens;
const p = schema.people;

export async function insertSession(db: Executor, values: typeof s.$inferInsert): Promise<Session> {
  const [row] = await db.insert(s).values(values).returning();
  if (!row) throw new Error('session insert returned nothing');
  return row;
}

/** A live session of an active person, by the hash of its cookie. */
export async function findLiveSession(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .select({ session: s, person: p })
    .from(s)
    .innerJoin(p, and(eq(p.workspaceId, s.workspaceId), eq(p.id, s.personId)))
    .where(and(eq(s.tokenHash, tokenHash), gt(s.expiresAt, now), eq(p.status, 'active')));
  return row;
}

/**
 * Ended credentials also end the realtime sockets they opened, in every process: the hub closes the sockets
 * of these sessions or tokens (delivered on commit, like every push).
 */
async function endSockets(
  db: Executor,
  workspaceId: number,
  ended: { sessionIds?: number[]; tokenIds?: number[] },
) {
  if (!ended.sessionIds?.length && !ended.tokenIds?.length) return;
  await publishRealtime(db, { workspaceId, type: AUTH_REVOKED, data: ended });
}

export async function deleteSession(db: Executor, workspaceId: number, id: number) {
  await db.delete(s).where(and(eq(s.workspaceId, workspaceId), eq(s.id, id)));
  await endSockets(db, workspaceId, { sessionIds: [id] });
}

/** Whether the person still has a session that has not expired. */
export async function hasLiveSession(db: Executor, workspaceId: number, personId: number, now: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.personId, personId), gt(s.expiresAt, now)));
  return (row?.n ?? 0) > 0;
}

export async function deletePersonSessions(db: Executor, workspaceId: number, personId: number) {
  const rows = await db
    .delete(s)
    .where(and(eq(s.workspaceId, workspaceId), eq(s.personId, personId)))
    .returning({ id: s.id });
  await endSockets(db, workspaceId, { sessionIds: rows.map((r) => r.id) });
}

export async function deleteOtherSessions(
  db: Executor,
  workspaceId: number,
  personId: number,
  keepId: number | undefined,
): Promise<number> {
  const conditions = [eq(s.workspaceId, workspaceId), eq(s.personId, personId)];
  if (keepId !== undefined) conditions.push(ne(s.id, keepId));
  const rows = await db
    .delete(s)
    .where(and(...conditions))
    .returning({ id: s.id });
  await endSockets(db, workspaceId, { sessionIds: rows.map((r) => r.id) });
  return rows.length;
}

export async function deleteExpiredSessions(db: Executor, now: Date) {
  await db.delete(s).where(lt(s.expiresAt, now));
}

export async function insertToken(
  db: Executor,
  values: typeof t.$inferInsert,
): Promise<ApiToken | undefined> {
  const [row] = await db.insert(t).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findTokenByHash(db: Executor, tokenHash: string) {
  const [row] = await db.select().from(t).where(eq(t.tokenHash, tokenHash));
  return row;
}

/** A usable token (not revoked, not expired) of an active person. */
export async function findLiveToken(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<{ token: ApiToken; person: Person } | undefined> {
  const [row] = await db
    .select({ token: t, person: p })
    .from(t)
    .innerJoin(p, and(eq(p.workspaceId, t.workspaceId), eq(p.id, t.personId)))
    .where(
      and(
        eq(t.tokenHash, tokenHash),
        isNull(t.revokedAt),
        or(isNull(t.expiresAt), gt(t.expiresAt, now)),
        eq(p.status, 'active'),
      ),
    );
  return row;
}

export async function touchToken(db: Executor, token: ApiToken, now: Date) {
  await db
    .update(t)
    .set({ lastUsedAt: now })
    .where(and(eq(t.workspaceId, token.workspaceId), eq(t.id, token.id)));
}

export async function listTokens(db: Executor, workspaceId: number, personId?: number): Promise<ApiToken[]> {
  const conditions = [eq(t.workspaceId, workspaceId)];
  if (personId !== undefined) conditions.push(eq(t.personId, personId));
  return db
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.id))
    .limit(500);
}

export async function findToken(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.id, id)));
  return row;
}

export async function revokeToken(db: Executor, workspaceId: number, id: number, now: Date) {
  const [row] = await db
    .update(t)
    .set({ revokedAt: now })
    .where(and(eq(t.workspaceId, workspaceId), eq(t.id, id), isNull(t.revokedAt)))
    .returning();
  if (row) await endSockets(db, workspaceId, { tokenIds: [row.id] });
  return row;
}
