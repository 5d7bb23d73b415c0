import type { Executor } from '../../db/index.js';
import { channels } from '../../db/schema/conversations.js';
import type { ChannelCapacity, RoutingMode } from '../../db/schema/routing.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { openWorkload } from '../conversations/index.js';
import { findTeam, teamMembersForRouting } from '../people/index.js';
import { findTeamRouting, memberCapacities, setMemberCapacity, upsertTeamRouting } from './routing.repo.js';

/** The channels in their fixed order, limits only: two equal capacities compare equal. */
export const normalCapacity = (capacity: ChannelCapacity): ChannelCapacity =>
  Object.fromEntries(
    channels.filter((ch) => capacity[ch] !== undefined).map((ch) => [ch, capacity[ch]]),
  ) as ChannelCapacity;

export type TeamRoutingView = {
  teamId: number;
  mode: RoutingMode;
  capacity: ChannelCapacity;
  members: Array<{
    personId: number;
    name: string;
    availability: 'online' | 'away' | 'offline';
    /** The member's own capacity over the team's (empty: the team's applies). */
    capacity: ChannelCapacity;
    /** Open conversations assigned to them now, all teams and channels. */
    openConversations: number;
  }>;
};

export async function teamRoutingView(
  db: Executor,
  workspaceId: number,
  teamId: number,
): Promise<Result<TeamRoutingView>> {
  if (!(await findTeam(db, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
  const rule = await findTeamRouting(db, workspaceId, teamId);
  const members = await teamMembersForRouting(db, workspaceId, teamId);
  const overrides = await memberCapacities(db, workspaceId, teamId);
  const load = new Map<number, number>();
  for (const w of await openWorkload(
    db,
    workspaceId,
    members.map((m) => m.personId),
  ))
    load.set(w.personId, (load.get(w.personId) ?? 0) + w.open);
  return ok({
    teamId,
    mode: rule?.mode ?? 'manual',
    capacity: normalCapacity(rule?.capacity ?? {}),
    members: members.map((m) => ({
      personId: m.personId,
      name: m.name,
      availability: m.availability,
      capacity: normalCapacity(overrides.get(m.personId) ?? {}),
      openConversations: load.get(m.personId) ?? 0,
    })),
  });
}

const routingEvent = (
  workspaceId: number,
  teamId: number,
  actor: Actor,
  data: Record<string, unknown>,
  at: Date,
) => ({
  workspaceId,
  type: 'team.routing_changed',
  entityType: 'team',
  entityId: teamId,
  actor,
  data,
  at,
});

/** Changes a team's rule and default capacity; records `team.routing_changed`, which sweeps the queue. */
export async function changeTeamRouting(
  deps: Deps,
  workspaceId: number,
  teamId: number,
  actor: Actor,
  input: { mode?: RoutingMode; capacity?: ChannelCapacity },
): Promise<Result<TeamRoutingView>> {
  const changed = await inTransaction(deps.db, async (tx) => {
    if (!(await findTeam(tx, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
    const before = await findTeamRouting(tx, workspaceId, teamId);
    const was = { mode: before?.mode ?? 'manual', capacity: normalCapacity(before?.capacity ?? {}) };
    const now = deps.clock.now();
    const after = await upsertTeamRouting(tx, {
      workspaceId,
      teamId,
      mode: input.mode ?? was.mode,
      capacity: input.capacity ? normalCapacity(input.capacity) : was.capacity,
      updatedAt: now,
    });
    const is = { mode: after.mode, capacity: normalCapacity(after.capacity) };
    if (JSON.stringify(was) !== JSON.stringify(is))
      await recordEvent(tx, routingEvent(workspaceId, teamId, actor, { before: was, after: is }, now));
    return ok(null);
  });
  return changed.ok ? teamRoutingView(deps.db, workspaceId, teamId) : changed;
}

/** A member's own capacity in a team (empty: the team's applies). The person must be a member. */
export async function changeMemberCapacity(
  deps: Deps,
  workspaceId: number,
  teamId: number,
  personId: number,
  actor: Actor,
  capacity: ChannelCapacity,
): Promise<Result<TeamRoutingView>> {
  const changed = await inTransaction(deps.db, async (tx) => {
    if (!(await findTeam(tx, workspaceId, teamId))) return fail('TEAM_NOT_FOUND', 'Team not found');
    const members = await teamMembersForRouting(tx, workspaceId, teamId);
    if (!members.some((m) => m.personId === personId))
      return fail('PERSON_NOT_FOUND', 'The person is not a member of this team', { personId });
    const before = normalCapacity((await memberCapacities(tx, workspaceId, teamId)).get(personId) ?? {});
    capacity = normalCapacity(capacity);
    if (JSON.stringify(before) === JSON.stringify(capacity)) return ok(null);
    const now = deps.clock.now();
    await setMemberCapacity(tx, workspaceId, teamId, personId, capacity, now);
    await recordEvent(
      tx,
      routingEvent(
        workspaceId,
        teamId,
        actor,
        { personId, before: { capacity: before }, after: { capacity } },
        now,
      ),
    );
    return ok(null);
  });
  return changed.ok ? teamRoutingView(deps.db, workspaceId, teamId) : changed;
}
