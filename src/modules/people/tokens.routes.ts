import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  idParam,
  isoDateTime,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { listTokens } from './auth.repo.js';
import { presentToken, tokenSchema } from './people.schemas.js';
import {
  permissionsOfScope,
  type Role,
  scopePattern,
  scopesBeyondRole,
  tokenPermissions,
  validScopes,
} from './permissions.js';
import { createToken, revokeTokenById } from './tokens.service.js';

export function registerTokenRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/tokens',
    {
      config: { action: 'tokens.own' },
      schema: {
        tags: ['tokens'],
        summary: 'Your API tokens (all tokens of the workspace for admins)',
        response: { 200: z.object({ items: z.array(tokenSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const all = p.permissions.has('tokens.admin');
      return {
        items: (await listTokens(deps.db, p.workspaceId, all ? undefined : p.personId)).map(presentToken),
      };
    },
  );

  r.get(
    '/tokens/scopes',
    {
      config: { action: 'tokens.own' },
      schema: {
        tags: ['tokens'],
        summary: 'The scopes a token can have, each with the permissions it grants (cut down to your role)',
        response: {
          200: z.object({
            items: z.array(
              z.object({ scope: z.string(), permissions: z.array(z.string()), usable: z.boolean() }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const role = principalOf(request).role as Role;
      return {
        items: validScopes.map((scope) => ({
          scope,
          permissions: permissionsOfScope(scope),
          usable: scopesBeyondRole(role, [scope]).length === 0,
        })),
      };
    },
  );

  r.post(
    '/tokens',
    {
      config: { action: 'tokens.own' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for yourself; the value is shown in this response only',
        body: z.strictObject({
          name: z.string().trim().min(1).max(80),
          scopes: z
            .array(z.string().regex(scopePattern, `one of ${validScopes.join(', ')}`))
            .min(1)
            .max(20),
          expiresAt: isoDateTime.optional(),
        }),
        response: { 201: z.object({ token: tokenSchema, value: z.string() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      // A token may mint tokens only within what it can do itself; otherwise a narrow `tokens:write` token
      // could create an `all:write` one.
      if (p.via === 'token') {
        const extra = [...tokenPermissions(p.role as Role, request.body.scopes)].filter(
          (x) => !p.permissions.has(x),
        );
        if (extra.length > 0) {
          throw new HttpError('SCOPE_EXCEEDS_ROLE', 'A token cannot create a token stronger than itself', {
            extra,
          });
        }
      }
      const { token, value } = unwrap(
        await createToken(
          deps,
          p.workspaceId,
          p.personId,
          { type: 'person', id: p.personId },
          {
            name: request.body.name,
            scopes: request.body.scopes,
            expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : undefined,
          },
        ),
      );
      return reply.status(201).send({ token: presentToken(token), value });
    },
  );

  r.delete(
    '/tokens/:id',
    {
      config: { action: 'tokens.own' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token',
        params: idParam,
        response: { 200: tokenSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const caller = { personId: p.personId, canAdminister: p.permissions.has('tokens.admin') };
      return presentToken(
        unwrap(
          await revokeTokenById(deps, p.workspaceId, request.params.id, caller, {
            type: 'person',
            id: p.personId,
          }),
        ),
      );
    },
  );
}
