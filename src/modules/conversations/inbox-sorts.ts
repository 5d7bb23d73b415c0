import { type SQL, sql } from 'drizzle-orm';
import { priorityRankSql, slaDueKeySql, waitingKeySql } from '../../db/schema/conversations.js';
import type { Cursor } from '../../platform/index.js';

/** The sort key of a row at full (microsecond) precision, as the cursor carries it. */
const exactUpdatedAt = sql.raw(`to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
/**
 * The indexes are `updated_at DESC NULLS LAST, id DESC NULLS LAST` (drizzle's default), while a bare `DESC`
 * means NULLS FIRST: spelled out, the index delivers the order and no sort of every matching row is needed.
 */
const newestFirst = sql.raw('order by updated_at desc nulls last, id desc nulls last');

export const inboxSorts = ['newest', 'waiting', 'priority', 'deadline', 'distress'] as const;
/**
 * newest: latest activity first; waiting: the customer waiting longest first (then those nobody waits on,
 * oldest first); priority: urgent first, then latest activity; deadline: the next SLA deadline soonest (the
 * most overdue) first, then those without a running one, oldest first; distress: the most distress signals
 * first, then the customer waiting longest.
 */
export type InboxSort = (typeof inboxSorts)[number];

const waitingKey = sql.raw(`(${waitingKeySql})`);
const priorityRank = sql.raw(`(${priorityRankSql})`);
const slaDueKey = sql.raw(`(${slaDueKeySql})`);
const utcText = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

/**
 * Per sort: the key columns each page row carries (`t`, and `r` for the rank), the condition after a cursor,
 * the order inside one status's scan (the columns of its index, so no sort of every matching row), and the
 * order of the merged pages.
 */
export const sorts: Record<
  InboxSort,
  { key: SQL; after: (cursor: Cursor) => SQL; scan: SQL; merge: (alias: string) => SQL }
> = {
  newest: {
    key: sql`${exactUpdatedAt} as t`,
    after: (a) => sql`(updated_at, id) < (${a.t}::timestamptz, ${a.id})`,
    scan: newestFirst,
    merge: (p) => sql.raw(`order by ${p}"updatedAt" desc, ${p}"id" desc`),
  },
  waiting: {
    key: sql`${waitingKey} as w, case when ${waitingKey} = 'infinity' then 'infinity' else ${utcText(waitingKeySql)} end as t`,
    after: (a) => sql`(${waitingKey}, id) > (${a.t}::timestamptz, ${a.id})`,
    scan: sql`order by ${waitingKey} asc, id asc`,
    merge: (p) => sql.raw(`order by ${p}w asc, ${p}"id" asc`),
  },
  priority: {
    key: sql`${priorityRank} as r, ${exactUpdatedAt} as t`,
    after: (a) =>
      sql`(${priorityRank} > ${a.r ?? 0} or (${priorityRank} = ${a.r ?? 0} and (updated_at, id) < (${a.t}::timestamptz, ${a.id})))`,
    scan: sql`order by ${priorityRank} asc, updated_at desc nulls last, id desc nulls last`,
    merge: (p) => sql.raw(`order by ${p}r asc, ${p}"updatedAt" desc, ${p}"id" desc`),
  },
  distress: {
    key: sql`distress_level as r, ${waitingKey} as w, case when ${waitingKey} = 'infinity' then 'infinity' else ${utcText(waitingKeySql)} end as t`,
    after: (a) =>
      sql`(distress_level < ${a.r ?? 0} or (distress_level = ${a.r ?? 0} and (${waitingKey}, id) > (${a.t}::timestamptz, ${a.id})))`,
    scan: sql`order by distress_level desc nulls last, ${waitingKey} asc, id asc`,
    merge: (p) => sql.raw(`order by ${p}r desc, ${p}w asc, ${p}"id" asc`),
  },
  deadline: {
    key: sql`${slaDueKey} as w, case when ${slaDueKey} = 'infinity' then 'infinity' else ${utcText('sla_next_due_at')} end as t`,
    after: (a) => sql`(${slaDueKey}, id) > (${a.t}::timestamptz, ${a.id})`,
    scan: sql`order by ${slaDueKey} asc, id asc`,
    merge: (p) => sql.raw(`order by ${p}w asc, ${p}"id" asc`),
  },
};

/** The sorts whose cursor carries a rank (`r`) besides the key. */
export const rankedSorts: ReadonlySet<InboxSort> = new Set(['priority', 'distress']);
