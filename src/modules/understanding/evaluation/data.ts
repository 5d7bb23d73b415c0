/** Labelled texts from any CSV with a header row: a text column, a label column, optional row filters. */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type Labelled = { text: string; label: string };

export type CsvSelection = {
  text: string;
  label: string;
  filters?: { column: string; value: string; negate: boolean }[];
};

/** Rows kept and why others were dropped. */
export type Loaded = { examples: Labelled[]; dropped: { filtered: number; noLabel: number; noText: number } };

/** The rows of a CSV with a header row, checked to have the columns needed. */
function readRows(content: string | Buffer, need: string[], name: string): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(content, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw new Error(`${name}: not a readable CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0)
    throw new Error(`${name}: no data rows (a header row and at least one row are needed)`);
  const columns = Object.keys(rows[0]!);
  for (const column of need) {
    if (!columns.includes(column)) {
      throw new Error(
        `${name}: no column "${column}"; the columns are ${columns.map((c) => `"${c}"`).join(', ')}`,
      );
    }
  }
  return rows;
}

export function parseLabelledCsv(content: string | Buffer, selection: CsvSelection, name = 'CSV'): Loaded {
  const need = [selection.text, selection.label, ...(selection.filters ?? []).map((f) => f.column)];
  const rows = readRows(content, need, name);
  const dropped = { filtered: 0, noLabel: 0, noText: 0 };
  const examples: Labelled[] = [];
  for (const row of rows) {
    const pass = (selection.filters ?? []).every((f) => (row[f.column] === f.value) !== f.negate);
    if (!pass) dropped.filtered++;
    else if (!row[selection.label]?.trim()) dropped.noLabel++;
    else if (!row[selection.text]?.trim()) dropped.noText++;
    else examples.push({ text: row[selection.text]!, label: row[selection.label]!.trim() });
  }
  if (examples.length === 0)
    throw new Error(`${name}: no row with a text and a label is left after the filters`);
  return { examples, dropped };
}

export function loadLabelledCsv(file: string, selection: CsvSelection): Loaded {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  return parseLabelledCsv(readFileSync(file), selection, file);
}

/** The non-empty texts of one column of a CSV (unlabelled texts; any other column is ignored). */
export function loadTextsCsv(file: string, text: string): string[] {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const texts = readRows(readFileSync(file), [text], file)
    .map((row) => row[text] ?? '')
    .filter((t) => t.trim() !== '');
  if (texts.length === 0) throw new Error(`${file}: no row with a text in column "${text}"`);
  return texts;
}
