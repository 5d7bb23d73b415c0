import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  type Result,
  recordEvents,
} from '../../platform/index.js';
import { insertDepartment, listDepartments } from './departments.repo.js';
import { insertReason, listReasons, MAX_REASONS, updateReason } from './reasons.repo.js';
import { reasonEvents } from './reasons.service.js';
import { type ImportAction, parseTaxonomyCsv, planImport } from './reasons-csv.js';
import { byId, joinPath, pathKey, pathOf } from './taxonomy.js';

export type ImportSummary = {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  departmentsCreated: string[];
  rows: Array<{ row: number | null; path: string; outcome: 'created' | 'updated' | 'unchanged' }>;
};

const outcome = (a: ImportAction): ImportSummary['rows'][number]['outcome'] =>
  a.kind === 'create' ? 'created' : a.kind === 'update' ? 'updated' : 'unchanged';

function summarise(actions: ImportAction[], departments: string[], dryRun: boolean): ImportSummary {
  return {
    dryRun,
    created: actions.filter((a) => a.kind === 'create').length,
    updated: actions.filter((a) => a.kind === 'update').length,
    unchanged: actions.filter((a) => a.kind === 'unchanged').length,
    departmentsCreated: departments,
    rows: actions
      .map((a) => ({ row: a.row, path: joinPath(a.names), outcome: outcome(a) }))
      .sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
  };
}

/**
 * Imports the taxonomy from CSV (see reasons-csv.ts for the columns), all or nothing: every row is checked
 * first, and one bad row changes nothing (422 with every bad row's number). Importing the same file twice
 * changes nothing the second time. `dryRun` reports what would happen.
 */
export async function importTaxonomy(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  csv: string,
  dryRun: boolean,
): Promise<Result<ImportSummary>> {
  const parsed = parseTaxonomyCsv(csv);
  if (!parsed.ok) return fail('CSV_INVALID', parsed.message, parsed.details);
  return inTransaction(deps.db, async (tx) => {
    const [reasons, departments] = await Promise.all([
      listReasons(tx, workspaceId),
      listDepartments(tx, workspaceId),
    ]);
    const plan = planImport(reasons, departments, parsed);
    if (plan.errors.length > 0)
      return fail(
        'CSV_ROWS_INVALID',
        `${plan.errors.length} row${plan.errors.length === 1 ? '' : 's'} of the file are not valid; nothing was imported`,
        { errors: plan.errors.slice(0, 200) },
      );
    const creates = plan.actions.filter((a) => a.kind === 'create').length;
    if (reasons.length + creates > MAX_REASONS)
      return fail('CSV_ROWS_INVALID', `A workspace has at most ${MAX_REASONS} contact reasons`, {
        errors: [],
      });
    if (dryRun) return ok(summarise(plan.actions, plan.departments, true));

    const now = deps.clock.now();
    const extra = { source: 'csv_import' };
    const events: NewEvent[] = [];
    const departmentIds = new Map<string, number>();
    for (const name of plan.departments) {
      const d = await insertDepartment(tx, {
        workspaceId,
        name,
        description: '',
        createdAt: now,
        updatedAt: now,
      });
      if (!d) throw new Error(`department ${name} appeared during the import`);
      departmentIds.set(name.toLowerCase(), d.id);
      events.push({
        workspaceId,
        type: 'department.created',
        entityType: 'department',
        entityId: d.id,
        actor,
        data: { after: { name, description: '' }, ...extra },
        at: now,
      });
    }
    const ids = new Map<string, number>();
    const index = byId(reasons);
    for (const r of reasons) ids.set(pathKey(pathOf(index, r.id)), r.id);
    const byIdNow = new Map(reasons.map((r) => [r.id, r]));
    const department = (a: { newDepartment?: string }) =>
      a.newDepartment === undefined
        ? {}
        : { departmentId: departmentIds.get(a.newDepartment.toLowerCase())! };

    for (const a of plan.actions) {
      if (a.kind === 'unchanged') continue;
      if (a.kind === 'create') {
        const parentId = a.names.length === 1 ? null : ids.get(pathKey(a.names.slice(0, -1)))!;
        const row = await insertReason(tx, {
          workspaceId,
          ...a.fields,
          ...department(a),
          parentId,
          createdAt: now,
          updatedAt: now,
          archivedAt: a.fields.status === 'archived' ? now : null,
        });
        if (!row) throw new Error(`contact reason ${joinPath(a.names)} appeared during the import`);
        ids.set(pathKey(a.names), row.id);
        events.push(...reasonEvents(workspaceId, actor, null, row, now, extra));
        continue;
      }
      const before = byIdNow.get(a.id)!;
      const patch = { ...a.patch, ...department(a) };
      const after = await updateReason(tx, workspaceId, a.id, {
        ...patch,
        updatedAt: now,
        archivedAt: patch.status === undefined ? before.archivedAt : patch.status === 'archived' ? now : null,
      });
      if (!after) throw new Error(`contact reason ${a.id} vanished during the import`);
      events.push(...reasonEvents(workspaceId, actor, before, after, now, extra));
    }
    await recordEvents(tx, events);
    return ok(summarise(plan.actions, plan.departments, false));
  });
}
