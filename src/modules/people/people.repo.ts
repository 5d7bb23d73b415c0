import { and, asc, eq, gt, ilike, or, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { Availability } from '../../db/schema/people.js';
import type { Role } from './permissions.js';

export type Person = typeof schema.people.$inferSelect;
const p = schema.people;

export async function findPerson(db: Executor, workspaceId: number, id: number): Promise<Person | undefined> {
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)));
  return row;
}

export async function findPersonByEmail(db: Executor, workspaceId: number, email: string) {
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.email, email.toLowerCase())));
  return row;
}

export async function listPeople(
  db: Executor,
  workspaceId: number,
  filter: {
    q?: string;
    role?: Role;
    status?: Person['status'];
    availability?: Availability;
    afterId?: number;
    limit: number;
  },
): Promise<Person[]> {
  const conditions = [eq(p.workspaceId, workspaceId)];
  if (filter.availability) conditions.push(eq(p.availability, filter.availability));
  if (filter.role) conditions.push(eq(p.role, filter.role));
  if (filter.status) conditions.push(eq(p.status, filter.status));
  if (filter.afterId) conditions.push(gt(p.id, filter.afterId));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(p.name, like), ilike(p.email, like))!);
  }
  return db
    .select()
    .from(p)
    .where(and(...conditions))
    .orderBy(asc(p.id))
    .limit(filter.limit);
}

export async function insertPerson(
  db: Executor,
  values: {
    workspaceId: number;
    email: string;
    name: string;
    role: Role;
    isOwner?: boolean;
    passwordHash: string | null;
    status?: Person['status'];
    now: Date;
  },
): Promise<Person | undefined> {
  const [row] = await db
    .insert(p)
    .values({
      workspaceId: values.workspaceId,
      email: values.email.toLowerCase(),
      name: values.name,
      role: values.role,
      isOwner: values.isOwner ?? false,
      passwordHash: values.passwordHash,
      status: values.status ?? 'active',
      createdAt: values.now,
      updatedAt: values.now,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function updatePerson(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<
    Pick<
      Person,
      | 'name'
      | 'role'
      | 'isOwner'
      | 'status'
      | 'deactivatedAt'
      | 'passwordHash'
      | 'email'
      | 'failedSignIns'
      | 'lockedUntil'
    >
  > & {
    updatedAt: Date;
  },
): Promise<Person | undefined> {
  const [row] = await db
    .update(p)
    .set(patch)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)))
    .returning();
  return row;
}

/** Active owners, locked for the rest of the transaction so two demotions can't both pass the last-owner check. */
export async function lockActiveOwners(db: Executor, workspaceId: number): Promise<number[]> {
  const rows = await db
    .select({ id: p.id })
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.isOwner, true), eq(p.status, 'active')))
    .for('update');
  return rows.map((r) => r.id);
}

/**
 * Counts a wrong password and locks the account at the limit. The increment happens in SQL, so wrong
 * passwords sent in parallel each count (a read-then-write in JavaScript would let them all read 0).
 */
export async function recordFailedSignIn(
  db: Executor,
  person: Person,
  now: Date,
  lockAfter: number,
  lockMs: number,
) {
  const where = and(eq(p.workspaceId, person.workspaceId), eq(p.id, person.id));
  const [row] = await db
    .update(p)
    .set({ failedSignIns: sql`${p.failedSignIns} + 1` })
    .where(where)
    .returning({ failures: p.failedSignIns });
  if (!row || row.failures < lockAfter) return false;
  await db
    .update(p)
    .set({ failedSignIns: 0, lockedUntil: new Date(now.getTime() + lockMs) })
    .where(where);
  return true;
}

export async function clearFailedSignIns(db: Executor, person: Person) {
  if (person.failedSignIns === 0 && !person.lockedUntil) return;
  await db
    .update(p)
    .set({ failedSignIns: 0, lockedUntil: null })
    .where(and(eq(p.workspaceId, person.workspaceId), eq(p.id, person.id)));
}

export async function countPeople(db: Executor, workspaceId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(p)
    .where(eq(p.workspaceId, workspaceId));
  return row?.n ?? 0;
}

/**
 * A person's availability, the row locked (`no key update`: conversations being assigned to them, which only
 * key-share lock the row, are not held up) so two changes apply one after the other.
 */
export async function lockAvailability(db: Executor, workspaceId: number, id: number) {
  const [row] = await db
    .select({ availability: p.availability, changedAt: p.availabilityChangedAt })
    .from(p)
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)))
    .for('no key update');
  return row;
}

export async function updateAvailability(
  db: Executor,
  workspaceId: number,
  id: number,
  availability: Availability,
  now: Date,
): Promise<void> {
  await db
    .update(p)
    .set({ availability, availabilityChangedAt: now })
    .where(and(eq(p.workspaceId, workspaceId), eq(p.id, id)));
}
