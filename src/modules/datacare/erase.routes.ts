import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, principalOf, unwrap } from '../../platform/index.js';
import { eraseCustomer, erasureReasons } from './erase.service.js';

export function registerEraseRoutes(app: FastifyInstance, deps: Deps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/customers/:id/erase',
    {
      config: { action: 'datacare.erase' },
      schema: {
        tags: ['data care'],
        summary: "Erase a customer's personal data (GDPR); conversations and metrics stay",
        description:
          'Removes the name, identities, notes and custom attributes, blanks the subjects, message text, HTML and ' +
          'attachments of their conversations, and scrubs personal values from event data. Conversation and ' +
          'message rows keep their timestamps and statuses. Idempotent. The reason is a code, so the audit ' +
          'event itself holds nothing personal.',
        params: idParam,
        body: z.strictObject({ reason: z.enum(erasureReasons) }),
        response: {
          200: z.object({
            erasure: z.object({
              customerId: z.number(),
              customers: z.number(),
              identities: z.number(),
              conversations: z.number(),
              messages: z.number(),
              attachments: z.number(),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const erasure = unwrap(
        await eraseCustomer(
          deps,
          p.workspaceId,
          request.params.id,
          { type: 'person', id: p.personId },
          request.body.reason,
        ),
      );
      return { erasure };
    },
  );
}
