import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, HttpError, idParam, principalOf, unwrap } from '../../platform/index.js';
import { findPerson, listPeople } from './people.repo.js';
import {
  availabilitySchema,
  email,
  password,
  personSchema,
  presentPerson,
  roleSchema,
} from './people.schemas.js';
import { createPerson, updatePersonProfile } from './people.service.js';

const actorOf = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

export function registerPeopleRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/people',
    {
      config: { action: 'people.read' },
      schema: {
        tags: ['people'],
        summary: 'List the staff of the workspace',
        querystring: z.strictObject({
          q: z.string().trim().min(1).max(100).optional(),
          role: roleSchema.optional(),
          status: z.enum(['active', 'deactivated', 'invited']).optional(),
          availability: availabilitySchema.optional(),
          afterId: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({ items: z.array(personSchema), nextAfterId: z.number().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const rows = await listPeople(deps.db, principalOf(request).workspaceId, request.query);
      const last = rows.at(-1);
      return {
        items: rows.map(presentPerson),
        nextAfterId: rows.length === request.query.limit && last ? last.id : null,
      };
    },
  );

  r.post(
    '/people',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Add a colleague; without a password one is generated and returned once',
        body: z.strictObject({
          email,
          name: z.string().trim().min(1).max(120),
          role: roleSchema,
          password: password.optional(),
          isOwner: z.boolean().optional(),
        }),
        response: {
          201: z.object({ person: personSchema, generatedPassword: z.string().optional() }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (request.body.isOwner && request.body.role !== 'admin') {
        throw new HttpError('VALIDATION_FAILED', 'An owner must have the admin role');
      }
      const created = unwrap(await createPerson(deps, p.workspaceId, actorOf(p), request.body));
      return reply
        .status(201)
        .send({ person: presentPerson(created.person), generatedPassword: created.generatedPassword });
    },
  );

  r.get(
    '/people/:id',
    {
      config: { action: 'people.read' },
      schema: {
        tags: ['people'],
        summary: 'One person',
        params: idParam,
        response: { 200: personSchema, ...commonErrors },
      },
    },
    async (request) => {
      const person = await findPerson(deps.db, principalOf(request).workspaceId, request.params.id);
      if (!person) throw new HttpError('PERSON_NOT_FOUND', 'Person not found');
      return presentPerson(person);
    },
  );

  r.patch(
    '/people/:id',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Rename, change role or ownership, deactivate or reactivate a person',
        params: idParam,
        body: z.strictObject({
          name: z.string().trim().min(1).max(120).optional(),
          role: roleSchema.optional(),
          isOwner: z.boolean().optional(),
          status: z.enum(['active', 'deactivated']).optional(),
        }),
        response: { 200: personSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const person = unwrap(
        await updatePersonProfile(deps, p.workspaceId, request.params.id, actorOf(p), request.body),
      );
      return presentPerson(person);
    },
  );
}
