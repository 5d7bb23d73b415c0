import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Person } from './people.repo.js';

export type PasswordReset = typeof schema.passwordResets.$inferSelect;
export type Invitation = typeof schema.invitations.$inferSelect;
const r = schema.passwordResets;
const i = schema.invitations;
const p = schema.people;

/** The people with this address in any workspace (a reset asked for without naming the workspace). */
export async function findActivePeopleByEmail(db: Executor, email: string, workspaceId?: number) {
  const conditions = [eq(p.email, email.toLowerCase()), eq(p.status, 'active')];
  if (workspaceId !== undefined) conditions.push(eq(p.workspaceId, workspaceId));
  return db
    .select()
    .from(p)
    .where(and(...conditions))
    .orderBy(asc(p.workspaceId))
    .limit(20);
}

export async function countRecentResets(db: Executor, person: Person, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(r)
    .where(and(eq(r.workspaceId, person.workspaceId), eq(r.personId, person.id), gt(r.createdAt, since)));
  return row?.n ?? 0;
}

export async function insertPasswordReset(
  db: Executor,
  values: typeof r.$inferInsert,
): Promise<PasswordReset> {
  const [row] = await db.insert(r).values(values).returning();
  if (!row) throw new Error('password reset insert returned nothing');
  return row;
}

export async function findPasswordReset(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)));
  return row;
}

/** A reset by the hash of its secret, with its person, locked for the rest of the transaction. */
export async function lockPasswordResetByHash(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ reset: r, person: p })
    .from(r)
    .innerJoin(p, and(eq(p.workspaceId, r.workspaceId), eq(p.id, r.personId)))
    .where(eq(r.tokenHash, tokenHash))
    .for('update', { of: r });
  return row;
}

export async function setPasswordResetToken(db: Executor, reset: PasswordReset, tokenHash: string) {
  await db
    .update(r)
    .set({ tokenHash })
    .where(and(eq(r.workspaceId, reset.workspaceId), eq(r.id, reset.id), isNull(r.usedAt)));
}

/** Marks every unused reset of a person used: one link used, or the password set, ends them all. */
export async function endPersonResets(db: Executor, workspaceId: number, personId: number, now: Date) {
  await db
    .update(r)
    .set({ usedAt: now, tokenHash: null })
    .where(and(eq(r.workspaceId, workspaceId), eq(r.personId, personId), isNull(r.usedAt)));
}

export async function insertInvitation(db: Executor, values: typeof i.$inferInsert): Promise<Invitation> {
  const [row] = await db.insert(i).values(values).returning();
  if (!row) throw new Error('invitation insert returned nothing');
  return row;
}

export type PendingInvitation = { invitation: Invitation; person: Person };

/** Invitations whose person is still `invited`, oldest first. */
export async function listPendingInvitations(
  db: Executor,
  workspaceId: number,
): Promise<PendingInvitation[]> {
  return db
    .select({ invitation: i, person: p })
    .from(i)
    .innerJoin(p, and(eq(p.workspaceId, i.workspaceId), eq(p.id, i.personId)))
    .where(and(eq(i.workspaceId, workspaceId), eq(p.status, 'invited')))
    .orderBy(asc(i.id))
    .limit(500);
}

/** A pending invitation of this workspace, locked for the rest of the transaction. */
export async function lockPendingInvitation(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<PendingInvitation | undefined> {
  const [row] = await db
    .select({ invitation: i, person: p })
    .from(i)
    .innerJoin(p, and(eq(p.workspaceId, i.workspaceId), eq(p.id, i.personId)))
    .where(and(eq(i.workspaceId, workspaceId), eq(i.id, id), eq(p.status, 'invited')))
    .for('update', { of: i });
  return row;
}

/** An invitation by the hash of its secret, with its person (any state: the caller decides). */
export async function findInvitationByHash(
  db: Executor,
  tokenHash: string,
  lock = false,
): Promise<PendingInvitation | undefined> {
  const q = db
    .select({ invitation: i, person: p })
    .from(i)
    .innerJoin(p, and(eq(p.workspaceId, i.workspaceId), eq(p.id, i.personId)))
    .where(eq(i.tokenHash, tokenHash));
  const [row] = lock ? await q.for('update', { of: i }) : await q;
  return row;
}

export async function updateInvitation(
  db: Executor,
  invitation: Invitation,
  patch: Partial<Pick<Invitation, 'tokenHash' | 'sentAt' | 'expiresAt' | 'acceptedAt'>>,
) {
  await db
    .update(i)
    .set(patch)
    .where(and(eq(i.workspaceId, invitation.workspaceId), eq(i.id, invitation.id)));
}

export async function findInvitation(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select()
    .from(i)
    .where(and(eq(i.workspaceId, workspaceId), eq(i.id, id)));
  return row;
}

/** Removes an invited person (and, by cascade, the invitation); their team places go first. */
export async function deleteInvitedPerson(db: Executor, workspaceId: number, personId: number) {
  await db
    .delete(schema.teamMembers)
    .where(and(eq(schema.teamMembers.workspaceId, workspaceId), eq(schema.teamMembers.personId, personId)));
  await db.delete(p).where(and(eq(p.workspaceId, workspaceId), eq(p.id, personId), eq(p.status, 'invited')));
}
