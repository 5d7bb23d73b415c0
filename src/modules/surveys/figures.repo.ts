import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';

export const figureGroups = ['agent', 'team', 'channel'] as const;
export type FigureGroup = (typeof figureGroups)[number];
const groupColumn: Record<FigureGroup, string> = { agent: 'agent_id', team: 'team_id', channel: 'channel' };

export type FigureRow = {
  key: number | string | null;
  csatCount: number;
  csatSatisfied: number;
  csat: number | null;
  cesCount: number;
  ces: number | null;
  npsCount: number;
  promoters: number;
  detractors: number;
  nps: number | null;
};

/**
 * CSAT, CES and NPS of the answers given in [from, to), overall or by agent, team or channel, computed in SQL
 * with the definitions of PRODUCT.md (see rules.ts): CSAT = % of 4-5 among 1-5 answers; CES = mean of 1-7;
 * NPS = % 9-10 minus % 0-6 among 0-10 answers. Rounded to two decimals; null when nobody answered.
 */
export async function surveyFigures(
  db: Executor,
  workspaceId: number,
  from: Date,
  to: Date,
  by?: FigureGroup,
): Promise<FigureRow[]> {
  const key = by ? sql.raw(groupColumn[by]) : sql`null`;
  const result = await db.execute(sql`
    select ${key} as key,
      count(csat)::int as csat_count,
      (count(*) filter (where csat >= 4))::int as csat_satisfied,
      round(100.0 * count(*) filter (where csat >= 4) / nullif(count(csat), 0), 2)::float8 as csat,
      count(ces)::int as ces_count,
      round(avg(ces)::numeric, 2)::float8 as ces,
      count(nps)::int as nps_count,
      (count(*) filter (where nps >= 9))::int as promoters,
      (count(*) filter (where nps <= 6))::int as detractors,
      round(100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / nullif(count(nps), 0), 2)::float8 as nps
    from survey_responses
    where workspace_id = ${workspaceId} and answered_at >= ${from.toISOString()} and answered_at < ${to.toISOString()}
    ${by ? sql`group by ${key} order by ${key} nulls last` : sql``}`);
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    key: r.key === null || r.key === undefined ? null : by === 'channel' ? String(r.key) : Number(r.key),
    csatCount: Number(r.csat_count),
    csatSatisfied: Number(r.csat_satisfied),
    csat: r.csat === null ? null : Number(r.csat),
    cesCount: Number(r.ces_count),
    ces: r.ces === null ? null : Number(r.ces),
    npsCount: Number(r.nps_count),
    promoters: Number(r.promoters),
    detractors: Number(r.detractors),
    nps: r.nps === null ? null : Number(r.nps),
  }));
}
