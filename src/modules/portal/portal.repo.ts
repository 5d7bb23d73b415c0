import { and, asc, count, eq, gt, inArray, isNull } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

const l = schema.portalLinks;
const s = schema.portalSessions;
const p = schema.conversationProposals;
export type PortalLink = typeof l.$inferSelect;
export type PortalSession = typeof s.$inferSelect;
export type Proposal = typeof p.$inferSelect;

export async function countRecentLinks(
  db: Executor,
  workspaceId: number,
  customerId: number,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(l)
    .where(and(eq(l.workspaceId, workspaceId), eq(l.customerId, customerId), gt(l.createdAt, since)));
  return row?.n ?? 0;
}

export async function insertLink(db: Executor, values: typeof l.$inferInsert): Promise<PortalLink> {
  const [row] = await db.insert(l).values(values).returning();
  return row!;
}

export async function findLink(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select()
    .from(l)
    .where(and(eq(l.workspaceId, workspaceId), eq(l.id, id)));
  return row;
}

export async function setLinkToken(db: Executor, link: PortalLink, tokenHash: string): Promise<void> {
  await db
    .update(l)
    .set({ tokenHash })
    .where(and(eq(l.workspaceId, link.workspaceId), eq(l.id, link.id)));
}

/** The unused link with this secret's hash, locked: two clicks at once sign in once. */
export async function lockLinkByHash(db: Executor, tokenHash: string): Promise<PortalLink | undefined> {
  const [row] = await db
    .select()
    .from(l)
    .where(and(eq(l.tokenHash, tokenHash), isNull(l.usedAt)))
    .for('update');
  return row;
}

export async function markLinkUsed(db: Executor, link: PortalLink, now: Date): Promise<void> {
  await db
    .update(l)
    .set({ usedAt: now })
    .where(and(eq(l.workspaceId, link.workspaceId), eq(l.id, link.id)));
}

export async function insertSession(db: Executor, values: typeof s.$inferInsert): Promise<PortalSession> {
  const [row] = await db.insert(s).values(values).returning();
  return row!;
}

export async function findSessionByHash(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<PortalSession | undefined> {
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.tokenHash, tokenHash), gt(s.expiresAt, now)));
  return row;
}

export async function deleteSessionByHash(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(s).where(eq(s.tokenHash, tokenHash));
}

export async function insertProposal(db: Executor, values: typeof p.$inferInsert): Promise<Proposal> {
  const [row] = await db.insert(p).values(values).returning();
  return row!;
}

export async function listProposals(
  db: Executor,
  workspaceId: number,
  conversationId: number,
): Promise<Proposal[]> {
  return db
    .select()
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.conversationId, conversationId)))
    .orderBy(asc(p.createdAt), asc(p.id));
}

/**
 * GDPR erasure: a customer's proposals (their own words), sign-in links (their address) and sessions go.
 * Called by the datacare module inside its erasure transaction.
 */
export async function erasePortalData(
  db: Executor,
  workspaceId: number,
  customerIds: number[],
): Promise<void> {
  if (customerIds.length === 0) return;
  await db.delete(p).where(and(eq(p.workspaceId, workspaceId), inArray(p.customerId, customerIds)));
  await db.delete(l).where(and(eq(l.workspaceId, workspaceId), inArray(l.customerId, customerIds)));
  await db.delete(s).where(and(eq(s.workspaceId, workspaceId), inArray(s.customerId, customerIds)));
}
