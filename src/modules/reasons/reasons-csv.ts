import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ContactReasonStatus } from '../../db/schema/reasons.js';
import type { Department } from './departments.repo.js';
import type { ContactReason, ContactReasonFields } from './reasons.repo.js';
import { byId, joinPath, MAX_DEPTH, nameProblem, pathKey, pathOf, splitPath } from './taxonomy.js';

/**
 * The taxonomy as CSV, for spreadsheets. Export columns, in this order:
 *   id, path, description, department, avoidable, status
 * `path` is the names from the top group down, joined by ` > ` (`Billing > Charged twice`); `avoidable` is
 * `yes` or `no`; `status` is `active` or `archived`. Import matches rows to reasons by path (case-insensitive)
 * and needs only the `path` column: a column that is there sets its value (an empty cell clears a description
 * or a department, and means `no` / `active`); a column that is missing leaves existing values alone. `id` is
 * informational and ignored. Groups named in a path but not in the file or the taxonomy are created; so are
 * departments named but not yet known.
 */
export const CSV_COLUMNS = ['id', 'path', 'description', 'department', 'avoidable', 'status'] as const;
type Column = (typeof CSV_COLUMNS)[number];
/** Rows an import may have. */
export const MAX_CSV_ROWS = 5000;

export type RowError = { row: number; column?: Column; message: string };
export type CsvRow = {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  row: number;
  names: string[];
  description?: string;
  department?: string | null;
  avoidable?: boolean;
  status?: ContactReasonStatus;
};
export type ParsedCsv =
  | { ok: true; rows: CsvRow[]; errors: RowError[] }
  | { ok: false; message: string; details?: unknown };

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (CSV
 * injection, OWASP). The export prefixes such a cell with `'`, which spreadsheets show as text, and the import
 * takes one `'` off again, so export → import round-trips unchanged. A cell that already starts with `'`s
 * before one of those characters gets one more on export (and loses one on import), so it survives too.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
export const escapeFormula = (cell: string): string => (FORMULA.test(cell) ? `'${cell}` : cell);
export const unescapeFormula = (cell: string): string => (ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell);

const yes = new Set(['yes', 'y', 'true', '1', 'ja', 'x']);
const no = new Set(['no', 'n', 'false', '0', 'nein', '']);

/** Reads the file (BOM, CRLF, quoted cells with commas, quotes and newlines) and checks each row's cells. */
export function parseTaxonomyCsv(text: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, message: `The file is not valid CSV: ${err.message}` };
    throw err;
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  if (header.length === 0)
    return { ok: false, message: 'The file is empty: it needs a header row with `path`' };
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0)
    return {
      ok: false,
      message: `Unknown columns: ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`,
      details: { columns: CSV_COLUMNS },
    };
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (repeated.length > 0) return { ok: false, message: `Columns named twice: ${repeated.join(', ')}` };
  if (!header.includes('path')) return { ok: false, message: 'The header has no `path` column' };
  if (records.length - 1 > MAX_CSV_ROWS)
    return { ok: false, message: `At most ${MAX_CSV_ROWS} rows can be imported at once` };

  const col = (c: Column) => header.indexOf(c);
  const rows: CsvRow[] = [];
  const errors: RowError[] = [];
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const fail = (message: string, column?: Column) => errors.push({ row, column, message });
    if (cells.length !== header.length) {
      fail(`${cells.length} cells, but the header has ${header.length}`);
      return;
    }
    const cell = (c: Column) => (col(c) < 0 ? undefined : unescapeFormula((cells[col(c)] ?? '').trim()));
    const out: CsvRow = { row, names: splitPath(cell('path') ?? '') };
    const before = errors.length;
    if (out.names.length > MAX_DEPTH) fail(`a path has at most ${MAX_DEPTH} levels`, 'path');
    for (const name of out.names) {
      const problem = nameProblem(name);
      if (problem) fail(`${JSON.stringify(name.slice(0, 90))}: ${problem}`, 'path');
    }
    const description = cell('description');
    if (description !== undefined) {
      if (description.length > 2000) fail('a description has at most 2000 characters', 'description');
      out.description = description;
    }
    const department = cell('department');
    if (department !== undefined) {
      if (department.length > 80) fail('a department name has at most 80 characters', 'department');
      out.department = department === '' ? null : department;
    }
    const avoidable = cell('avoidable')?.toLowerCase();
    if (avoidable !== undefined) {
      if (yes.has(avoidable)) out.avoidable = true;
      else if (no.has(avoidable)) out.avoidable = false;
      else fail(`avoidable is "yes" or "no", not ${JSON.stringify(avoidable.slice(0, 20))}`, 'avoidable');
    }
    const status = cell('status')?.toLowerCase();
    if (status !== undefined) {
      if (status === '' || status === 'active') out.status = 'active';
      else if (status === 'archived') out.status = 'archived';
      else fail(`status is "active" or "archived", not ${JSON.stringify(status.slice(0, 20))}`, 'status');
    }
    if (errors.length === before) rows.push(out);
  });
  return { ok: true, rows, errors };
}

export type PlannedDepartment = { name: string };
/** `newDepartment`: the department the row names, which the import creates first (its id is unknown yet). */
export type ImportAction =
  | {
      kind: 'create';
      row: number | null;
      names: string[];
      fields: Omit<ContactReasonFields, 'parentId'>;
      newDepartment?: string;
    }
  | {
      kind: 'update';
      row: number;
      id: number;
      names: string[];
      patch: Partial<ContactReasonFields>;
      newDepartment?: string;
    }
  | { kind: 'unchanged'; row: number; id: number; names: string[] };
export type ImportPlan = { errors: RowError[]; departments: string[]; actions: ImportAction[] };

/**
 * What an import would do to the taxonomy: pure, so a dry run and the real run agree. Rows are taken
 * parents first (by depth), so a file may list children before their groups.
 */
export function planImport(
  reasons: readonly ContactReason[],
  departments: readonly Department[],
  parsed: { rows: CsvRow[]; errors: RowError[] },
): ImportPlan {
  const errors = [...parsed.errors];
  const index = byId(reasons);
  const existing = new Map(reasons.map((r) => [pathKey(pathOf(index, r.id)), r]));
  const departmentIds = new Map(departments.map((d) => [d.name.toLowerCase(), d.id]));
  const newDepartments = new Map<string, string>();
  const planned = new Set<string>();
  const seen = new Map<string, number>();
  const actions: ImportAction[] = [];

  const departmentOf = (name: string | null): { id: number | null } | { create: string } => {
    if (name === null) return { id: null };
    const id = departmentIds.get(name.toLowerCase());
    if (id !== undefined) return { id };
    if (!newDepartments.has(name.toLowerCase())) newDepartments.set(name.toLowerCase(), name);
    return { create: newDepartments.get(name.toLowerCase())! };
  };

  for (const r of [...parsed.rows].sort((a, b) => a.names.length - b.names.length || a.row - b.row)) {
    const key = pathKey(r.names);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ row: r.row, column: 'path', message: `the same path as row ${first}` });
      continue;
    }
    seen.set(key, r.row);
    // Groups the path names that exist nowhere yet are created as plain groups.
    for (let depth = 1; depth < r.names.length; depth++) {
      const ancestor = r.names.slice(0, depth);
      const k = pathKey(ancestor);
      if (existing.has(k) || planned.has(k)) continue;
      planned.add(k);
      actions.push({
        kind: 'create',
        row: null,
        names: ancestor,
        fields: {
          name: ancestor.at(-1)!,
          description: '',
          departmentId: null,
          avoidable: false,
          status: 'active',
        },
      });
    }
    const department = r.department === undefined ? undefined : departmentOf(r.department);
    const newDepartment = department && 'create' in department ? department.create : undefined;
    const match = existing.get(key);
    if (!match) {
      planned.add(key);
      actions.push({
        kind: 'create',
        row: r.row,
        names: r.names,
        fields: {
          name: r.names.at(-1)!,
          description: r.description ?? '',
          departmentId: department && 'id' in department ? department.id : null,
          avoidable: r.avoidable ?? false,
          status: r.status ?? 'active',
        },
        newDepartment,
      });
      continue;
    }
    const patch: Partial<ContactReasonFields> = {};
    if (r.description !== undefined && r.description !== match.description) patch.description = r.description;
    if (department && 'id' in department && department.id !== match.departmentId)
      patch.departmentId = department.id;
    if (r.avoidable !== undefined && r.avoidable !== match.avoidable) patch.avoidable = r.avoidable;
    if (r.status !== undefined && r.status !== match.status) patch.status = r.status;
    actions.push(
      Object.keys(patch).length === 0 && !newDepartment
        ? { kind: 'unchanged', row: r.row, id: match.id, names: r.names }
        : { kind: 'update', row: r.row, id: match.id, names: r.names, patch, newDepartment },
    );
  }
  errors.sort((a, b) => a.row - b.row);
  return { errors, departments: [...newDepartments.values()], actions };
}

export function exportTaxonomyCsv(
  reasons: readonly ContactReason[],
  departments: readonly Department[],
  options: { bom?: boolean } = {},
): string {
  const index = byId(reasons);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const rows = reasons
    .map((r) => ({ r, path: pathOf(index, r.id) }))
    .sort((a, b) => {
      const [x, y] = [a.path.map((n) => n.toLowerCase()), b.path.map((n) => n.toLowerCase())];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return x.length - y.length;
    })
    .map(({ r, path }) => [
      r.id,
      escapeFormula(joinPath(path)),
      escapeFormula(r.description),
      escapeFormula(r.departmentId === null ? '' : (names.get(r.departmentId) ?? '')),
      r.avoidable ? 'yes' : 'no',
      r.status,
    ]);
  return stringify([[...CSV_COLUMNS], ...rows], { bom: options.bom ?? false, record_delimiter: 'windows' });
}
