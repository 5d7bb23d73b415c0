import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, inIds, schema } from '../db/index.js';

export type Actor =
  | { type: 'person'; id: number }
  | { type: 'customer'; id: number }
  | { type: 'token'; id: number }
  | { type: 'system'; id?: null }
  /** Steward's automatic assignment (the routing rules of a team); the event's data says which rule and why. */
  | { type: 'routing'; id?: null };

export const systemActor: Actor = { type: 'system', id: null };
export const routingActor: Actor = { type: 'routing', id: null };

export type NewEvent = {
  workspaceId: number;
  /** A named event, `entity.verb` in the past tense: `conversation.solved`, `customer.merged`. */
  type: string;
  entityType: string;
  entityId: number;
  actor: Actor;
  data?: Record<string, unknown>;
  at: Date;
};

/** Appends to the event log. Call it inside the transaction of the change it records. */
export async function recordEvent(tx: Executor, event: NewEvent): Promise<void> {
  await recordEvents(tx, [event]);
}

export async function recordEvents(tx: Executor, list: NewEvent[]): Promise<void> {
  if (list.length === 0) return;
  await tx.insert(schema.events).values(
    list.map((e) => ({
      workspaceId: e.workspaceId,
      type: e.type,
      entityType: e.entityType,
      entityId: e.entityId,
      actorType: e.actor.type,
      actorId: e.actor.id ?? null,
      data: e.data ?? {},
      createdAt: e.at,
    })),
  );
}

/**
 * An event written by the statement that makes the change it records (a data-modifying CTE, one round trip):
 * its entity id, and part of its data, may be SQL reading that statement's other CTEs, such as the id a new
 * row gets. `moreData` is merged into `data` (jsonb `||`).
 */
export type EventInStatement = Omit<NewEvent, 'entityId'> & { entityId: number | SQL; moreData?: SQL };

/** The column list of an event insert: `insert into events ${eventColumns} values (${eventValues(e)}), ...`. */
export const eventColumns = sql.raw(
  '(workspace_id, type, entity_type, entity_id, actor_type, actor_id, data, created_at)',
);

/** One event's values, in the order of `eventColumns`. */
export function eventValues(e: EventInStatement): SQL {
  const data = JSON.stringify(e.data ?? {});
  return sql`${e.workspaceId}, ${e.type}, ${e.entityType}, ${e.entityId}, ${e.actor.type}, ${e.actor.id ?? null},
    ${e.moreData ? sql`${data}::jsonb || ${e.moreData}` : sql`${data}::jsonb`}, ${e.at.toISOString()}`;
}

export type StoredEvent = typeof schema.events.$inferSelect;

export async function listEntityEvents(
  db: Executor,
  workspaceId: number,
  entityType: string,
  entityId: number,
  afterId = 0,
  limit = 500,
): Promise<StoredEvent[]> {
  return db
    .select()
    .from(schema.events)
    .where(
      and(
        eq(schema.events.workspaceId, workspaceId),
        eq(schema.events.entityType, entityType),
        eq(schema.events.entityId, entityId),
        gt(schema.events.id, afterId),
      ),
    )
    .orderBy(asc(schema.events.id))
    .limit(limit);
}

/** An event as a history is computed from: what happened to which entity, when, and its `after` values. */
export type EventBrief = {
  entityId: number;
  type: string;
  createdAt: Date;
  after: Record<string, unknown> | null;
};

/**
 * The events of these types of many entities, in id order per entity, brief: background work that replays
 * the histories of thousands of entities (the SLA recompute) would spend more CPU mapping whole rows than
 * the database spends reading them.
 */
export async function listEntitiesHistory(
  db: Executor,
  workspaceId: number,
  entityType: string,
  entityIds: number[],
  types: string[],
): Promise<EventBrief[]> {
  if (entityIds.length === 0) return [];
  const e = schema.events;
  return db
    .select({
      entityId: e.entityId,
      type: e.type,
      createdAt: e.createdAt,
      after: sql<Record<string, unknown> | null>`${e.data}->'after'`,
    })
    .from(e)
    .where(
      and(
        eq(e.workspaceId, workspaceId),
        eq(e.entityType, entityType),
        inIds(e.entityId, entityIds),
        sql`${e.type} = any(${sql.param(types)}::text[])`,
      ),
    )
    .orderBy(asc(e.entityId), asc(e.id));
}

/**
 * Erasure: removes personal values copied into event data, keeping each event's type, entity, actor and
 * time (the metrics). `paths` are the data keys to drop (`['after', 'subject']`); `'all'` empties the data
 * but for a marker.
 */
export async function scrubEventData(
  tx: Executor,
  workspaceId: number,
  entityType: string,
  entityIds: number[],
  paths: string[][] | 'all',
): Promise<number> {
  if (entityIds.length === 0) return 0;
  const e = schema.events;
  const scrubbed =
    paths === 'all'
      ? sql`'{"erased": true}'::jsonb`
      : paths.reduce<SQL>((acc, path) => sql`(${acc} #- ${`{${path.join(',')}}`}::text[])`, sql`${e.data}`);
  const rows = await tx
    .update(e)
    .set({ data: scrubbed })
    .where(and(eq(e.workspaceId, workspaceId), eq(e.entityType, entityType), inArray(e.entityId, entityIds)))
    .returning({ id: e.id });
  return rows.length;
}
