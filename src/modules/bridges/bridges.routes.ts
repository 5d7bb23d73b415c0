import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bridgeChannels } from '../../db/schema/bridges.js';
import {
  commonErrors,
  type Deps,
  HttpError,
  idParam,
  iso,
  isoTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { type Bridge, findBridgeById, listBridges } from './bridges.repo.js';
import { changeBridge, createBridge, removeBridge } from './bridges.service.js';
import { inboundMessageSchema, receiveBridgeMessage } from './inbound.service.js';
import { verifySignature } from './signature.js';

export const bridgeSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    channel: z.enum(bridgeChannels),
    replyUrl: z.string().nullable(),
    teamId: z.number().nullable(),
    inboundPath: z.string().describe('POST signed JSON messages here'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('MessagingBridge');

const present = (b: Bridge) => ({
  id: b.id,
  name: b.name,
  channel: b.channel,
  replyUrl: b.replyUrl,
  teamId: b.teamId,
  inboundPath: `/api/v1/messaging-bridges/${b.id}/messages`,
  createdAt: iso(b.createdAt)!,
  updatedAt: iso(b.updatedAt)!,
});

const withSecret = z.object({
  bridge: bridgeSchema,
  secret: z
    .string()
    .describe('Shown only now: signs what the bridge posts and verifies what Steward sends it'),
});

const fields = {
  name: z.string().trim().min(1).max(120),
  channel: z.enum(bridgeChannels),
  replyUrl: z
    .url()
    .max(2_000)
    .nullable()
    .optional()
    .describe('Where replies are POSTed (signed); none: receive only'),
  teamId: z.number().int().positive().nullable().optional(),
};

const tags = ['messaging bridges'];

export function registerBridgeRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

  r.get(
    '/messaging-bridges',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'List the messaging bridges (SMS, WhatsApp, social)',
        response: { 200: z.object({ items: z.array(bridgeSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listBridges(deps.db, principalOf(request).workspaceId)).map(present),
    }),
  );

  r.post(
    '/messaging-bridges',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Add a bridge; the answer carries its secret, shown once',
        body: z.strictObject(fields),
        response: { 201: withSecret, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const bridge = unwrap(await createBridge(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send({ bridge: present(bridge), secret: bridge.secret });
    },
  );

  r.patch(
    '/messaging-bridges/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change a bridge',
        params: idParam,
        body: z.strictObject(fields).partial(),
        response: { 200: bridgeSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return present(
        unwrap(await changeBridge(deps, p.workspaceId, request.params.id, actor(p), request.body)),
      );
    },
  );

  r.post(
    '/messaging-bridges/:id/rotate-secret',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Replace the secret (the old one stops working at once)',
        params: idParam,
        response: { 200: withSecret, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const bridge = unwrap(
        await changeBridge(deps, p.workspaceId, request.params.id, actor(p), { rotateSecret: true }),
      );
      return { bridge: present(bridge), secret: bridge.secret };
    },
  );

  r.delete(
    '/messaging-bridges/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Remove a bridge',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeBridge(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );
}

/**
 * The bridges' inbound route, in a scope of its own: the signature covers the exact bytes, so this scope's
 * JSON parser keeps them beside the parsed body.
 */
export async function registerBridgeInbound(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      (request as { rawBody?: string }).rawBody = String(body);
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new HttpError('VALIDATION_FAILED', 'The body is not valid JSON'), undefined);
      }
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/messaging-bridges/:id/messages',
      {
        config: { public: true, rateLimit: { max: 1200, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'A message a customer sent through a bridge (signed; idempotent on externalId)',
          description:
            'Header `Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; a timestamp more than 5 minutes off is refused as a replay. See examples/sms-bridge.ts.',
          params: idParam,
          security: [],
          body: inboundMessageSchema,
          response: {
            201: z.object({ conversationId: z.number(), messageId: z.number(), duplicate: z.boolean() }),
            200: z.object({ conversationId: z.number(), messageId: z.number(), duplicate: z.boolean() }),
            ...commonErrors,
          },
        },
      },
      async (request, reply) => {
        const bridge = await findBridgeById(deps.db, request.params.id);
        const raw = (request as { rawBody?: string }).rawBody ?? '';
        const header = request.headers['steward-signature'];
        const verdict = bridge
          ? verifySignature(
              typeof header === 'string' ? header : undefined,
              bridge.secret,
              raw,
              Math.floor(deps.clock.now().getTime() / 1000),
            )
          : 'mismatch';
        // One answer for an unknown bridge and a bad signature: ids don't leak between workspaces.
        if (verdict !== 'ok' || !bridge)
          throw new HttpError(
            'UNAUTHENTICATED',
            verdict === 'stale'
              ? 'The signature timestamp is more than 5 minutes off (a replay?)'
              : 'A valid Steward-Signature of this bridge is needed',
          );
        const received = unwrap(await receiveBridgeMessage(deps, bridge, request.body));
        return reply.status(received.duplicate ? 200 : 201).send({
          conversationId: received.conversationId,
          messageId: received.messageId,
          duplicate: received.duplicate,
        });
      },
    );
  });
}
