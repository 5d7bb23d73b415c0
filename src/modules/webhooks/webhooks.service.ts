import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { findPerson } from '../people/index.js';
import { enqueueDelivery, enqueueRedelivery } from './deliveries.js';
import { newSigningSecret } from './signature.js';
import { checkWebhookUrl } from './url-policy.js';
import {
  type Delivery,
  deleteSubscription,
  findDelivery,
  findSubscription,
  insertSubscription,
  markActiveFromNow,
  type Subscription,
  updateSubscription,
} from './webhooks.repo.js';

/** How long the previous secret still signs (a second `v1`) after a rotation. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

type Input = { name: string; url: string; eventTypes: string[]; description?: string | null };

const notFound = () => fail('WEBHOOK_NOT_FOUND', 'Webhook not found');
const pick = (s: Subscription) => ({
  name: s.name,
  url: s.url,
  eventTypes: s.eventTypes,
  description: s.description,
});

function event(sub: Subscription, actor: Actor, type: string, data: Record<string, unknown>, at: Date) {
  return { workspaceId: sub.workspaceId, type, entityType: 'webhook', entityId: sub.id, actor, data, at };
}

function checkUrl(deps: Deps, raw: string): Result<string> {
  const checked = checkWebhookUrl(raw, deps.settings.webhooks);
  return checked.ok ? ok(checked.url) : fail('INVALID_WEBHOOK_URL', checked.message, { url: raw });
}

const uniqueTypes = (types: string[]) => [...new Set(types)];

export async function createSubscription(
  deps: Deps,
  workspaceId: number,
  owner: { personId: number },
  actor: Actor,
  input: Input,
): Promise<Result<{ subscription: Subscription; secret: string }>> {
  const url = checkUrl(deps, input.url);
  if (!url.ok) return url;
  return inTransaction(deps.db, async (tx) => {
    if (!(await findPerson(tx, workspaceId, owner.personId))) {
      return fail('PERSON_NOT_FOUND', 'The owner is not a person of this workspace');
    }
    const now = deps.clock.now();
    const secret = newSigningSecret();
    const subscription = await insertSubscription(tx, {
      workspaceId,
      name: input.name,
      description: input.description ?? null,
      url: url.value,
      eventTypes: uniqueTypes(input.eventTypes),
      ownerId: owner.personId,
      secret,
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(
      tx,
      event(
        subscription,
        actor,
        'webhook.created',
        { after: pick(subscription), ownerId: owner.personId },
        now,
      ),
    );
    return ok({ subscription, secret });
  });
}

export async function changeSubscription(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  input: Partial<Input>,
): Promise<Result<Subscription>> {
  let url: string | undefined;
  if (input.url !== undefined) {
    const checked = checkUrl(deps, input.url);
    if (!checked.ok) return checked;
    url = checked.value;
  }
  return inTransaction(deps.db, async (tx) => {
    const before = await findSubscription(tx, workspaceId, id, { forUpdate: true });
    if (!before) return notFound();
    const now = deps.clock.now();
    const after = await updateSubscription(tx, workspaceId, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: uniqueTypes(input.eventTypes) } : {}),
      updatedAt: now,
    });
    if (!after) return notFound();
    await recordEvent(
      tx,
      event(after, actor, 'webhook.updated', { before: pick(before), after: pick(after) }, now),
    );
    return ok(after);
  });
}

export async function removeSubscription(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findSubscription(tx, workspaceId, id, { forUpdate: true });
    if (!before) return notFound();
    // Its deliveries and their attempts go with it; their queued jobs find nothing and end.
    await deleteSubscription(tx, workspaceId, id);
    await recordEvent(
      tx,
      event(before, actor, 'webhook.deleted', { before: pick(before) }, deps.clock.now()),
    );
    return ok(null);
  });
}

/** Pauses by hand (idempotent). Events while paused are not delivered. */
export async function pauseSubscription(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  reason: string | undefined,
): Promise<Result<Subscription>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findSubscription(tx, workspaceId, id, { forUpdate: true });
    if (!before) return notFound();
    if (before.status === 'paused') return ok(before);
    const now = deps.clock.now();
    const why = reason ?? 'Paused by hand';
    const after = await updateSubscription(tx, workspaceId, id, {
      status: 'paused',
      pausedReason: why,
      pausedAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, event(before, actor, 'webhook.paused', { reason: why, automatic: false }, now));
    return ok(after!);
  });
}

/** Resumes (idempotent) and starts the count of failed deliveries afresh. */
export async function resumeSubscription(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<Subscription>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findSubscription(tx, workspaceId, id, { forUpdate: true });
    if (!before) return notFound();
    if (before.status === 'active') return ok(before);
    const now = deps.clock.now();
    const after = await updateSubscription(tx, workspaceId, id, {
      status: 'active',
      pausedReason: null,
      pausedAt: null,
      consecutiveFailures: 0,
      updatedAt: now,
    });
    await markActiveFromNow(tx, workspaceId, id);
    await recordEvent(
      tx,
      event(before, actor, 'webhook.resumed', { pausedReason: before.pausedReason }, now),
    );
    return ok(after!);
  });
}

/** A new secret, shown once; the old one keeps signing (a second `v1`) for ROTATION_GRACE_MS. */
export async function rotateSecret(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<{ subscription: Subscription; secret: string }>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findSubscription(tx, workspaceId, id, { forUpdate: true });
    if (!before) return notFound();
    const now = deps.clock.now();
    const secret = newSigningSecret();
    const until = new Date(now.getTime() + ROTATION_GRACE_MS);
    const after = await updateSubscription(tx, workspaceId, id, {
      secret,
      previousSecret: before.secret,
      previousSecretUntil: until,
      updatedAt: now,
    });
    await recordEvent(
      tx,
      event(before, actor, 'webhook.secret_rotated', { previousSecretUntil: until.toISOString() }, now),
    );
    return ok({ subscription: after!, secret });
  });
}

/** A `webhook.test` ping to the subscription, logged like every delivery (also while paused). */
export async function sendTestDelivery(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<Delivery>> {
  return inTransaction(deps.db, async (tx) => {
    const sub = await findSubscription(tx, workspaceId, id);
    if (!sub) return notFound();
    const now = deps.clock.now();
    const delivery = await enqueueDelivery(
      tx,
      {
        workspaceId,
        target: { subscriptionId: sub.id },
        envelope: {
          type: 'webhook.test',
          occurredAt: now.toISOString(),
          workspaceId,
          actor: { type: actor.type, id: actor.id ?? null },
          data: { message: 'A test delivery from Steward', webhook: { id: sub.id, name: sub.name } },
        },
        // One attempt, now: a test says how the receiver answers today, it isn't retried for hours.
        maxAttempts: 1,
      },
      now,
    );
    await recordEvent(tx, event(sub, actor, 'webhook.test_sent', { deliveryId: delivery.id }, now));
    return ok(delivery);
  });
}

/** One more attempt of a delivery, now: the same delivery id, a fresh timestamp and signature. */
export async function redeliver(
  deps: Deps,
  workspaceId: number,
  subscriptionId: number,
  deliveryId: number,
  actor: Actor,
): Promise<Result<Delivery>> {
  return inTransaction(deps.db, async (tx) => {
    const sub = await findSubscription(tx, workspaceId, subscriptionId);
    if (!sub) return notFound();
    const delivery = await findDelivery(tx, workspaceId, deliveryId, subscriptionId);
    if (!delivery) return fail('DELIVERY_NOT_FOUND', 'Delivery not found');
    const now = deps.clock.now();
    await enqueueRedelivery(tx, delivery, now);
    await recordEvent(tx, event(sub, actor, 'webhook.redelivery_requested', { deliveryId }, now));
    return ok(delivery);
  });
}
