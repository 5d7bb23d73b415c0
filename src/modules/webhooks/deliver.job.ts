import type { Db, Tx } from '../../db/index.js';
import {
  backoffMs,
  type Clock,
  type JobHandler,
  recordEvent,
  systemActor,
  type WebhookSettings,
} from '../../platform/index.js';
import type { JobPayload } from './deliveries.js';
import { type SendOutcome, sendSigned } from './send.js';
import { signatureHeader } from './signature.js';
import {
  countFailure,
  type Delivery,
  findDelivery,
  findSubscription,
  insertAttempt,
  resetFailures,
  type Subscription,
  updateDelivery,
  updateSubscription,
} from './webhooks.repo.js';

export const USER_AGENT = 'Steward-Webhooks/1';

/** The secrets that sign now: the current one, and the previous one during a rotation's grace period. */
export function signingSecrets(sub: Subscription, now: Date): string[] {
  const previous =
    sub.previousSecret && sub.previousSecretUntil && sub.previousSecretUntil > now
      ? [sub.previousSecret]
      : [];
  return [sub.secret, ...previous];
}

export function deliveryHeaders(delivery: Delivery, secrets: string[], now: Date): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'Steward-Event': delivery.eventType,
    'Steward-Delivery': String(delivery.id),
    'Steward-Signature': signatureHeader(secrets, Math.floor(now.getTime() / 1000), delivery.body),
  };
}

type Target = { url: string; secrets: string[]; subscription?: Subscription };

/**
 * `webhook.deliver`: one attempt of a delivery. An external job (at least once): the attempt is logged and
 * the delivery updated after the call; a failed attempt throws, so the job queue retries it with its
 * backoff until the delivery's attempts are spent. Then the delivery is `failed`, and the subscription's
 * run of failed deliveries grows: at `pauseAfterFailures` it is paused and its owner told
 * (`webhook.paused`). A manual redelivery is one attempt that never counts towards pausing.
 */
export function deliverJob(deps: { db: Db; settings: { webhooks: WebhookSettings } }): JobHandler {
  const { db } = deps;
  return {
    kind: 'external',
    async run(job, ctx) {
      const payload = job.payload as JobPayload;
      const manual = payload.manual === true;
      const delivery = await findDelivery(db, job.workspaceId, payload.deliveryId);
      if (!delivery) return; // its subscription was deleted
      if (!manual && delivery.status !== 'pending') return; // done already (a redelivery got there first)
      const now = ctx.clock.now();
      let target: Target;
      if (delivery.subscriptionId !== null) {
        const subscription = await findSubscription(db, job.workspaceId, delivery.subscriptionId);
        if (!subscription) return;
        // A paused webhook sends nothing scheduled; a redelivery or a test ping (someone asked) still goes.
        if (subscription.status === 'paused' && !manual && delivery.eventType !== 'webhook.test') {
          await updateDelivery(db, job.workspaceId, delivery.id, {
            status: 'cancelled',
            lastError: 'The webhook was paused before this delivery was sent',
            nextAttemptAt: null,
            completedAt: now,
            updatedAt: now,
          });
          return;
        }
        target = { url: subscription.url, secrets: signingSecrets(subscription, now), subscription };
      } else {
        target = { url: delivery.targetUrl ?? '', secrets: [delivery.targetSecret ?? ''] };
      }
      const headers = deliveryHeaders(delivery, target.secrets, now);
      const outcome = await sendSigned(target.url, headers, delivery.body, deps.settings.webhooks);
      const final = !manual && job.attempts >= job.maxAttempts;
      await record(deps, ctx.clock, delivery, target, outcome, {
        manual,
        final,
        requestedAt: now,
        jobAttempts: job.attempts,
      });
      if (!outcome.ok) throw new Error(outcome.error ?? 'delivery failed');
    },
  };
}

async function record(
  deps: { db: Db; settings: { webhooks: WebhookSettings } },
  clock: Clock,
  delivery: Delivery,
  target: Target,
  outcome: SendOutcome,
  attempt: { manual: boolean; final: boolean; requestedAt: Date; jobAttempts: number },
): Promise<void> {
  const ws = delivery.workspaceId;
  await deps.db.transaction(async (tx) => {
    const now = clock.now();
    await insertAttempt(tx, {
      workspaceId: ws,
      deliveryId: delivery.id,
      url: target.url,
      manual: attempt.manual,
      requestedAt: attempt.requestedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode,
      responseBody: outcome.responseBody,
      error: outcome.error,
      succeeded: outcome.ok,
    });
    const attempts = delivery.attempts + 1;
    const common = {
      attempts,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      updatedAt: now,
    };
    const sub = target.subscription;
    if (!sub && !attempt.manual && (outcome.ok || attempt.final))
      await recordSignedCallOutcome(tx, delivery, outcome, now);
    if (outcome.ok) {
      await updateDelivery(tx, ws, delivery.id, {
        ...common,
        status: 'succeeded',
        nextAttemptAt: null,
        completedAt: delivery.completedAt && delivery.status === 'succeeded' ? delivery.completedAt : now,
      });
      if (sub) await resetFailures(tx, ws, sub.id);
      return;
    }
    if (attempt.manual) {
      // A failed redelivery changes nothing else: a pending delivery keeps its schedule, a finished one its outcome.
      await updateDelivery(tx, ws, delivery.id, common);
      return;
    }
    if (!attempt.final) {
      await updateDelivery(tx, ws, delivery.id, {
        ...common,
        // When the job queue retries it (its backoff, by the job's attempt count).
        nextAttemptAt: new Date(now.getTime() + backoffMs(attempt.jobAttempts)),
      });
      return;
    }
    await updateDelivery(tx, ws, delivery.id, {
      ...common,
      status: 'failed',
      nextAttemptAt: null,
      completedAt: now,
    });
    // A test ping that fails says so in its log, but doesn't count towards pausing the webhook.
    if (!sub || delivery.eventType === 'webhook.test') return;
    const counted = await countFailure(tx, ws, sub.id, now);
    const limit = deps.settings.webhooks.pauseAfterFailures;
    if (counted?.status !== 'active' || counted.consecutiveFailures < limit) return;
    const reason = `Paused after ${counted.consecutiveFailures} deliveries in a row failed`;
    await updateSubscription(tx, ws, sub.id, {
      status: 'paused',
      pausedReason: reason,
      pausedAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId: ws,
      type: 'webhook.paused',
      entityType: 'webhook',
      entityId: sub.id,
      actor: systemActor,
      data: {
        reason,
        automatic: true,
        consecutiveFailures: counted.consecutiveFailures,
        lastError: outcome.error,
        notifyPersonIds: [counted.ownerId],
        notifyKind: 'webhook_paused',
        notifyTitle: `Webhook "${counted.name}" paused after repeated failures`,
      },
      at: now,
    });
  });
}

/**
 * A module's signed call (no subscription) ended, delivered or failed for good: `signed_call.succeeded` /
 * `signed_call.failed`, naming what the call was about (its envelope's entity), so the module that made the
 * call learns the outcome from the event log (a bridge marks its reply sent or failed).
 */
async function recordSignedCallOutcome(tx: Tx, delivery: Delivery, outcome: SendOutcome, now: Date) {
  let entity: unknown = null;
  try {
    entity = (JSON.parse(delivery.body) as { entity?: unknown }).entity ?? null;
  } catch {}
  await recordEvent(tx, {
    workspaceId: delivery.workspaceId,
    type: outcome.ok ? 'signed_call.succeeded' : 'signed_call.failed',
    entityType: 'webhook_delivery',
    entityId: delivery.id,
    actor: { type: 'system' },
    data: {
      eventType: delivery.eventType,
      entity,
      statusCode: outcome.statusCode ?? null,
      error: outcome.ok ? null : (outcome.error ?? `HTTP ${outcome.statusCode}`),
    },
    at: now,
  });
}
