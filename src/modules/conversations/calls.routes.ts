import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callOutcomes } from '../../db/schema/conversations.js';
import { commonErrors, type Deps, idParam, principalOf, unwrap } from '../../platform/index.js';
import { logCall, logCallAsConversation } from './calls.service.js';
import { customerRef } from './conversations.routes.js';
import {
  conversationSchema,
  messageSchema,
  presentConversation,
  presentMessage,
  subject,
} from './conversations.schemas.js';
import { callerOf } from './references.js';

const call = {
  direction: z.enum(['inbound', 'outbound']).describe('inbound: the customer called; outbound: we called'),
  durationSeconds: z.number().int().min(0).max(86_400),
  outcome: z.enum(callOutcomes),
  notes: z.string().max(20_000).optional(),
};

const logged = z.object({ conversation: conversationSchema, message: messageSchema });
const tags = ['conversations'];

export function registerCallRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/conversations/:id/calls',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary:
          'Log a phone call on a conversation (a contact on the phone channel; its duration is handle time)',
        params: idParam,
        body: z.strictObject(call),
        response: { 201: logged, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const added = unwrap(await logCall(deps, p.workspaceId, request.params.id, callerOf(p), request.body));
      return reply.status(201).send({
        conversation: presentConversation(added.conversation),
        message: presentMessage(added.message),
      });
    },
  );

  r.post(
    '/calls',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Log a phone call as a new conversation (assigned to whoever logs it)',
        body: z.strictObject({
          ...call,
          subject,
          customer: customerRef,
          teamId: z.number().int().positive().nullable().optional(),
        }),
        response: { 201: logged, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = unwrap(await logCallAsConversation(deps, p.workspaceId, callerOf(p), request.body));
      return reply.status(201).send({
        conversation: presentConversation(created.conversation),
        message: presentMessage(created.message),
      });
    },
  );
}
