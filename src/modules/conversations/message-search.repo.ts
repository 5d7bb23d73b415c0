import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';

export type MessageSearchFilter = {
  q: string;
  status?: string[];
  assigneeId?: number | null;
  channel?: string;
  from?: Date;
  to?: Date;
  limit: number;
};

export type MessageHit = {
  messageId: number;
  conversationId: number;
  subject: string;
  status: string;
  assigneeId: number | null;
  channel: string;
  direction: string;
  createdAt: Date;
  rank: number;
  /** The matching passage, as segments: render `match` segments highlighted, everything as text. */
  snippet: Array<{ text: string; match: boolean }>;
};

// Control characters can't occur in stored text (the API rejects them), so they mark matches safely.
const START = '\u0002';
const STOP = '\u0003';

export function splitSnippet(headline: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  for (const piece of headline.split(START)) {
    const [matched, rest] = piece.includes(STOP) ? (piece.split(STOP, 2) as [string, string]) : [null, piece];
    if (matched) parts.push({ text: matched, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

/** How many of the newest messages the first, cheap pass ranks. */
export const RECENT_WINDOW = 20_000;

/**
 * Ranked full-text search over message bodies, in two passes:
 * 1. the newest RECENT_WINDOW messages of the workspace (a backward walk of the primary key), ranked; when
 *    that fills the page, it is the answer: a common term ("refund", 250k matches at 5M messages) would
 *    otherwise make PostgreSQL fetch and rank every match (seconds);
 * 2. otherwise every message, through the stored `tsvector`'s GIN index, ranked: that is the rare-term case,
 *    where the index returns few rows. The matches are collected in a MATERIALIZED CTE, so the planner can't
 *    choose to walk a date index and test every row.
 * Only the page that is returned pays for `ts_headline`.
 */
export async function searchMessages(
  db: Executor,
  workspaceId: number,
  f: MessageSearchFilter,
): Promise<MessageHit[]> {
  const recent = await rankedPage(db, workspaceId, f, true);
  return recent.length >= f.limit ? recent : rankedPage(db, workspaceId, f, false);
}

async function rankedPage(
  db: Executor,
  workspaceId: number,
  f: MessageSearchFilter,
  recentOnly: boolean,
): Promise<MessageHit[]> {
  const conditions = [sql`true`];
  if (f.status?.length)
    conditions.push(
      sql`c.status in (${sql.join(
        f.status.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.assigneeId === null) conditions.push(sql`c.assignee_id is null`);
  else if (f.assigneeId !== undefined) conditions.push(sql`c.assignee_id = ${f.assigneeId}`);
  if (f.channel) conditions.push(sql`h.channel = ${f.channel}`);
  if (f.from) conditions.push(sql`h.created_at >= ${f.from.toISOString()}`);
  if (f.to) conditions.push(sql`h.created_at < ${f.to.toISOString()}`);
  const source = recentOnly
    ? sql`(select * from messages where workspace_id = ${workspaceId} order by id desc limit ${RECENT_WINDOW})`
    : sql`messages`;
  const result = await db.execute(sql`
    with q as (select websearch_to_tsquery('english', ${f.q}) as query),
    hits as materialized (
      select m.id, m.conversation_id, m.channel, m.direction, m.created_at,
             ts_rank(m.search, q.query) as rank
      from ${source} m, q
      -- the query spelled out (not q.query): the planner then estimates the matches from the column's
      -- statistics; through the CTE it guesses thousands, and hash-joins every conversation
      where m.workspace_id = ${workspaceId} and m.search @@ websearch_to_tsquery('english'::regconfig, ${f.q})
        and m.direction <> 'note'
    ),
    page as (
      select h.*, c.subject, c.status, c.assignee_id
      from hits h
      join conversations c on c.workspace_id = ${workspaceId} and c.id = h.conversation_id
      where ${sql.join(conditions, sql` and `)}
      order by h.rank desc, h.created_at desc, h.id desc
      limit ${f.limit}
    )
    select page.id, page.conversation_id, page.channel, page.direction, page.created_at, page.rank,
           page.subject, page.status, page.assignee_id,
           ts_headline('english', m.body_text, q.query,
             ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2`}) as headline
    from page
    join messages m on m.workspace_id = ${workspaceId} and m.id = page.id, q
    order by page.rank desc, page.created_at desc, page.id desc`);
  return (result.rows as Array<Record<string, unknown>>).map((r) => ({
    messageId: Number(r.id),
    conversationId: Number(r.conversation_id),
    subject: String(r.subject),
    status: String(r.status),
    assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
    channel: String(r.channel),
    direction: String(r.direction),
    createdAt: new Date(r.created_at as string),
    rank: Number(r.rank),
    snippet: splitSnippet(String(r.headline)),
  }));
}
