import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

/**
 * PostgreSQL's COPY text format (one row a line, tab-separated, `\N` for NULL, backslash escapes), used for
 * both databases: COPY FROM STDIN on a PostgreSQL server, COPY FROM '/dev/blob' on PGlite. Columns come from
 * the Drizzle table, so the loader follows the schema; generated columns (tsvectors) are left to the database.
 */
type Kind = 'text' | 'number' | 'boolean' | 'date' | 'json' | 'array';

export type CopyTable = {
  name: string;
  /** `(workspace_id, id, ...)`, quoted, in the order rows are encoded. */
  columnList: string;
  keys: readonly string[];
  kinds: readonly Kind[];
};

function kindOf(dataType: string): Kind {
  switch (dataType) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'json':
      return 'json';
    case 'array':
      return 'array';
    default:
      return 'text';
  }
}

/** `omit`: columns the rows don't carry, left to their database default. */
export function copyTable(table: Table, omit: readonly string[] = []): CopyTable {
  const columns = Object.entries(getTableColumns(table)).filter(
    ([key, c]) => !c.generated && !omit.includes(key),
  );
  return {
    name: getTableName(table),
    columnList: `(${columns.map(([, c]) => `"${c.name}"`).join(', ')})`,
    keys: columns.map(([key]) => key),
    kinds: columns.map(([, c]) => kindOf(c.dataType)),
  };
}

const specials = /[\\\n\r\t]/;

/** Escapes a value for the text format: backslash, newline, carriage return and tab are the specials. */
export function escapeCopy(text: string): string {
  if (!specials.test(text)) return text;
  return text.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

/** A text[] literal: every element double-quoted, so commas, braces and spaces inside need no thought. */
export function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`));
  return `{${items.join(',')}}`;
}

function encodeValue(value: unknown, kind: Kind): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'date':
      return (value as Date).toISOString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return String(value);
    case 'json':
      return escapeCopy(JSON.stringify(value));
    case 'array':
      return escapeCopy(arrayLiteral(value as unknown[]));
    default:
      return escapeCopy(String(value));
  }
}

export function encodeRow(table: CopyTable, row: object): string {
  const record = row as Record<string, unknown>;
  let line = '';
  for (let i = 0; i < table.keys.length; i++) {
    if (i > 0) line += '\t';
    line += encodeValue(record[table.keys[i] as string], table.kinds[i] as Kind);
  }
  return `${line}\n`;
}

/** Encodes rows into chunks of roughly `chunkBytes` characters, so a writer can respect back-pressure. */
export function* encodeRows(
  table: CopyTable,
  rows: readonly object[],
  chunkBytes = 256 * 1024,
): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += encodeRow(table, row);
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
