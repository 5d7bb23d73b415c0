import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/index.js';
import { systemActor, unwrap } from '../../platform/index.js';
import { CSV_COLUMNS, importTaxonomy, listReasons } from '../reasons/index.js';
import { reasonCatalogue } from './reasons.js';

/** `card_arrival` → `Card arrival`. */
const humanize = (intent: string) => {
  const words = intent.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The demo company's taxonomy as the CSV an admin would import: a group per department, a reason per intent. */
export function demoTaxonomyCsv(): string {
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const r of reasonCatalogue) {
    const path = `${r.department} > ${humanize(r.intent)}`;
    if (seen.has(path.toLowerCase())) continue;
    seen.add(path.toLowerCase());
    rows.push([
      '',
      path,
      `Customers write: "${r.subject}"`,
      r.department,
      r.avoidable ? 'yes' : 'no',
      'active',
    ]);
  }
  return stringify([[...CSV_COLUMNS], ...rows]);
}

/**
 * Gives a demo workspace the taxonomy its generated conversations were drawn from (through the same import
 * an admin uses), and codes the reason of every solved or closed conversation the way its agent would have:
 * the generator's ground truth, set by the assignee when the conversation was solved. Open work stays uncoded.
 */
export async function seedDemoTaxonomy(
  deps: Deps,
  workspaceId: number,
): Promise<{ reasons: number; coded: number }> {
  unwrap(await importTaxonomy(deps, workspaceId, systemActor, demoTaxonomyCsv(), false));
  const reasons = await listReasons(deps.db, workspaceId);
  const groups = new Map(reasons.filter((r) => r.parentId === null).map((r) => [r.id, r.name.toLowerCase()]));
  const idByPath = new Map(
    reasons
      .filter((r) => r.parentId !== null)
      .map((r) => [`${groups.get(r.parentId as number)} > ${r.name.toLowerCase()}`, r.id]),
  );
  const pairs = reasonCatalogue
    .map((r) => [r.key, idByPath.get(`${r.department} > ${humanize(r.intent)}`.toLowerCase())] as const)
    .filter((pair): pair is readonly [string, number] => pair[1] !== undefined);
  if (pairs.length === 0) return { reasons: reasons.length, coded: 0 };
  const keys = sql.join(
    pairs.map(([key, id]) => sql`(${key}, ${id}::bigint)`),
    sql`, `,
  );
  const result = await deps.db.execute(sql`
    update conversations c
    set contact_reason_id = m.reason_id, contact_reason_source = 'agent',
      contact_reason_set_by_id = c.assignee_id, contact_reason_set_at = coalesce(c.solved_at, c.closed_at)
    from generated_truth t, (values ${keys}) as m(reason_key, reason_id)
    where c.workspace_id = ${workspaceId} and t.workspace_id = c.workspace_id and t.conversation_id = c.id
      and t.reason_key = m.reason_key and c.status in ('solved', 'closed') and c.assignee_id is not null
      and c.contact_reason_id is null and not c.contact_reason_none_fits`);
  return {
    reasons: reasons.length,
    coded: result.rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0,
  };
}
