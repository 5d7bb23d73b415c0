import { and, asc, eq, gt } from 'drizzle-orm';
import { type Executor, schema } from '../db/index.js';

export type Actor =
  | { type: 'person'; id: number }
  | { type: 'customer'; id: number }
  | { type: 'token'; id: number }
  | { type: 'system'; id?: null };

export const systemActor: Actor = { type: 'system', id: null };

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
