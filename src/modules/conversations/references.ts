import type { Executor } from '../../db/index.js';
import { type Actor, fail, ok, type Principal, type Result } from '../../platform/index.js';
import { findPerson, findTeam, roleCan } from '../people/index.js';

/** Who is acting, and whether their role may hand conversations to others. */
export type Caller = { actor: Actor; personId: number; canReassign: boolean };

/**
 * Anyone who may write conversations may take an unassigned one or let go of their own; assigning someone
 * else, or touching an assignment that belongs to someone else, is a lead's call (`conversations.reassign`).
 */
export function assignmentAllowed(caller: Caller, before: number | null, after: number | null): boolean {
  if (before === after || caller.canReassign) return true;
  const othersBefore = before !== null && before !== caller.personId;
  const othersAfter = after !== null && after !== caller.personId;
  return !othersBefore && !othersAfter;
}

export async function checkAssignee(
  db: Executor,
  workspaceId: number,
  personId: number,
): Promise<Result<null>> {
  const person = await findPerson(db, workspaceId, personId);
  if (!person)
    return fail('PERSON_NOT_FOUND', 'The assignee is not a person of this workspace', { personId });
  if (person.status !== 'active')
    return fail('INVALID_REFERENCE', 'A deactivated person cannot be assigned', { personId });
  if (!roleCan(person.role, 'conversations.write'))
    return fail('INVALID_REFERENCE', `A person with the ${person.role} role cannot handle conversations`, {
      personId,
    });
  return ok(null);
}

export async function checkTeam(db: Executor, workspaceId: number, teamId: number): Promise<Result<null>> {
  if (!(await findTeam(db, workspaceId, teamId)))
    return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId });
  return ok(null);
}

/** Checks the assignee and team a change names (only those it names: no query when there is none). */
export async function checkReferences(
  db: Executor,
  workspaceId: number,
  refs: { assigneeId?: number | null; teamId?: number | null },
): Promise<Result<null>> {
  if (refs.assigneeId) {
    const checked = await checkAssignee(db, workspaceId, refs.assigneeId);
    if (!checked.ok) return checked;
  }
  if (refs.teamId) return checkTeam(db, workspaceId, refs.teamId);
  return ok(null);
}

/** Mentioned colleagues must be people of this workspace (another workspace's id is a missing one). */
export async function checkMentions(
  db: Executor,
  workspaceId: number,
  personIds: number[],
): Promise<Result<null>> {
  for (const personId of personIds) {
    if (!(await findPerson(db, workspaceId, personId)))
      return fail('PERSON_NOT_FOUND', 'A mentioned person is not a person of this workspace', { personId });
  }
  return ok(null);
}

/** The caller of a route, as the services see it. */
export const callerOf = (p: Principal): Caller => ({
  actor: { type: 'person', id: p.personId },
  personId: p.personId,
  canReassign: p.permissions.has('conversations.reassign'),
});
