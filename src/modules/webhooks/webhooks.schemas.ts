import { z } from 'zod';
import { iso, isoTime, optionalIsoTime } from '../../platform/index.js';
import { eventTypePattern } from './event-types.js';
import type { Attempt, Delivery, Subscription } from './webhooks.repo.js';

export const webhookSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string().nullable(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    status: z.enum(['active', 'paused']),
    pausedReason: z.string().nullable(),
    pausedAt: optionalIsoTime,
    ownerId: z.number(),
    consecutiveFailures: z.number().describe('Deliveries in a row that failed for good'),
    previousSecretUntil: optionalIsoTime.describe('Until then the previous secret signs too'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Webhook (its secret is never shown here)');

/** Never the secret: it is shown only by create and rotate-secret. */
export const presentWebhook = (s: Subscription): z.infer<typeof webhookSchema> => ({
  id: s.id,
  name: s.name,
  description: s.description,
  url: s.url,
  eventTypes: s.eventTypes,
  status: s.status,
  pausedReason: s.pausedReason,
  pausedAt: iso(s.pausedAt),
  ownerId: s.ownerId,
  consecutiveFailures: s.consecutiveFailures,
  previousSecretUntil: iso(s.previousSecretUntil),
  createdAt: iso(s.createdAt)!,
  updatedAt: iso(s.updatedAt)!,
});

export const withSecretSchema = z.object({
  webhook: webhookSchema,
  secret: z.string().describe('The signing secret (whsec_…): shown in this response only'),
});

const eventType = z
  .string()
  .max(120)
  .regex(eventTypePattern, 'an event type (conversation.solved), a prefix (conversation.*) or *')
  .refine((t) => !t.startsWith('webhook.'), "webhook.* events (the webhooks' own) are never delivered");

export const webhookBody = {
  name: z.string().trim().min(1).max(120),
  url: z.string().trim().min(1).max(2000).describe('https: (http: only to loopback when allowed)'),
  eventTypes: z.array(eventType).min(1).max(100),
  description: z.string().trim().max(2000).nullable().optional(),
};

export const deliveryStatus = z.enum(['pending', 'succeeded', 'failed', 'cancelled']);

export const deliverySchema = z
  .object({
    id: z.number().describe('Also the Steward-Delivery header: the receiver’s idempotency key'),
    webhookId: z.number().nullable(),
    eventId: z.number().nullable(),
    eventType: z.string(),
    status: deliveryStatus,
    attempts: z.number(),
    maxAttempts: z.number(),
    lastStatusCode: z.number().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: optionalIsoTime,
    createdAt: isoTime,
    completedAt: optionalIsoTime,
  })
  .describe('WebhookDelivery');

export const presentDelivery = (d: Delivery): z.infer<typeof deliverySchema> => ({
  id: d.id,
  webhookId: d.subscriptionId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  createdAt: iso(d.createdAt)!,
  completedAt: iso(d.completedAt),
});

export const attemptSchema = z
  .object({
    id: z.number(),
    url: z.string(),
    manual: z.boolean().describe('A redelivery someone asked for'),
    requestedAt: isoTime,
    durationMs: z.number(),
    statusCode: z.number().nullable(),
    responseBody: z.string().nullable().describe('The first 4 KB of the response'),
    error: z.string().nullable(),
    succeeded: z.boolean(),
  })
  .describe('WebhookAttempt');

export const presentAttempt = (a: Attempt): z.infer<typeof attemptSchema> => ({
  id: a.id,
  url: a.url,
  manual: a.manual,
  requestedAt: iso(a.requestedAt)!,
  durationMs: a.durationMs,
  statusCode: a.statusCode,
  responseBody: a.responseBody,
  error: a.error,
  succeeded: a.succeeded,
});

export const deliveryDetailSchema = z.object({
  delivery: deliverySchema.extend({
    body: z.string().describe('The exact JSON body sent on every attempt'),
  }),
  attempts: z.array(attemptSchema),
});
