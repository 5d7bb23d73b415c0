import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  decodeCursor,
  encodeCursor,
  HttpError,
  idParam,
  iso,
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import {
  findDelivery,
  findSubscription,
  listAttempts,
  listDeliveries,
  listSubscriptions,
} from './webhooks.repo.js';
import {
  deliveryDetailSchema,
  deliverySchema,
  deliveryStatus,
  presentAttempt,
  presentDelivery,
  presentWebhook,
  webhookBody,
  webhookSchema,
  withSecretSchema,
} from './webhooks.schemas.js';
import {
  changeSubscription,
  createSubscription,
  pauseSubscription,
  redeliver,
  removeSubscription,
  resumeSubscription,
  rotateSecret,
  sendTestDelivery,
} from './webhooks.service.js';

const deliveryParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  deliveryId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Every route needs `webhooks.admin`: a webhook sends the workspace's events out of Steward. */
export function registerWebhookRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { action: 'webhooks.admin' };
  const tags = ['webhooks'];
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  const mustExist = async (workspaceId: number, id: number) => {
    const sub = await findSubscription(deps.db, workspaceId, id);
    if (!sub) throw new HttpError('WEBHOOK_NOT_FOUND', 'Webhook not found');
    return sub;
  };

  r.get(
    '/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'List webhooks',
        response: { 200: z.object({ items: z.array(webhookSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listSubscriptions(deps.db, principalOf(request).workspaceId)).map(presentWebhook),
    }),
  );

  r.post(
    '/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Create a webhook; its signing secret is shown in this response only',
        body: z.strictObject(webhookBody),
        response: { 201: withSecretSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { subscription, secret } = unwrap(
        await createSubscription(deps, p.workspaceId, { personId: p.personId }, actor(p), request.body),
      );
      return reply.status(201).send({ webhook: presentWebhook(subscription), secret });
    },
  );

  r.get(
    '/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One webhook',
        params: idParam,
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => presentWebhook(await mustExist(principalOf(request).workspaceId, request.params.id)),
  );

  r.patch(
    '/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a webhook’s name, URL, event types or description',
        params: idParam,
        body: z.strictObject({
          name: webhookBody.name.optional(),
          url: webhookBody.url.optional(),
          eventTypes: webhookBody.eventTypes.optional(),
          description: webhookBody.description,
        }),
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentWebhook(
        unwrap(await changeSubscription(deps, p.workspaceId, request.params.id, actor(p), request.body)),
      );
    },
  );

  r.delete(
    '/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeSubscription(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/webhooks/:id/pause',
    {
      config,
      schema: {
        tags,
        summary: 'Pause a webhook: events that happen while it is paused are not delivered',
        params: idParam,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional(),
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentWebhook(
        unwrap(
          await pauseSubscription(deps, p.workspaceId, request.params.id, actor(p), request.body?.reason),
        ),
      );
    },
  );

  r.post(
    '/webhooks/:id/resume',
    {
      config,
      schema: {
        tags,
        summary: 'Resume a paused webhook (its count of failed deliveries starts afresh)',
        params: idParam,
        response: { 200: webhookSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentWebhook(
        unwrap(await resumeSubscription(deps, p.workspaceId, request.params.id, actor(p))),
      );
    },
  );

  r.post(
    '/webhooks/:id/rotate-secret',
    {
      config,
      schema: {
        tags,
        summary: 'A new signing secret, shown in this response only; the old one also signs for 24 hours',
        params: idParam,
        response: { 200: withSecretSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subscription, secret } = unwrap(
        await rotateSecret(deps, p.workspaceId, request.params.id, actor(p)),
      );
      return { webhook: presentWebhook(subscription), secret };
    },
  );

  r.post(
    '/webhooks/:id/test',
    {
      config,
      schema: {
        tags,
        summary: 'Send a webhook.test ping (one attempt, logged like every delivery)',
        params: idParam,
        response: { 202: deliverySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const delivery = unwrap(await sendTestDelivery(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(202).send(presentDelivery(delivery));
    },
  );

  r.get(
    '/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'The delivery log of a webhook, newest first',
        params: idParam,
        querystring: z.strictObject({ ...pageQuery, status: deliveryStatus.optional() }),
        response: {
          200: z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const q = request.query;
      const after = decodeCursor(q.cursor);
      await mustExist(ws, request.params.id);
      const rows = await listDeliveries(deps.db, ws, request.params.id, {
        status: q.status,
        after,
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentDelivery),
        nextCursor:
          rows.length > q.limit && last ? encodeCursor({ t: iso(last.createdAt)!, id: last.id }) : null,
      };
    },
  );

  r.get(
    '/webhooks/:id/deliveries/:deliveryId',
    {
      config,
      schema: {
        tags,
        summary: 'One delivery with its body and every attempt (status, duration, response)',
        params: deliveryParams,
        response: { 200: deliveryDetailSchema, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      await mustExist(ws, request.params.id);
      const delivery = await findDelivery(deps.db, ws, request.params.deliveryId, request.params.id);
      if (!delivery) throw new HttpError('DELIVERY_NOT_FOUND', 'Delivery not found');
      return {
        delivery: { ...presentDelivery(delivery), body: delivery.body },
        attempts: (await listAttempts(deps.db, ws, delivery.id)).map(presentAttempt),
      };
    },
  );

  r.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config,
      schema: {
        tags,
        summary: 'Send a delivery again now: the same delivery id, a fresh timestamp and signature',
        params: deliveryParams,
        response: { 202: deliverySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const delivery = unwrap(
        await redeliver(deps, p.workspaceId, request.params.id, request.params.deliveryId, actor(p)),
      );
      return reply.status(202).send(presentDelivery(delivery));
    },
  );
}
