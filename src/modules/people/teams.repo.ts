import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';

export type Team = typeof schema.teams.$inferSelect;
const t = schema.teams;
const m = schema.teamMembers;

export async function listTeams(db: Executor, workspaceId: number): Promise<Team[]> {
  return db.select().from(t).where(eq(t.workspaceId, workspaceId)).orderBy(asc(t.name)).limit(1000);
}

export async function findTeam(db: Executor, workspaceId: number, id: number): Promise<Team | undefined> {
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.id, id)));
  return row;
}

export async function insertTeam(db: Executor, values: typeof t.$inferInsert): Promise<Team | undefined> {
  const [row] = await db.insert(t).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateTeam(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: Partial<Pick<Team, 'name' | 'leadId' | 'isVendor'>> & { updatedAt: Date },
): Promise<Team | undefined> {
  const [row] = await db
    .update(t)
    .set(patch)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.id, id)))
    .returning();
  return row;
}

export async function deleteTeam(db: Executor, workspaceId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(t)
    .where(and(eq(t.workspaceId, workspaceId), eq(t.id, id)))
    .returning({ id: t.id });
  return rows.length > 0;
}

export async function teamMemberIds(db: Executor, workspaceId: number, teamIds: number[]) {
  if (teamIds.length === 0) return new Map<number, number[]>();
  const rows = await db
    .select({ teamId: m.teamId, personId: m.personId })
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), inArray(m.teamId, teamIds)))
    .orderBy(asc(m.personId));
  const byTeam = new Map<number, number[]>(teamIds.map((id) => [id, []]));
  for (const r of rows) byTeam.get(r.teamId)?.push(r.personId);
  return byTeam;
}

export async function teamsOfPerson(db: Executor, workspaceId: number, personId: number): Promise<number[]> {
  const rows = await db
    .select({ teamId: m.teamId })
    .from(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.personId, personId)));
  return rows.map((r) => r.teamId);
}

export async function addMember(
  db: Executor,
  workspaceId: number,
  teamId: number,
  personId: number,
  now: Date,
) {
  const rows = await db
    .insert(m)
    .values({ workspaceId, teamId, personId, createdAt: now })
    .onConflictDoNothing()
    .returning({ teamId: m.teamId });
  return rows.length > 0;
}

export async function removeMember(db: Executor, workspaceId: number, teamId: number, personId: number) {
  const rows = await db
    .delete(m)
    .where(and(eq(m.workspaceId, workspaceId), eq(m.teamId, teamId), eq(m.personId, personId)))
    .returning({ teamId: m.teamId });
  return rows.length > 0;
}

export type TeamMemberForRouting = Pick<
  typeof schema.people.$inferSelect,
  'name' | 'role' | 'status' | 'availability'
> & { personId: number };

/** A team's members with what routing needs to know of each: who they are and whether they take work. */
export async function teamMembersForRouting(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<TeamMemberForRouting[]> {
  const p = schema.people;
  return db
    .select({
      personId: m.personId,
      name: p.name,
      role: p.role,
      status: p.status,
      availability: p.availability,
    })
    .from(m)
    .innerJoin(p, and(eq(p.workspaceId, m.workspaceId), eq(p.id, m.personId)))
    .where(and(eq(m.workspaceId, workspaceId), eq(m.teamId, teamId)))
    .orderBy(asc(m.personId));
}

/**
 * Whether someone who handles conversations is online: in the team when one is named, else anywhere in the
 * workspace (live chat asks this to tell a visitor whether a reply can come now).
 */
export async function someoneOnline(
  db: Executor,
  workspaceId: number,
  teamId: number | null,
): Promise<boolean> {
  const p = schema.people;
  const working = and(
    eq(p.workspaceId, workspaceId),
    eq(p.status, 'active'),
    eq(p.availability, 'online'),
    inArray(p.role, ['agent', 'lead', 'manager', 'admin']),
  );
  const rows =
    teamId === null
      ? await db.select({ id: p.id }).from(p).where(working).limit(1)
      : await db
          .select({ id: p.id })
          .from(m)
          .innerJoin(p, and(eq(p.workspaceId, m.workspaceId), eq(p.id, m.personId)))
          .where(and(working, eq(m.teamId, teamId)))
          .limit(1);
  return rows.length > 0;
}
