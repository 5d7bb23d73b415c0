import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { ChannelCapacity } from '../../db/schema/routing.js';

export type TeamRouting = typeof schema.teamRouting.$inferSelect;
const r = schema.teamRouting;
const mc = schema.teamMemberCapacity;
const ra = schema.routingAgents;

/**
 * Routing of a workspace happens one decision at a time (a transaction-scoped advisory lock): capacity is
 * counted over all of an agent's teams, so two teams routing at once could otherwise both give the last free
 * place of the same agent, and two sweeps of one team could both read the same rotation. Claims and manual
 * assignments do not wait for it: they lock only their conversation.
 */
export async function lockWorkspaceRouting(tx: Executor, workspaceId: number): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`steward.routing:${workspaceId}`}, 0))`,
  );
}

export async function findTeamRouting(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<TeamRouting | undefined> {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), eq(r.teamId, teamId)));
  return row;
}

/** Of these teams, the ones whose conversations routing assigns (not `manual`). */
export async function routedTeamIds(db: Executor, workspaceId: number, teamIds: number[]): Promise<number[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .select({ teamId: r.teamId })
    .from(r)
    .where(and(eq(r.workspaceId, workspaceId), inArray(r.teamId, teamIds), sql`${r.mode} <> 'manual'`));
  return rows.map((row) => row.teamId);
}

export async function upsertTeamRouting(
  db: Executor,
  values: Pick<TeamRouting, 'workspaceId' | 'teamId' | 'mode' | 'capacity' | 'updatedAt'>,
): Promise<TeamRouting> {
  const [row] = await db
    .insert(r)
    .values(values)
    .onConflictDoUpdate({
      target: [r.workspaceId, r.teamId],
      set: { mode: values.mode, capacity: values.capacity, updatedAt: values.updatedAt },
    })
    .returning();
  if (!row) throw new Error('upsert into team_routing returned no row');
  return row;
}

/** The round-robin rotation: who got the team's last conversation. */
export async function saveRotation(
  db: Executor,
  workspaceId: number,
  teamId: number,
  lastPersonId: number,
): Promise<void> {
  await db
    .update(r)
    .set({ lastPersonId })
    .where(and(eq(r.workspaceId, workspaceId), eq(r.teamId, teamId)));
}

export async function memberCapacities(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<Map<number, ChannelCapacity>> {
  const rows = await db
    .select({ personId: mc.personId, capacity: mc.capacity })
    .from(mc)
    .where(and(eq(mc.workspaceId, workspaceId), eq(mc.teamId, teamId)));
  return new Map(rows.map((row) => [row.personId, row.capacity]));
}

/** A member's own capacity; an empty one removes it (the team's applies). */
export async function setMemberCapacity(
  db: Executor,
  workspaceId: number,
  teamId: number,
  personId: number,
  capacity: ChannelCapacity,
  now: Date,
): Promise<void> {
  if (Object.keys(capacity).length === 0) {
    await db
      .delete(mc)
      .where(and(eq(mc.workspaceId, workspaceId), eq(mc.teamId, teamId), eq(mc.personId, personId)));
    return;
  }
  await db
    .insert(mc)
    .values({ workspaceId, teamId, personId, capacity, updatedAt: now })
    .onConflictDoUpdate({
      target: [mc.workspaceId, mc.teamId, mc.personId],
      set: { capacity, updatedAt: now },
    });
}

export async function lastAssignedAt(
  db: Executor,
  workspaceId: number,
  personIds: number[],
): Promise<Map<number, Date>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(ra)
    .where(and(eq(ra.workspaceId, workspaceId), inArray(ra.personId, personIds)));
  return new Map(rows.map((row) => [row.personId, row.lastAssignedAt]));
}

export async function touchAgents(db: Executor, workspaceId: number, personIds: number[], at: Date) {
  if (personIds.length === 0) return;
  await db
    .insert(ra)
    .values(personIds.map((personId) => ({ workspaceId, personId, lastAssignedAt: at })))
    .onConflictDoUpdate({ target: [ra.workspaceId, ra.personId], set: { lastAssignedAt: at } });
}
