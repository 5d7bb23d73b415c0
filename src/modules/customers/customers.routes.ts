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
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { listCustomers } from './customers.repo.js';
import {
  createCustomerBody,
  customerSchema,
  identitySchema,
  newIdentityBody,
  presentCustomer,
  presentIdentity,
  updateCustomerBody,
} from './customers.schemas.js';
import { searchCustomers } from './customers.search.js';
import {
  addCustomerIdentity,
  createCustomer,
  readCustomer,
  removeCustomerIdentity,
  updateCustomer,
} from './customers.service.js';
import { listIdentities } from './identities.repo.js';

const actorOf = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
const safeId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const identityParams = z.strictObject({ id: safeId, identityId: safeId });
const tags = ['customers'];

export function registerCustomerRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/customers',
    {
      config: { action: 'customers.read' },
      schema: {
        tags,
        summary: 'List customers, most recently updated first; with q, search them instead',
        description:
          'q finds an exact e-mail, phone (any common format), chat, social or external id first, then name or company prefixes, then partial e-mails, names and phone-number endings. Search results are one page (nextCursor is null).',
        querystring: z.strictObject({ q: z.string().trim().min(1).max(200).optional(), ...pageQuery }),
        response: {
          200: z.object({ items: z.array(customerSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const { q, limit, cursor } = request.query;
      if (q !== undefined) {
        if (cursor) throw new HttpError('VALIDATION_FAILED', 'A search (q) is one page: it takes no cursor');
        const hits = await searchCustomers(deps.db, workspaceId, q, limit);
        return { items: hits.map((h) => presentCustomer(h.customer, h.identities)), nextCursor: null };
      }
      const rows = await listCustomers(deps.db, workspaceId, { cursor: decodeCursor(cursor), limit });
      const identities = await listIdentities(
        deps.db,
        workspaceId,
        rows.map((c) => c.id),
      );
      const last = rows.at(-1);
      return {
        items: rows.map((c) => presentCustomer(c, identities)),
        nextCursor:
          rows.length === limit && last
            ? encodeCursor({ t: last.updatedAt.toISOString(), id: last.id })
            : null,
      };
    },
  );

  r.post(
    '/customers',
    {
      config: { action: 'customers.write' },
      schema: {
        tags,
        summary: 'Create a customer with optional identities (e-mail, phone, chat, social, external id)',
        body: createCustomerBody,
        response: { 201: customerSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const view = unwrap(await createCustomer(deps, p.workspaceId, actorOf(p), request.body));
      return reply.status(201).send(presentCustomer(view.customer, view.identities));
    },
  );

  r.get(
    '/customers/:id',
    {
      config: { action: 'customers.read' },
      schema: {
        tags,
        summary: 'One customer with their identities; a merged one is 404 with details.mergedIntoId',
        params: idParam,
        response: { 200: customerSchema, ...commonErrors },
      },
    },
    async (request) => {
      const view = unwrap(await readCustomer(deps.db, principalOf(request).workspaceId, request.params.id));
      return presentCustomer(view.customer, view.identities);
    },
  );

  r.patch(
    '/customers/:id',
    {
      config: { action: 'customers.write' },
      schema: {
        tags,
        summary: 'Change a customer profile; attributes are merged (null removes a key)',
        params: idParam,
        body: updateCustomerBody,
        response: { 200: customerSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const view = unwrap(
        await updateCustomer(deps, p.workspaceId, request.params.id, actorOf(p), request.body),
      );
      return presentCustomer(view.customer, view.identities);
    },
  );

  r.post(
    '/customers/:id/identities',
    {
      config: { action: 'customers.write' },
      schema: {
        tags,
        summary: 'Add an identity; 409 IDENTITY_TAKEN names the customer who already has it',
        params: idParam,
        body: newIdentityBody,
        response: { 201: identitySchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const identity = unwrap(
        await addCustomerIdentity(deps, p.workspaceId, request.params.id, actorOf(p), request.body),
      );
      return reply.status(201).send(presentIdentity(identity));
    },
  );

  r.delete(
    '/customers/:id/identities/:identityId',
    {
      config: { action: 'customers.write' },
      schema: {
        tags,
        summary: 'Remove an identity from a customer',
        params: identityParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id, identityId } = request.params;
      unwrap(await removeCustomerIdentity(deps, p.workspaceId, id, identityId, actorOf(p)));
      return reply.status(204).send(null);
    },
  );
}
