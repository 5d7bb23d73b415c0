import type { Executor } from '../../db/index.js';
import { type Actor, enqueueJob, type StoredEvent } from '../../platform/index.js';
import { type Delivery, insertDelivery, updateDelivery } from './webhooks.repo.js';

export const DELIVER_JOB = 'webhook.deliver';
/** Attempts of a scheduled delivery: the job queue's backoff (5 s doubling, at most 1 h) makes them span ~2.4 h. */
export const DEFAULT_MAX_ATTEMPTS = 12;

/** The JSON body of every webhook: documented in README.md ("Webhooks"). */
export type Envelope = {
  /** The event's id; for a direct call without an event, or a test ping, the delivery's id. */
  id: number;
  type: string;
  occurredAt: string;
  workspaceId: number;
  entity: { type: string; id: number };
  actor: { type: string; id: number | null };
  data: Record<string, unknown>;
};

export const envelopeOfEvent = (event: StoredEvent): Envelope => ({
  id: event.id,
  type: event.type,
  occurredAt: event.createdAt.toISOString(),
  workspaceId: event.workspaceId,
  entity: { type: event.entityType, id: event.entityId },
  actor: { type: event.actorType, id: event.actorId },
  data: event.data,
});

export type JobPayload = { deliveryId: number; manual?: boolean };

/**
 * Writes a delivery and the job that sends it, in the caller's transaction (outbox). Without an envelope id
 * (no event behind it), the delivery's own id becomes the envelope's id.
 */
export async function enqueueDelivery(
  tx: Executor,
  input: {
    workspaceId: number;
    target: { subscriptionId: number } | { url: string; secret: string };
    envelope: Omit<Envelope, 'id' | 'entity'> & { id?: number; entity?: Envelope['entity'] };
    maxAttempts?: number;
  },
  now: Date,
): Promise<Delivery> {
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const target =
    'subscriptionId' in input.target
      ? { subscriptionId: input.target.subscriptionId }
      : { targetUrl: input.target.url, targetSecret: input.target.secret };
  const { id, entity, ...rest } = input.envelope;
  const body = (deliveryId: number) =>
    JSON.stringify({
      id: id ?? deliveryId,
      type: rest.type,
      occurredAt: rest.occurredAt,
      workspaceId: rest.workspaceId,
      entity: entity ?? { type: 'webhook_delivery', id: deliveryId },
      actor: rest.actor,
      data: rest.data,
    } satisfies Envelope);
  const needsOwnId = id === undefined || entity === undefined;
  let delivery = await insertDelivery(tx, {
    workspaceId: input.workspaceId,
    ...target,
    eventId: id ?? null,
    eventType: rest.type,
    body: needsOwnId ? '' : body(0),
    maxAttempts,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  });
  if (needsOwnId) {
    delivery = (await updateDelivery(tx, input.workspaceId, delivery.id, {
      body: body(delivery.id),
      updatedAt: now,
    }))!;
  }
  await enqueueJob(
    tx,
    {
      workspaceId: input.workspaceId,
      type: DELIVER_JOB,
      payload: { deliveryId: delivery.id } satisfies JobPayload,
      runAt: now,
      maxAttempts,
    },
    now,
  );
  return delivery;
}

/** One attempt more, now, with the same delivery id (a fresh timestamp and signature). */
export async function enqueueRedelivery(tx: Executor, delivery: Delivery, now: Date): Promise<void> {
  await enqueueJob(
    tx,
    {
      workspaceId: delivery.workspaceId,
      type: DELIVER_JOB,
      payload: { deliveryId: delivery.id, manual: true } satisfies JobPayload,
      runAt: now,
      maxAttempts: 1,
      dedupeKey: `webhook-redeliver:${delivery.id}`,
    },
    now,
  );
}

export type SignedCallInput = {
  workspaceId: number;
  /** A subscription of the workspace, or a URL and secret the calling module keeps (a bridge, a billing system). */
  target: { subscriptionId: number } | { url: string; secret: string };
  eventType: string;
  data: Record<string, unknown>;
  /** The event behind the call, if any: its id becomes the envelope's id. */
  eventId?: number;
  /** What the call is about (a conversation, a resolution); absent: the delivery itself. */
  entity?: { type: string; id: number };
  actor?: Actor;
  maxAttempts?: number;
};

/**
 * The one way Steward calls out: a signed, logged, retried delivery (at least once, `Steward-Delivery` as the
 * receiver's idempotency key), written in the caller's transaction and sent by the job worker. Channels
 * (replies to SMS or social bridges) and resolution actions (billing systems) use this; the result is in
 * the delivery (`findDelivery`) and its attempts.
 */
export async function enqueueSignedCall(tx: Executor, input: SignedCallInput, now: Date): Promise<Delivery> {
  return enqueueDelivery(
    tx,
    {
      workspaceId: input.workspaceId,
      target: input.target,
      envelope: {
        ...(input.eventId !== undefined ? { id: input.eventId } : {}),
        type: input.eventType,
        occurredAt: now.toISOString(),
        workspaceId: input.workspaceId,
        ...(input.entity ? { entity: input.entity } : {}),
        actor: { type: input.actor?.type ?? 'system', id: input.actor?.id ?? null },
        data: input.data,
      },
      maxAttempts: input.maxAttempts,
    },
    now,
  );
}
