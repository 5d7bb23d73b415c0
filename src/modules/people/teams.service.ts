import {
  type Actor,
  type Deps,
  deleteUnlessReferenced,
  fail,
  inTransaction,
  ok,
  pgErrorCode,
  type Result,
  recordEvent,
  UNIQUE_VIOLATION,
} from '../../platform/index.js';
import { findPerson } from './people.repo.js';
import {
  addMember,
  deleteTeam,
  findTeam,
  insertTeam,
  removeMember,
  type Team,
  updateTeam,
} from './teams.repo.js';

type TeamInput = { name?: string; leadId?: number | null; isVendor?: boolean };

const teamEvent = (
  workspaceId: number,
  id: number,
  actor: Actor,
  type: string,
  data: Record<string, unknown>,
  at: Date,
) => ({
  workspaceId,
  type,
  entityType: 'team',
  entityId: id,
  actor,
  data,
  at,
});

export async function createTeam(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: { name: string; leadId?: number | null; isVendor?: boolean },
): Promise<Result<Team>> {
  return inTransaction(deps.db, async (tx) => {
    if (input.leadId && !(await findPerson(tx, workspaceId, input.leadId))) {
      return fail('PERSON_NOT_FOUND', 'The lead is not a person of this workspace');
    }
    const now = deps.clock.now();
    const team = await insertTeam(tx, {
      workspaceId,
      name: input.name,
      leadId: input.leadId ?? null,
      isVendor: input.isVendor ?? false,
      createdAt: now,
      updatedAt: now,
    });
    if (!team) return fail('TEAM_NAME_TAKEN', `A team named ${input.name} exists already`);
    if (team.leadId) await addMember(tx, workspaceId, team.id, team.leadId, now);
    await recordEvent(tx, teamEvent(workspaceId, team.id, actor, 'team.created', { after: input }, now));
    return ok(team);
  });
}

export async function changeTeam(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  input: TeamInput,
): Promise<Result<Team>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findTeam(tx, workspaceId, id);
    if (!before) return fail('TEAM_NOT_FOUND', 'Team not found');
    if (input.leadId && !(await findPerson(tx, workspaceId, input.leadId))) {
      return fail('PERSON_NOT_FOUND', 'The lead is not a person of this workspace');
    }
    const now = deps.clock.now();
    let after: Team | undefined;
    try {
      after = await updateTeam(tx, workspaceId, id, { ...input, updatedAt: now });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION) {
        return fail('TEAM_NAME_TAKEN', `A team named ${input.name} exists already`);
      }
      throw err;
    }
    if (!after) return fail('TEAM_NOT_FOUND', 'Team not found');
    if (after.leadId) await addMember(tx, workspaceId, id, after.leadId, now);
    const pick = (t: Team) => ({ name: t.name, leadId: t.leadId, isVendor: t.isVendor });
    await recordEvent(
      tx,
      teamEvent(workspaceId, id, actor, 'team.updated', { before: pick(before), after: pick(after) }, now),
    );
    return ok(after);
  });
}

export async function removeTeam(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findTeam(tx, workspaceId, id);
    if (!before) return fail('TEAM_NOT_FOUND', 'Team not found');
    const deleted = await deleteUnlessReferenced(
      () => deleteTeam(tx, workspaceId, id),
      fail('INVALID_REFERENCE', 'Conversations or chat widgets still belong to this team: move them first'),
    );
    if (!deleted.ok) return deleted;
    await recordEvent(
      tx,
      teamEvent(workspaceId, id, actor, 'team.deleted', { before: { name: before.name } }, deps.clock.now()),
    );
    return ok(null);
  });
}

export async function setMembership(
  deps: Deps,
  workspaceId: number,
  teamId: number,
  personId: number,
  actor: Actor,
  member: boolean,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    if (!(await findTeam(tx, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
    if (!(await findPerson(tx, workspaceId, personId))) return fail('PERSON_NOT_FOUND', 'Person not found');
    const now = deps.clock.now();
    const changed = member
      ? await addMember(tx, workspaceId, teamId, personId, now)
      : await removeMember(tx, workspaceId, teamId, personId);
    if (changed) {
      await recordEvent(
        tx,
        teamEvent(
          workspaceId,
          teamId,
          actor,
          member ? 'team.member_added' : 'team.member_removed',
          { personId },
          now,
        ),
      );
    }
    return ok(null);
  });
}
