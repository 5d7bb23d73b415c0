import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  decodeCursor,
  idParam,
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { customerNotFound, findCustomer } from '../customers/index.js';
import {
  conversationListItemSchema,
  pageSchema,
  presentConversationListItem,
} from './conversations.schemas.js';
import { listConversations } from './inbox-list.repo.js';
import { mergeCustomers } from './merge-customers.service.js';
import { pageOf } from './paging.js';
import { splitCustomer } from './split-customer.service.js';

/** Routes under /customers that are about conversations: they live with the module that owns them. */
export function registerCustomerConversationRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/customers/:id/conversations',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['customers'],
        summary: "A customer's conversations, most recently updated first (keyset pages)",
        params: idParam,
        querystring: z.strictObject(pageQuery),
        response: { 200: pageSchema(conversationListItemSchema), ...commonErrors },
      },
    },
    async (request) => {
      const workspaceId = principalOf(request).workspaceId;
      const customerId = request.params.id;
      if (!(await findCustomer(deps.db, workspaceId, customerId)))
        unwrap(await customerNotFound(deps.db, workspaceId, customerId));
      const { limit, cursor } = request.query;
      const rows = await listConversations(
        deps.db,
        workspaceId,
        { customerId },
        decodeCursor(cursor),
        limit + 1,
      );
      return pageOf(rows, limit, presentConversationListItem);
    },
  );

  r.post(
    '/customers/:id/merge',
    {
      config: { action: 'customers.merge' },
      schema: {
        tags: ['customers'],
        summary: 'Merge another customer into this one: conversations, messages and identities move',
        params: idParam,
        body: z.strictObject({ sourceCustomerId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        response: {
          200: z.object({
            targetCustomerId: z.number(),
            sourceCustomerId: z.number(),
            conversationIds: z.array(z.number()),
            identityIds: z.array(z.number()),
            messagesReattributed: z.number(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return unwrap(
        await mergeCustomers(deps, p.workspaceId, request.params.id, request.body.sourceCustomerId, {
          type: 'person',
          id: p.personId,
        }),
      );
    },
  );

  const ids = z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(1_000);
  r.post(
    '/customers/:id/split',
    {
      config: { action: 'customers.merge' },
      schema: {
        tags: ['customers'],
        summary: 'Split off a new customer: the chosen identities and conversations move to it',
        description: 'For two people taken for one (a shared e-mail, a wrong merge). The reverse of a merge.',
        params: idParam,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          identityIds: ids.default([]),
          conversationIds: ids.default([]),
        }),
        response: {
          201: z.object({
            sourceCustomerId: z.number(),
            newCustomerId: z.number(),
            identityIds: z.array(z.number()),
            conversationIds: z.array(z.number()),
            messagesReattributed: z.number(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const outcome = unwrap(
        await splitCustomer(
          deps,
          p.workspaceId,
          request.params.id,
          { type: 'person', id: p.personId },
          request.body,
        ),
      );
      return reply.status(201).send(outcome);
    },
  );
}
