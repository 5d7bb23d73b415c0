import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { SavedViewFilters } from '../../db/schema/saved-views.js';
import { type Deps, fail, ok, type Principal, type Result } from '../../platform/index.js';
import { findPerson, findTeam } from '../people/index.js';
import { findReason } from '../reasons/index.js';
import type { ConversationFilter } from './inbox-list.repo.js';
import type { InboxSort } from './inbox-sorts.js';

export type SavedView = typeof schema.savedViews.$inferSelect;
export type SavedViewInput = {
  name: string;
  filters: SavedViewFilters;
  sort?: InboxSort;
  position?: number;
  shared?: boolean;
};
const v = schema.savedViews;

/** The most views one person sees (their own and the shared ones): a navigation list, not a database. */
export const SAVED_VIEW_LIMIT = 50;

/** The saved views a person sees: the workspace's shared ones, then their own, each by position and name. */
export async function listSavedViews(
  db: Executor,
  workspaceId: number,
  personId: number,
): Promise<SavedView[]> {
  return db
    .select()
    .from(v)
    .where(and(eq(v.workspaceId, workspaceId), or(isNull(v.ownerId), eq(v.ownerId, personId))))
    .orderBy(asc(v.position), asc(v.name), asc(v.id))
    .limit(SAVED_VIEW_LIMIT * 2);
}

async function findVisible(db: Executor, p: Principal, id: number): Promise<SavedView | undefined> {
  const [row] = await db
    .select()
    .from(v)
    .where(
      and(eq(v.workspaceId, p.workspaceId), eq(v.id, id), or(isNull(v.ownerId), eq(v.ownerId, p.personId))),
    );
  return row;
}

/** A view's filters as a list filter for the person opening it (`me`: them; `mine`: their teams). */
export function viewFilter(filters: SavedViewFilters, me: number, myTeams: number[]): ConversationFilter {
  const { statuses, priority, teamId, assigneeId, channel, tag, tier, contactReasonId, distressed } = filters;
  return {
    statuses,
    priority,
    channel,
    tag,
    tier,
    contactReasonId,
    distressed,
    ...(assigneeId !== undefined && { assigneeId: assigneeId === 'me' ? me : assigneeId }),
    ...(teamId === 'mine' ? { teamIds: myTeams } : teamId !== undefined ? { teamId } : {}),
  };
}

async function problems(deps: Deps, workspaceId: number, filters: SavedViewFilters | undefined) {
  const found: string[] = [];
  if (typeof filters?.teamId === 'number' && !(await findTeam(deps.db, workspaceId, filters.teamId)))
    found.push(`team ${filters.teamId} does not exist`);
  if (
    typeof filters?.assigneeId === 'number' &&
    !(await findPerson(deps.db, workspaceId, filters.assigneeId))
  )
    found.push(`person ${filters.assigneeId} does not exist`);
  if (
    typeof filters?.contactReasonId === 'number' &&
    !(await findReason(deps.db, workspaceId, filters.contactReasonId))
  )
    found.push(`contact reason ${filters.contactReasonId} does not exist`);
  return found;
}

const invalid = (found: string[]) =>
  fail('INVALID_VIEW', `The view cannot be saved: ${found.join('; ')}`, { problems: found });

/** Shared views are the workspace's: only those with `views.admin` create, change or delete them. */
function mayChange(p: Principal, view: { ownerId: number | null }): boolean {
  return view.ownerId === null ? p.permissions.has('views.admin') : view.ownerId === p.personId;
}

export async function createSavedView(
  deps: Deps,
  p: Principal,
  input: SavedViewInput,
): Promise<Result<SavedView>> {
  if (input.shared && !p.permissions.has('views.admin'))
    return fail('FORBIDDEN', 'Only leads and admins keep the shared views; save it as your own instead');
  const found = await problems(deps, p.workspaceId, input.filters);
  if (found.length) return invalid(found);
  const mine = await listSavedViews(deps.db, p.workspaceId, p.personId);
  if (mine.filter((m) => m.ownerId === (input.shared ? null : p.personId)).length >= SAVED_VIEW_LIMIT)
    return fail('INVALID_VIEW', `There can be at most ${SAVED_VIEW_LIMIT} views; delete one first`);
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(v)
    .values({
      workspaceId: p.workspaceId,
      name: input.name,
      filters: input.filters,
      sort: input.sort ?? 'newest',
      position: input.position ?? 0,
      ownerId: input.shared ? null : p.personId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return ok(row!);
}

export async function changeSavedView(
  deps: Deps,
  p: Principal,
  id: number,
  input: Partial<SavedViewInput>,
): Promise<Result<SavedView>> {
  const before = await findVisible(deps.db, p, id);
  if (!before) return fail('VIEW_NOT_FOUND', 'View not found');
  if (!mayChange(p, before) || (input.shared === true && !p.permissions.has('views.admin')))
    return fail('FORBIDDEN', 'Only leads and admins change the shared views');
  const found = await problems(deps, p.workspaceId, input.filters);
  if (found.length) return invalid(found);
  const [row] = await deps.db
    .update(v)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.filters !== undefined && { filters: input.filters }),
      ...(input.sort !== undefined && { sort: input.sort }),
      ...(input.position !== undefined && { position: input.position }),
      ...(input.shared !== undefined && { ownerId: input.shared ? null : (before.ownerId ?? p.personId) }),
      updatedAt: deps.clock.now(),
    })
    .where(and(eq(v.workspaceId, p.workspaceId), eq(v.id, id)))
    .returning();
  return ok(row!);
}

export async function removeSavedView(deps: Deps, p: Principal, id: number): Promise<Result<null>> {
  const before = await findVisible(deps.db, p, id);
  if (!before) return fail('VIEW_NOT_FOUND', 'View not found');
  if (!mayChange(p, before)) return fail('FORBIDDEN', 'Only leads and admins delete the shared views');
  await deps.db.delete(v).where(and(eq(v.workspaceId, p.workspaceId), eq(v.id, id)));
  return ok(null);
}
