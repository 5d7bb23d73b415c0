import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/index.js';

/**
 * Realtime pushes travel through PostgreSQL `NOTIFY` on this channel, so every Steward process sharing the
 * database (and, on PGlite, the one process) relays them to its WebSocket clients. `NOTIFY` inside a transaction
 * is delivered on commit and dropped on rollback: a push never announces a change that did not happen.
 */
export const REALTIME_CHANNEL = 'steward_realtime';

/**
 * Not for clients: sessions or API tokens that ended (`{ sessionIds?, tokenIds? }`). Each hub closes the
 * sockets they opened (code 4401), so a signed-out, deactivated or revoked credential stops receiving pushes.
 */
export const AUTH_REVOKED = 'auth.revoked';

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; stay well below. */
const MAX_PAYLOAD_BYTES = 7_000;

export type RealtimeMessage = {
  workspaceId: number;
  /** Only these people receive it; absent: everyone signed in to the workspace. */
  personIds?: number[];
  /** `conversation.updated`, `message.created`, `notification.created`, … */
  type: string;
  /** Small: ids and the few fields a client needs to decide whether to re-fetch. */
  data: Record<string, unknown>;
};

/** The wire form of a message on the channel (short keys: the payload limit is small). */
export type RealtimePayload = { w: number; p?: number[]; t: string; d: Record<string, unknown> };

export function encodeRealtime(message: RealtimeMessage): string {
  const payload: RealtimePayload = { w: message.workspaceId, t: message.type, d: message.data };
  if (message.personIds) payload.p = message.personIds;
  const text = JSON.stringify(payload);
  if (Buffer.byteLength(text) < MAX_PAYLOAD_BYTES) return text;
  // Too big to carry: send the type alone, marked truncated; clients re-fetch what they show.
  return JSON.stringify({ ...payload, d: { truncated: true } });
}

export function decodeRealtime(text: string): RealtimeMessage | null {
  try {
    const p = JSON.parse(text) as Partial<RealtimePayload>;
    if (typeof p.w !== 'number' || typeof p.t !== 'string' || typeof p.d !== 'object' || p.d === null)
      return null;
    const message: RealtimeMessage = { workspaceId: p.w, type: p.t, data: p.d };
    if (Array.isArray(p.p)) message.personIds = p.p.filter((id): id is number => typeof id === 'number');
    return message;
  } catch {
    return null;
  }
}

/** Publishes a realtime message; call it inside the transaction of the change it announces. */
export async function publishRealtime(tx: Executor, message: RealtimeMessage): Promise<void> {
  await tx.execute(sql`select pg_notify(${REALTIME_CHANNEL}, ${encodeRealtime(message)})`);
}

/** Publishes many realtime messages in one statement (work over many rows), in their order. */
export async function publishRealtimeMany(tx: Executor, messages: RealtimeMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const texts = JSON.stringify(messages.map(encodeRealtime));
  await tx.execute(
    sql`select pg_notify(${REALTIME_CHANNEL}, t) from json_array_elements_text(${texts}::json) as t`,
  );
}

/**
 * Pushes published after their change committed, gathered for AFTER_COMMIT_MS and sent as one statement.
 * On PostgreSQL a transaction that notifies holds a global lock while it commits (the notification queue is
 * one), so notifying inside every intake transaction serializes intake's commits; this keeps the hot path
 * (a new conversation by mail, chat, form or API) out of that lock. The cost: a process that dies within
 * those milliseconds after a commit loses the push, which clients make up for when they re-fetch (on
 * reconnect, on focus, on the next push).
 */
const AFTER_COMMIT_MS = 5;
const AFTER_COMMIT_BATCH = 200;
/** `sending`: the statement in flight; the next waits for it, so pushes leave in the order published. */
type Pending = { texts: string[]; timer: NodeJS.Timeout | undefined; sending: Promise<void> };
const pendingByDb = new WeakMap<Db, Pending>();

function flush(db: Db, pending: Pending): Promise<void> {
  if (pending.timer) clearTimeout(pending.timer);
  pending.timer = undefined;
  const texts = pending.texts.splice(0);
  if (texts.length === 0) return pending.sending;
  pending.sending = pending.sending.then(() =>
    db
      .execute(
        sql`select pg_notify(${REALTIME_CHANNEL}, t) from json_array_elements_text(${JSON.stringify(texts)}::json) as t`,
      )
      .then(
        () => {},
        // The database closed under a late flush (shutdown) or failed: a push is not worth more than that.
        () => {},
      ),
  );
  return pending.sending;
}

/** Publishes a realtime message soon, outside any transaction: call it once the change has committed. */
export function publishRealtimeAfterCommit(db: Db, message: RealtimeMessage): void {
  let pending = pendingByDb.get(db);
  if (!pending) {
    pending = { texts: [], timer: undefined, sending: Promise.resolve() };
    pendingByDb.set(db, pending);
  }
  pending.texts.push(encodeRealtime(message));
  const p = pending;
  if (p.texts.length >= AFTER_COMMIT_BATCH) void flush(db, p);
  else p.timer ??= setTimeout(() => void flush(db, p), AFTER_COMMIT_MS);
}

/** Sends what is waiting now (before a database closes, and in tests). */
export async function flushRealtimeAfterCommit(db: Db): Promise<void> {
  const pending = pendingByDb.get(db);
  if (pending) await flush(db, pending);
}
