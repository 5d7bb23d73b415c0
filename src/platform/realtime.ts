import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.js';

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
