import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, principalOf, unwrap } from '../../platform/index.js';
import { addMessage, callerOf, messageSchema, presentMessage } from '../conversations/index.js';

/**
 * Forwarding a conversation to a third party (a supplier, another department) by e-mail: an internal note
 * that Steward sends, with the customer's last mail quoted. The customer gets nothing; the note shows the
 * addresses and the delivery state like a reply.
 */
export function registerForwardRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/conversations/:id/forward',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['email'],
        summary: 'Forward the conversation by e-mail to a third party (an internal note Steward sends)',
        params: idParam,
        body: z.strictObject({
          to: z.array(z.email().max(254)).min(1).max(10),
          note: z.string().max(20_000).optional().describe('Your words above the forwarded mail'),
        }),
        response: { 201: z.object({ message: messageSchema }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { to, note } = request.body;
      const added = unwrap(
        await addMessage(deps, p.workspaceId, request.params.id, callerOf(p), {
          direction: 'note',
          channel: 'email',
          body: note?.trim() || `Forwarded to ${to.join(', ')}`,
          channelMeta: { forward: true, to },
        }),
      );
      return reply.status(201).send({ message: presentMessage(added.message) });
    },
  );
}
