import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, HttpError, idParam, principalOf, unwrap } from '../../platform/index.js';
import { findDepartment, listDepartments } from './departments.repo.js';
import { changeDepartment, createDepartment, removeDepartment } from './departments.service.js';
import { departmentBody, departmentSchema, presentDepartment } from './reasons.schemas.js';

const tags = ['contact reasons'];

export function registerDepartmentRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

  r.get(
    '/departments',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'List departments (the owners of root causes)',
        response: { 200: z.object({ items: z.array(departmentSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listDepartments(deps.db, principalOf(request).workspaceId)).map(presentDepartment),
    }),
  );

  r.post(
    '/departments',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Create a department',
        body: z.strictObject(departmentBody),
        response: { 201: departmentSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const d = unwrap(await createDepartment(deps, p.workspaceId, actor(p), request.body));
      return reply.status(201).send(presentDepartment(d));
    },
  );

  r.get(
    '/departments/:id',
    {
      config: { action: 'reasons.read' },
      schema: {
        tags,
        summary: 'One department',
        params: idParam,
        response: { 200: departmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const d = await findDepartment(deps.db, principalOf(request).workspaceId, request.params.id);
      if (!d) throw new HttpError('DEPARTMENT_NOT_FOUND', 'Department not found');
      return presentDepartment(d);
    },
  );

  r.patch(
    '/departments/:id',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Rename a department or change its description',
        params: idParam,
        body: z.strictObject({ ...departmentBody, name: departmentBody.name.optional() }),
        response: { 200: departmentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentDepartment(
        unwrap(await changeDepartment(deps, p.workspaceId, request.params.id, actor(p), request.body)),
      );
    },
  );

  r.delete(
    '/departments/:id',
    {
      config: { action: 'reasons.admin' },
      schema: {
        tags,
        summary: 'Delete a department that owns no contact reason',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeDepartment(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );
}
