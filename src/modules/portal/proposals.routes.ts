import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, iso, isoTime, principalOf, unwrap } from '../../platform/index.js';
import { conversationProposals } from './portal.service.js';

export const proposalSchema = z
  .object({
    id: z.number(),
    conversationId: z.number(),
    customerId: z.number(),
    body: z.string().describe('Plain text, as the customer wrote it: render it as text'),
    createdAt: isoTime,
  })
  .describe('Proposal');

/** What agents read of the solutions customers proposed in the portal. */
export function registerProposalRoutes(app: FastifyInstance, deps: Deps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/conversations/:id/proposals',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary:
          'The solutions the customer proposed in the portal ("what would make this right?"), oldest first',
        params: idParam,
        response: { 200: z.object({ items: z.array(proposalSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const items = unwrap(
        await conversationProposals(deps, principalOf(request).workspaceId, request.params.id),
      );
      return {
        items: items.map((p) => ({
          id: p.id,
          conversationId: p.conversationId,
          customerId: p.customerId,
          body: p.body,
          createdAt: iso(p.createdAt)!,
        })),
      };
    },
  );
}
