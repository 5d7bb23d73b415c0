import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, principalOf, unwrap } from '../../platform/index.js';
import { listForms } from './forms.repo.js';
import { contactFormSchema, formPatchBody, newFormBody, presentForm } from './forms.schemas.js';
import { changeForm, createForm, readForm, removeForm } from './forms.service.js';

/** The admin API of contact forms: the workspace's admins keep them (`workspace.admin`). */
export function registerContactFormRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { action: 'workspace.admin' };
  const tags = ['contact forms'];

  r.get(
    '/contact-forms',
    {
      config,
      schema: {
        tags,
        summary: "The workspace's contact forms",
        response: { 200: z.object({ items: z.array(contactFormSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listForms(deps.db, principalOf(request).workspaceId)).map(presentForm),
    }),
  );

  r.post(
    '/contact-forms',
    {
      config,
      schema: {
        tags,
        summary: 'Create a contact form (its public key is generated)',
        body: newFormBody,
        response: { 201: contactFormSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const form = unwrap(await createForm(deps, p.workspaceId, p.personId, request.body));
      return reply.status(201).send(presentForm(form));
    },
  );

  r.get(
    '/contact-forms/:id',
    {
      config,
      schema: {
        tags,
        summary: 'A contact form',
        params: idParam,
        response: { 200: contactFormSchema, ...commonErrors },
      },
    },
    async (request) =>
      presentForm(unwrap(await readForm(deps, principalOf(request).workspaceId, request.params.id))),
  );

  r.patch(
    '/contact-forms/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a contact form',
        params: idParam,
        body: formPatchBody,
        response: { 200: contactFormSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentForm(
        unwrap(await changeForm(deps, p.workspaceId, p.personId, request.params.id, request.body)),
      );
    },
  );

  r.delete(
    '/contact-forms/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a contact form (its conversations stay)',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeForm(deps, p.workspaceId, p.personId, request.params.id));
      return reply.status(204).send(null);
    },
  );
}
