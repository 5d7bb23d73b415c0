import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';

/** What the figures group matters by: its first conversation's agent, team and channel, or its reason. */
export const matterGroupings = ['workspace', 'agent', 'team', 'channel', 'reason'] as const;
export type MatterGrouping = (typeof matterGroupings)[number];

export type FigureRow = {
  key: string | null;
  name: string | null;
  /** Matters first contacted in the period, and those with 2 or more contacts (repeat-contact rate). */
  matters: number;
  repeated: number;
  /** Matters first solved in the period whose outcome is known, those solved at the first contact with no
   * further contact within 7 days (FCR), and those whose 7 days have not passed yet. */
  solved: number;
  firstContactResolved: number;
  pending: number;
};

const groupKey: Record<MatterGrouping, { key: ReturnType<typeof sql>; name: ReturnType<typeof sql> }> = {
  workspace: { key: sql`null::text`, name: sql`null::text` },
  agent: {
    key: sql`c.assignee_id::text`,
    name: sql`(select p.name from people p where p.workspace_id = c.workspace_id and p.id = c.assignee_id)`,
  },
  team: {
    key: sql`c.team_id::text`,
    name: sql`(select t.name from teams t where t.workspace_id = c.workspace_id and t.id = c.team_id)`,
  },
  channel: { key: sql`c.channel::text`, name: sql`c.channel::text` },
  reason: {
    key: sql`m.contact_reason_id::text`,
    name: sql`(select r.name from contact_reasons r where r.workspace_id = m.workspace_id and r.id = m.contact_reason_id)`,
  },
};

/**
 * First-contact resolution and repeat-contact rate for a period (PRODUCT.md), by `by`:
 * - repeat-contact rate: of the matters whose first contact is in [from, to), those with 2 or more contacts;
 * - FCR: of the matters first solved in [from, to), those solved after exactly one contact with no further
 *   contact within 7 days of that solve. A matter counts once its outcome is known: it took more than one
 *   contact, or the customer came back within the 7 days, or the 7 days have passed by `now`; until then
 *   it is `pending`.
 * Two range reads on the matters' first-contact and first-solved indexes.
 */
export async function matterFigures(
  db: Executor,
  workspaceId: number,
  period: { from: Date; to: Date },
  now: Date,
  by: MatterGrouping,
): Promise<FigureRow[]> {
  const g = groupKey[by];
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const week = sql`interval '7 days'`;
  const result = await db.execute(sql`
    with repeat as (
      select ${g.key} as key, min(${g.name}) as name, count(*)::int as matters,
        count(*) filter (where m.contact_count >= 2)::int as repeated
      from matters m
      join conversations c on c.workspace_id = m.workspace_id and c.id = m.first_conversation_id
      where m.workspace_id = ${workspaceId} and m.first_contact_at >= ${from} and m.first_contact_at < ${to}
      group by 1
    ), fcr as (
      select key, min(name) as name,
        count(*) filter (where known)::int as solved,
        count(*) filter (where known and resolved)::int as resolved,
        count(*) filter (where not known)::int as pending
      from (
        select ${g.key} as key, ${g.name} as name,
          (m.contacts_at_first_solve > 1
            or (m.first_repeat_at is not null and m.first_repeat_at <= m.first_solved_at + ${week})
            or m.first_solved_at + ${week} <= ${now.toISOString()}) as known,
          (m.contacts_at_first_solve = 1
            and (m.first_repeat_at is null or m.first_repeat_at > m.first_solved_at + ${week})) as resolved
        from matters m
        join conversations c on c.workspace_id = m.workspace_id and c.id = m.first_conversation_id
        where m.workspace_id = ${workspaceId} and m.first_solved_at >= ${from} and m.first_solved_at < ${to}
      ) x
      group by key
    )
    select coalesce(r.key, f.key) as key, coalesce(r.name, f.name) as name,
      coalesce(r.matters, 0) as matters, coalesce(r.repeated, 0) as repeated,
      coalesce(f.solved, 0) as solved, coalesce(f.resolved, 0) as resolved, coalesce(f.pending, 0) as pending
    from repeat r full join fcr f on coalesce(r.key, '-') = coalesce(f.key, '-')
    order by 3 desc, 1`);
  const rows = (
    result.rows as Array<{
      key: string | null;
      name: string | null;
      matters: number;
      repeated: number;
      solved: number;
      resolved: number;
      pending: number;
    }>
  ).map((r) => ({
    key: r.key,
    name: r.name,
    matters: Number(r.matters),
    repeated: Number(r.repeated),
    solved: Number(r.solved),
    firstContactResolved: Number(r.resolved),
    pending: Number(r.pending),
  }));
  if (by === 'workspace' && rows.length === 0)
    return [
      { key: null, name: null, matters: 0, repeated: 0, solved: 0, firstContactResolved: 0, pending: 0 },
    ];
  return rows;
}
