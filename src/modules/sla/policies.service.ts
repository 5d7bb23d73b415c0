import type { Executor } from '../../db/index.js';
import type { SlaBreachActions, SlaConditions } from '../../db/schema/sla.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { findTeam } from '../people/index.js';
import { requestRecompute } from './recompute.job.js';
import {
  deletePolicy,
  findPolicy,
  insertPolicy,
  listPolicies,
  nextPosition,
  type SlaPolicy,
  setPositions,
  updatePolicy,
} from './sla.repo.js';

export type PolicyInput = {
  name: string;
  conditions?: SlaConditions;
  firstResponseMinutes?: number | null;
  nextResponseMinutes?: number | null;
  resolutionMinutes?: number | null;
  businessHours?: boolean;
  pauseOnHold?: boolean;
  warnPercent?: number;
  breachActions?: SlaBreachActions;
};

const notFound = () => fail('SLA_POLICY_NOT_FOUND', 'SLA policy not found');

/** Teams named in the conditions must be this workspace's (another workspace's id is "not found"). */
async function checkTeams(
  db: Executor,
  workspaceId: number,
  conditions?: SlaConditions,
): Promise<Result<null>> {
  for (const teamId of conditions?.teamIds ?? []) {
    if (!(await findTeam(db, workspaceId, teamId)))
      return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId });
  }
  return ok(null);
}

function targetsProblem(
  p: Pick<SlaPolicy, 'firstResponseMinutes' | 'nextResponseMinutes' | 'resolutionMinutes'>,
) {
  if (p.firstResponseMinutes === null && p.nextResponseMinutes === null && p.resolutionMinutes === null)
    return fail(
      'VALIDATION_FAILED',
      'A policy needs at least one target (first response, next response or resolution)',
    );
  return ok(null);
}

async function record(
  db: Executor,
  workspaceId: number,
  actor: Actor,
  type: string,
  policy: SlaPolicy,
  at: Date,
) {
  await recordEvent(db, {
    workspaceId,
    type,
    entityType: 'sla_policy',
    entityId: policy.id,
    actor,
    data: { name: policy.name },
    at,
  });
}

/** A new policy, tried after the existing ones. */
export async function createPolicy(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: PolicyInput,
): Promise<Result<SlaPolicy>> {
  return inTransaction(deps.db, async (tx) => {
    const teams = await checkTeams(tx, workspaceId, input.conditions);
    if (!teams.ok) return teams;
    const values = {
      firstResponseMinutes: input.firstResponseMinutes ?? null,
      nextResponseMinutes: input.nextResponseMinutes ?? null,
      resolutionMinutes: input.resolutionMinutes ?? null,
    };
    const problem = targetsProblem(values);
    if (!problem.ok) return problem;
    const now = deps.clock.now();
    const policy = await insertPolicy(tx, {
      workspaceId,
      name: input.name,
      position: await nextPosition(tx, workspaceId),
      conditions: input.conditions ?? {},
      ...values,
      businessHours: input.businessHours ?? true,
      pauseOnHold: input.pauseOnHold ?? true,
      warnPercent: input.warnPercent ?? 75,
      breachActions: input.breachActions ?? {},
      createdAt: now,
      updatedAt: now,
    });
    await record(tx, workspaceId, actor, 'sla_policy.created', policy, now);
    await requestRecompute(tx, workspaceId, now);
    return ok(policy);
  });
}

export async function changePolicy(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  id: number,
  input: Partial<PolicyInput>,
): Promise<Result<SlaPolicy>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findPolicy(tx, workspaceId, id);
    if (!before) return notFound();
    const teams = await checkTeams(tx, workspaceId, input.conditions);
    if (!teams.ok) return teams;
    const problem = targetsProblem({ ...before, ...input } as SlaPolicy);
    if (!problem.ok) return problem;
    const now = deps.clock.now();
    const after = await updatePolicy(tx, workspaceId, id, { ...input, updatedAt: now });
    if (!after) return notFound();
    await record(tx, workspaceId, actor, 'sla_policy.updated', after, now);
    await requestRecompute(tx, workspaceId, now);
    return ok(after);
  });
}

export async function removePolicy(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  id: number,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const policy = await findPolicy(tx, workspaceId, id);
    if (!policy) return notFound();
    await deletePolicy(tx, workspaceId, id);
    await record(tx, workspaceId, actor, 'sla_policy.deleted', policy, deps.clock.now());
    await requestRecompute(tx, workspaceId, deps.clock.now());
    return ok(null);
  });
}

/**
 * Sets the order policies are tried in: the listed ones first, in that order, then the others in the order
 * they had (so a list made before someone added a policy still means what it said).
 */
export async function reorderPolicies(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  ids: number[],
): Promise<Result<SlaPolicy[]>> {
  return inTransaction(deps.db, async (tx) => {
    if (new Set(ids).size !== ids.length) return fail('VALIDATION_FAILED', 'A policy is listed twice');
    const existing = await listPolicies(tx, workspaceId);
    const known = new Set(existing.map((p) => p.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) return fail('SLA_POLICY_NOT_FOUND', 'SLA policy not found', { ids: unknown });
    const order = [...ids, ...existing.map((p) => p.id).filter((id) => !ids.includes(id))];
    const now = deps.clock.now();
    await setPositions(tx, workspaceId, order, now);
    await recordEvent(tx, {
      workspaceId,
      type: 'sla_policy.reordered',
      entityType: 'workspace',
      entityId: workspaceId,
      actor,
      data: { ids: order },
      at: now,
    });
    await requestRecompute(tx, workspaceId, now);
    return ok(await listPolicies(tx, workspaceId));
  });
}
