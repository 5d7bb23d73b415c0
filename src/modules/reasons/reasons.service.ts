import type { Executor } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  deleteUnlessReferenced,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  pgErrorCode,
  type Result,
  recordEvents,
  UNIQUE_VIOLATION,
} from '../../platform/index.js';
import { findDepartment } from './departments.repo.js';
import {
  type ContactReason,
  type ContactReasonFields,
  deleteReason,
  findReason,
  insertReason,
  listReasons,
  MAX_REASONS,
  savedViewsFilterOn,
  updateReason,
} from './reasons.repo.js';
import { moveProblem, nameProblem } from './taxonomy.js';

export type ReasonInput = Partial<ContactReasonFields>;

export const reasonFields = (r: ContactReason): ContactReasonFields => ({
  name: r.name,
  description: r.description,
  parentId: r.parentId,
  departmentId: r.departmentId,
  avoidable: r.avoidable,
  status: r.status,
});

/** The events of one change: `contact_reason.updated` with what changed, plus archived / restored. */
export function reasonEvents(
  workspaceId: number,
  actor: Actor,
  before: ContactReason | null,
  after: ContactReason,
  at: Date,
  extra: Record<string, unknown> = {},
): NewEvent[] {
  const base = { workspaceId, entityType: 'contact_reason', entityId: after.id, actor, at };
  if (!before)
    return [{ ...base, type: 'contact_reason.created', data: { after: reasonFields(after), ...extra } }];
  const [b, a] = [reasonFields(before), reasonFields(after)];
  const keys = (Object.keys(a) as Array<keyof ContactReasonFields>).filter((k) => a[k] !== b[k]);
  if (keys.length === 0) return [];
  const events: NewEvent[] = [
    {
      ...base,
      type: 'contact_reason.updated',
      data: {
        before: Object.fromEntries(keys.map((k) => [k, b[k]])),
        after: Object.fromEntries(keys.map((k) => [k, a[k]])),
        ...extra,
      },
    },
  ];
  if (a.status !== b.status)
    events.push({
      ...base,
      type: a.status === 'archived' ? 'contact_reason.archived' : 'contact_reason.restored',
      data: { ...extra },
    });
  return events;
}

async function checkPlacement(
  tx: Executor,
  workspaceId: number,
  id: number | null,
  fields: { parentId: number | null; departmentId: number | null },
): Promise<Result<null>> {
  if (fields.departmentId !== null && !(await findDepartment(tx, workspaceId, fields.departmentId)))
    return fail('DEPARTMENT_NOT_FOUND', 'The department is not a department of this workspace', {
      departmentId: fields.departmentId,
    });
  if (fields.parentId === null) return ok(null);
  const all = await listReasons(tx, workspaceId);
  if (!all.some((r) => r.id === fields.parentId))
    return fail('CONTACT_REASON_NOT_FOUND', 'The parent is not a contact reason of this workspace', {
      parentId: fields.parentId,
    });
  const problem = moveProblem(all, id, fields.parentId);
  return problem ? fail('INVALID_PARENT', `Cannot place the reason there: ${problem}`) : ok(null);
}

export async function createReason(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: ReasonInput & { name: string },
): Promise<Result<ContactReason>> {
  const problem = nameProblem(input.name);
  if (problem) return fail('VALIDATION_FAILED', `The name is not valid: ${problem}`);
  return inTransaction(deps.db, async (tx) => {
    const fields: ContactReasonFields = {
      name: input.name,
      description: input.description ?? '',
      parentId: input.parentId ?? null,
      departmentId: input.departmentId ?? null,
      avoidable: input.avoidable ?? false,
      status: input.status ?? 'active',
    };
    const placed = await checkPlacement(tx, workspaceId, null, fields);
    if (!placed.ok) return placed;
    if ((await listReasons(tx, workspaceId)).length >= MAX_REASONS)
      return fail('VALIDATION_FAILED', `A workspace has at most ${MAX_REASONS} contact reasons`);
    const now = deps.clock.now();
    const row = await insertReason(tx, {
      workspaceId,
      ...fields,
      createdAt: now,
      updatedAt: now,
      archivedAt: fields.status === 'archived' ? now : null,
    });
    if (!row)
      return fail(
        'CONTACT_REASON_NAME_TAKEN',
        `"${input.name}" exists already at that place in the taxonomy`,
      );
    await recordEvents(tx, reasonEvents(workspaceId, actor, null, row, now));
    return ok(row);
  });
}

export async function changeReason(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  input: ReasonInput,
): Promise<Result<ContactReason>> {
  if (input.name !== undefined) {
    const problem = nameProblem(input.name);
    if (problem) return fail('VALIDATION_FAILED', `The name is not valid: ${problem}`);
  }
  return inTransaction(deps.db, async (tx) => {
    const before = await findReason(tx, workspaceId, id);
    if (!before) return fail('CONTACT_REASON_NOT_FOUND', 'Contact reason not found');
    const next: ContactReasonFields = { ...reasonFields(before) };
    for (const [k, v] of Object.entries(input)) if (v !== undefined) Object.assign(next, { [k]: v });
    if (next.parentId !== before.parentId || next.departmentId !== before.departmentId) {
      const placed = await checkPlacement(tx, workspaceId, id, next);
      if (!placed.ok) return placed;
    }
    const now = deps.clock.now();
    if (reasonEvents(workspaceId, actor, before, { ...before, ...next }, now).length === 0) return ok(before);
    let after: ContactReason | undefined;
    try {
      after = await updateReason(tx, workspaceId, id, {
        ...next,
        updatedAt: now,
        archivedAt:
          next.status === before.status ? before.archivedAt : next.status === 'archived' ? now : null,
      });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION)
        return fail(
          'CONTACT_REASON_NAME_TAKEN',
          `"${next.name}" exists already at that place in the taxonomy`,
        );
      throw err;
    }
    if (!after) return fail('CONTACT_REASON_NOT_FOUND', 'Contact reason not found');
    await recordEvents(tx, reasonEvents(workspaceId, actor, before, after, now));
    return ok(after);
  });
}

/** Only a reason nothing refers to (no conversation, sub-reason or saved view) can be deleted; archive the others. */
export async function removeReason(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findReason(tx, workspaceId, id);
    if (!before) return fail('CONTACT_REASON_NOT_FOUND', 'Contact reason not found');
    if (await savedViewsFilterOn(tx, workspaceId, id))
      return fail(
        'CONTACT_REASON_IN_USE',
        'A saved inbox view filters on this reason: archive it instead (the view keeps working)',
      );
    const deleted = await deleteUnlessReferenced(
      () => deleteReason(tx, workspaceId, id),
      fail(
        'CONTACT_REASON_IN_USE',
        'Conversations or sub-reasons refer to this reason: archive it instead (it stays in reports)',
      ),
    );
    if (!deleted.ok) return deleted;
    await recordEvents(tx, [
      {
        workspaceId,
        type: 'contact_reason.deleted',
        entityType: 'contact_reason',
        entityId: id,
        actor,
        data: { before: reasonFields(before) },
        at: deps.clock.now(),
      },
    ]);
    return ok(null);
  });
}

/**
 * For other modules: a reason that may be set on a conversation now. Archived reasons stay on the
 * conversations that have them, but can't be newly chosen.
 */
export async function usableContactReason(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Result<ContactReason>> {
  const reason = await findReason(db, workspaceId, id);
  if (!reason)
    return fail('CONTACT_REASON_NOT_FOUND', 'The contact reason is not one of this workspace', {
      contactReasonId: id,
    });
  if (reason.status === 'archived')
    return fail('CONTACT_REASON_ARCHIVED', `The contact reason "${reason.name}" is archived`, {
      contactReasonId: id,
    });
  return ok(reason);
}
