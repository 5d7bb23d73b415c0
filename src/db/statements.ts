import { createHash } from 'node:crypto';
import { type Column, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Executor } from './open.js';

/*
 * Hot statements written with the `sql` template rather than the query builder: one statement of
 * data-modifying CTEs writes several rows in one round trip (the builder cannot express those, and building
 * its queries costs more CPU than the statement itself), run as a prepared statement.
 */

const dialect = new PgDialect();
/** Statement text -> its prepared statement's name. A handful of texts: the statements are fixed shapes. */
const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: on PostgreSQL each pooled connection parses it once, and
 * PostgreSQL may keep its plan, which saves most of the database's CPU for intake's statements. The name is
 * derived from the statement's text (the values are parameters), so one text is one prepared statement.
 * PGlite ignores the name: it runs the statement as any other. Returns the rows, not yet mapped: see
 * `returningOf`.
 */
export async function executePrepared(db: Executor, statement: SQL): Promise<Record<string, unknown>[]> {
  const query = dialect.sqlToQuery(statement);
  let name = names.get(query.sql);
  if (name === undefined) {
    if (names.size >= 1000) names.clear(); // never in practice: texts are the code's, values are parameters
    name = `stw_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 24)}`;
    names.set(query.sql, name);
  }
  const result = (await db._.session.prepareQuery(query, undefined, name, false).execute()) as {
    rows: Record<string, unknown>[];
  };
  return result.rows;
}

/**
 * Columns of such a statement:
 * - `list(qualifier?)`: the columns aliased to their keys, for a `select` or `returning` list,
 *   e.g. `workspace_id as "workspaceId"` (with a prefix for the keys, to tell two rows apart in one result);
 * - `read(row)`: a raw row as the query builder would return it, each value through its column's
 *   `mapFromDriverValue` (raw statements get timestamps as text, on both drivers).
 */
export function returningOf<T>(columns: Record<string, Column>, prefix = '') {
  const entries = Object.entries(columns);
  const lists = new Map<string, SQL>();
  return {
    list(qualifier = ''): SQL {
      let list = lists.get(qualifier);
      if (!list) {
        const q = qualifier ? `${qualifier}.` : '';
        list = sql.raw(entries.map(([key, c]) => `${q}${c.name} as "${prefix}${key}"`).join(', '));
        lists.set(qualifier, list);
      }
      return list;
    },
    read(row: Record<string, unknown>): T {
      const out: Record<string, unknown> = {};
      for (const [key, column] of entries) {
        const value = row[prefix + key];
        out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return out as T;
    },
  };
}

/**
 * `column = any(ids)`, with `column between min(ids) and max(ids)` beside it: a list of many ids (background
 * work in id order, a chunk of a range) then reads an index range, where the planner, which cannot know the
 * ids are close together, would rather scan the whole table. The ids go as one array parameter: drizzle's
 * `inArray` makes a parameter of each, and building a statement of hundreds of them costs more CPU than the
 * database's work on it. An empty list matches nothing.
 */
export function inIds(column: Column, ids: readonly number[]): SQL {
  if (ids.length === 0) return sql`false`;
  let min = ids[0]!;
  let max = min;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  return sql`(${anyId(column, ids)} and ${column} between ${min} and ${max})`;
}

/** `column = any(ids)`, the ids as one array parameter (see `inIds`), for ids in no particular range. */
export function anyId(column: Column, ids: readonly number[]): SQL {
  return ids.length === 0 ? sql`false` : sql`${column} = any(${sql.param(ids)}::bigint[])`;
}
