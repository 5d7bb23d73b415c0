import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';

export const amountGroupings = ['workspace', 'agent', 'team', 'reason'] as const;
export type AmountGrouping = (typeof amountGroupings)[number];

const keyOf: Record<AmountGrouping, ReturnType<typeof sql>> = {
  workspace: sql`null::text`,
  agent: sql`requested_by_id::text`,
  team: sql`team_id::text`,
  reason: sql`contact_reason_id::text`,
};

/** Amounts applied in [from, to) (by their applied time), by group and action, in minor units. */
export async function amountsGranted(
  db: Executor,
  workspaceId: number,
  period: { from: Date; to: Date },
  by: AmountGrouping,
) {
  const result = await db.execute(sql`
    select ${keyOf[by]} as key, kind, unit, currency, count(*)::int as grants, sum(amount)::bigint as amount,
      count(*) filter (where decided_by_id is null)::int as on_the_spot
    from resolutions
    where workspace_id = ${workspaceId} and status = 'applied'
      and applied_at >= ${period.from.toISOString()} and applied_at < ${period.to.toISOString()}
    group by 1, 2, 3, 4
    order by 1 nulls first, 2, 4`);
  return (
    result.rows as Array<{
      key: string | null;
      kind: string;
      unit: 'currency' | 'count';
      currency: string | null;
      grants: number;
      amount: string | number;
      on_the_spot: number;
    }>
  ).map((r) => ({
    key: r.key,
    kind: r.kind,
    unit: r.unit,
    currency: r.currency,
    grants: Number(r.grants),
    amount: Number(r.amount),
    onTheSpot: Number(r.on_the_spot),
  }));
}

export type PathFigures = {
  matters: number;
  /** Of the survey answers on the group's matters after the first grant: how many, and how many CSAT 4-5. */
  csatAnswers: number;
  csatSatisfied: number;
  /** Matters the customer contacted again after the first grant. */
  contactedAgain: number;
};

/**
 * Matters with a grant asked for in [from, to) (by the first one), in two groups: resolved on the spot (every
 * grant applied within the agent's own authority) or escalated for approval (any grant above it); and what
 * followed in each: the CSAT of later survey answers, and whether the customer contacted us again.
 */
export async function pathFigures(
  db: Executor,
  workspaceId: number,
  period: { from: Date; to: Date },
): Promise<{ onTheSpot: PathFigures; approval: PathFigures }> {
  const result = await db.execute(sql`
    with m as (
      select matter_id, min(created_at) as first_at,
        bool_and(status = 'applied' and decided_by_id is null) as on_the_spot
      from resolutions
      where workspace_id = ${workspaceId} and matter_id is not null
      group by matter_id
      having min(created_at) >= ${period.from.toISOString()} and min(created_at) < ${period.to.toISOString()}
    )
    select m.on_the_spot, count(*)::int as matters,
      coalesce(sum((select count(*) from survey_responses sr
        join conversation_matters cm on cm.workspace_id = sr.workspace_id and cm.conversation_id = sr.conversation_id
        where sr.workspace_id = ${workspaceId} and cm.matter_id = m.matter_id and sr.csat is not null
          and sr.answered_at >= m.first_at)), 0)::int as csat_answers,
      coalesce(sum((select count(*) from survey_responses sr
        join conversation_matters cm on cm.workspace_id = sr.workspace_id and cm.conversation_id = sr.conversation_id
        where sr.workspace_id = ${workspaceId} and cm.matter_id = m.matter_id and sr.csat >= 4
          and sr.answered_at >= m.first_at)), 0)::int as csat_satisfied,
      count(*) filter (where exists (select 1 from contacts c where c.workspace_id = ${workspaceId}
        and c.matter_id = m.matter_id and c.at > m.first_at))::int as contacted_again
    from m group by m.on_the_spot`);
  const empty = (): PathFigures => ({ matters: 0, csatAnswers: 0, csatSatisfied: 0, contactedAgain: 0 });
  const out = { onTheSpot: empty(), approval: empty() };
  for (const r of result.rows as Array<Record<string, number | boolean>>) {
    const target = r.on_the_spot ? out.onTheSpot : out.approval;
    target.matters = Number(r.matters);
    target.csatAnswers = Number(r.csat_answers);
    target.csatSatisfied = Number(r.csat_satisfied);
    target.contactedAgain = Number(r.contacted_again);
  }
  return out;
}
