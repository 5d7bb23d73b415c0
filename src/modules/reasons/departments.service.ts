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
import {
  type Department,
  deleteDepartment,
  findDepartment,
  insertDepartment,
  updateDepartment,
} from './departments.repo.js';

const pick = (d: Department) => ({ name: d.name, description: d.description });
const event = (workspaceId: number, id: number, actor: Actor, type: string, data: object, at: Date) => ({
  workspaceId,
  type,
  entityType: 'department',
  entityId: id,
  actor,
  data: data as Record<string, unknown>,
  at,
});

export async function createDepartment(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: { name: string; description?: string },
): Promise<Result<Department>> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const row = await insertDepartment(tx, {
      workspaceId,
      name: input.name,
      description: input.description ?? '',
      createdAt: now,
      updatedAt: now,
    });
    if (!row) return fail('DEPARTMENT_NAME_TAKEN', `A department named ${input.name} exists already`);
    await recordEvent(tx, event(workspaceId, row.id, actor, 'department.created', { after: pick(row) }, now));
    return ok(row);
  });
}

export async function changeDepartment(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  input: { name?: string; description?: string },
): Promise<Result<Department>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findDepartment(tx, workspaceId, id);
    if (!before) return fail('DEPARTMENT_NOT_FOUND', 'Department not found');
    const next = { name: input.name ?? before.name, description: input.description ?? before.description };
    if (next.name === before.name && next.description === before.description) return ok(before);
    const now = deps.clock.now();
    let after: Department | undefined;
    try {
      after = await updateDepartment(tx, workspaceId, id, { ...next, updatedAt: now });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION)
        return fail('DEPARTMENT_NAME_TAKEN', `A department named ${next.name} exists already`);
      throw err;
    }
    if (!after) return fail('DEPARTMENT_NOT_FOUND', 'Department not found');
    await recordEvent(
      tx,
      event(workspaceId, id, actor, 'department.updated', { before: pick(before), after: pick(after) }, now),
    );
    return ok(after);
  });
}

/** A department that owns contact reasons stays: give the reasons another owner first. */
export async function removeDepartment(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findDepartment(tx, workspaceId, id);
    if (!before) return fail('DEPARTMENT_NOT_FOUND', 'Department not found');
    const deleted = await deleteUnlessReferenced(
      () => deleteDepartment(tx, workspaceId, id),
      fail('DEPARTMENT_IN_USE', 'Contact reasons belong to this department: give them another owner first'),
    );
    if (!deleted.ok) return deleted;
    await recordEvent(
      tx,
      event(workspaceId, id, actor, 'department.deleted', { before: pick(before) }, deps.clock.now()),
    );
    return ok(null);
  });
}
