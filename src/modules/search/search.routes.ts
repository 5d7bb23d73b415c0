import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channels, conversationStatuses } from '../../db/schema/index.js';
import {
  commonErrors,
  type Deps,
  HttpError,
  iso,
  isoDateTime,
  isoTime,
  principalOf,
} from '../../platform/index.js';
import { searchMessages } from '../conversations/index.js';
import { customerSchema, presentCustomer, searchCustomers } from '../customers/index.js';

const segment = z.object({ text: z.string(), match: z.boolean() });
const messageHit = z.object({
  messageId: z.number(),
  conversationId: z.number(),
  subject: z.string(),
  status: z.string(),
  assigneeId: z.number().nullable(),
  channel: z.string(),
  direction: z.string(),
  createdAt: isoTime,
  rank: z.number(),
  snippet: z
    .array(segment)
    .describe('The matching passage; render `match` segments highlighted, all as text'),
});

const query = z.strictObject({
  q: z.string().trim().min(1).max(200),
  type: z.enum(['all', 'messages', 'customers']).default('all'),
  status: z
    .union([z.enum(conversationStatuses), z.array(z.enum(conversationStatuses))])
    .optional()
    .transform((v) => (v === undefined ? undefined : [v].flat())),
  assigneeId: z.union([z.literal('none'), z.coerce.number().int().positive()]).optional(),
  channel: z.enum(channels).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** One search box for everything an agent looks for: messages (full text, ranked) and customers. */
export function registerSearchRoutes(app: FastifyInstance, deps: Deps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/search',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['search'],
        summary: 'Search messages (ranked full text, with highlighted passages) and customers',
        querystring: query,
        response: {
          200: z.object({
            messages: z.array(messageHit),
            customers: z.array(z.object({ customer: customerSchema, rank: z.number() })),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const f = request.query;
      if (f.from && f.to && Date.parse(f.from) >= Date.parse(f.to)) {
        throw new HttpError('VALIDATION_FAILED', '`from` must be before `to`');
      }
      const wantMessages = f.type !== 'customers';
      const wantCustomers = f.type !== 'messages' && p.permissions.has('customers.read');
      const messages = wantMessages
        ? await searchMessages(deps.db, p.workspaceId, {
            q: f.q,
            status: f.status,
            assigneeId: f.assigneeId === 'none' ? null : f.assigneeId,
            channel: f.channel,
            from: f.from ? new Date(f.from) : undefined,
            to: f.to ? new Date(f.to) : undefined,
            limit: f.limit,
          })
        : [];
      const customers = wantCustomers ? await searchCustomers(deps.db, p.workspaceId, f.q, f.limit) : [];
      return {
        messages: messages.map((m) => ({ ...m, createdAt: iso(m.createdAt)! })),
        customers: customers.map((c) => ({
          customer: presentCustomer(c.customer, c.identities),
          rank: c.rank,
        })),
      };
    },
  );
}
