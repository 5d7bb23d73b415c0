import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Executor, Tx } from '../db/index.js';
import type { Clock } from './clock.js';
import type { StoredEvent } from './events.js';

export type EventConsumerContext = { clock: Clock; log: Logger };

/**
 * Something that reacts to the event log: notifications, webhooks, read models. Modules emit events and
 * never call their consumers; a consumer is registered once (boot.ts) and reads every event after it.
 */
export type EventConsumer = {
  /** Only events of these types reach `handle` (the others are passed over); absent: every event. */
  types?: readonly string[];
  /**
   * Database work only. It commits in the transaction that advances the consumer's cursor, so each event is
   * handled exactly once; anything external (mail, HTTP) is enqueued as a job from here.
   */
  handle(tx: Tx, event: StoredEvent, ctx: EventConsumerContext): Promise<void>;
};

export type EventDispatcher = {
  /** One batch for each consumer; the number of events handed to consumers. */
  dispatch(): Promise<number>;
  /**
   * Dispatches until every event committed before the call has reached its consumers: waits, briefly, for
   * transactions elsewhere on the server (other databases too) that hold the horizon back. For tests and CLIs.
   */
  settle(): Promise<number>;
};

type EventRow = {
  workspace_id: number;
  id: number;
  type: string;
  entity_type: string;
  entity_id: number;
  actor_type: StoredEvent['actorType'];
  actor_id: number | null;
  data: Record<string, unknown>;
  created_at: Date | string;
  tx_id: string;
};

const toEvent = (r: EventRow): StoredEvent => ({
  workspaceId: Number(r.workspace_id),
  id: Number(r.id),
  type: r.type,
  entityType: r.entity_type,
  entityId: Number(r.entity_id),
  actorType: r.actor_type,
  actorId: r.actor_id === null ? null : Number(r.actor_id),
  data: r.data,
  createdAt: new Date(r.created_at),
  txId: String(r.tx_id),
});

/**
 * The oldest transaction still running: every event written by an older transaction is committed (or gone),
 * so reading up to here never passes over an event that becomes visible later.
 */
async function horizon(tx: Executor): Promise<string> {
  const result = await tx.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as h`);
  return String((result.rows[0] as { h: string }).h);
}

/** The next transaction id: every transaction before it has started, and is committed, aborted or running. */
async function nextXid(tx: Executor): Promise<string> {
  const result = await tx.execute(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as x`);
  return String((result.rows[0] as { x: string }).x);
}

const xidLess = (a: string, b: string) => BigInt(a) < BigInt(b);
const SETTLE_TIMEOUT_MS = 30_000;

export function createEventDispatcher(options: {
  db: Db;
  clock: Clock;
  log: Logger;
  consumers: Record<string, EventConsumer>;
  batchSize?: number;
}): EventDispatcher {
  const { db, clock, log, consumers } = options;
  const batchSize = options.batchSize ?? 200;
  const known = new Set<string>();

  /**
   * A new consumer starts at the present: it is handed the events of transactions that begin after it
   * first runs, not the history of the log.
   */
  async function ensureCursor(name: string): Promise<void> {
    if (known.has(name)) return;
    await db.execute(sql`
      insert into event_consumers (name, tx_id, event_id, updated_at)
      values (${name}, pg_snapshot_xmax(pg_current_snapshot()), 0, ${clock.now().toISOString()})
      on conflict (name) do nothing`);
    known.add(name);
  }

  async function handleAll(tx: Tx, name: string, consumer: EventConsumer, events: StoredEvent[]) {
    const ctx: EventConsumerContext = { clock, log: log.child({ consumer: name }) };
    try {
      await tx.transaction(async (sp) => {
        for (const event of events) await consumer.handle(sp, event, ctx);
      });
      return;
    } catch (err) {
      log.warn({ err, consumer: name }, 'event batch failed; handling its events one by one');
    }
    for (const event of events) {
      try {
        await tx.transaction(async (sp) => consumer.handle(sp, event, ctx));
      } catch (err) {
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        log.error({ err, consumer: name, eventId: event.id, type: event.type }, 'event consumer failed');
        await tx.execute(sql`
          insert into event_consumer_failures (consumer, workspace_id, event_id, error, failed_at)
          values (${name}, ${event.workspaceId}, ${event.id}, ${message.slice(0, 4000)},
            ${clock.now().toISOString()})`);
      }
    }
  }

  async function dispatchOne(name: string, consumer: EventConsumer): Promise<number> {
    await ensureCursor(name);
    return db.transaction(async (tx) => {
      // Another process is reading for this consumer: leave it to them.
      const locked = await tx.execute(sql`
        select tx_id::text as tx_id, event_id from event_consumers where name = ${name}
        for update skip locked`);
      const cursor = locked.rows[0] as { tx_id: string; event_id: number } | undefined;
      if (!cursor) return 0;
      const upTo = await horizon(tx);
      const types = consumer.types ? sql`and type = any(${sql.param([...consumer.types])}::text[])` : sql``;
      const result = await tx.execute(sql`
        select workspace_id, id, type, entity_type, entity_id, actor_type, actor_id, data, created_at,
          tx_id::text as tx_id
        from events
        where (tx_id, id) > (${cursor.tx_id}::xid8, ${Number(cursor.event_id)}::bigint)
          and tx_id < ${upTo}::xid8 ${types}
        order by tx_id, id
        limit ${batchSize}`);
      const events = (result.rows as EventRow[]).map(toEvent);
      if (events.length > 0) await handleAll(tx, name, consumer, events);
      // A full batch: continue after its last event. Otherwise everything below the horizon has been read.
      const last = events.at(-1);
      const next =
        events.length === batchSize && last
          ? { txId: last.txId, eventId: last.id }
          : xidLess(cursor.tx_id, upTo)
            ? { txId: upTo, eventId: 0 }
            : null;
      if (next) {
        await tx.execute(sql`
          update event_consumers set tx_id = ${next.txId}::xid8, event_id = ${next.eventId},
            updated_at = ${clock.now().toISOString()}
          where name = ${name}`);
      }
      return events.length;
    });
  }

  async function dispatch(): Promise<number> {
    let total = 0;
    for (const [name, consumer] of Object.entries(consumers)) {
      try {
        total += await dispatchOne(name, consumer);
      } catch (err) {
        log.error({ err, consumer: name }, 'event dispatch failed');
      }
    }
    return total;
  }

  return {
    dispatch,
    async settle() {
      const target = await nextXid(db);
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      let total = 0;
      for (;;) {
        // The horizon is read before dispatching: a round that finds nothing under a horizon past the target
        // has handed over everything committed before the call.
        const upTo = await horizon(db);
        const n = await dispatch();
        total += n;
        if (n > 0) continue;
        if (!xidLess(upTo, target) || Date.now() > deadline) return total;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

/**
 * Moves every consumer past the events of every transaction begun before the call, without handing them over:
 * for bulk loads of history (demo data), which must not turn into a million notifications or webhook
 * deliveries. Waits (briefly) until those transactions have ended, so none of their events arrives later.
 */
export async function skipEventsSoFar(db: Db, now: Date): Promise<void> {
  const target = await nextXid(db);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (xidLess(await horizon(db), target) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await db.execute(sql`
    update event_consumers set tx_id = ${target}::xid8, event_id = 0, updated_at = ${now.toISOString()}
    where tx_id < ${target}::xid8`);
}
