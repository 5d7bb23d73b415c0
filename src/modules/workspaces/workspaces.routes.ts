import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  iso,
  isoTime,
  principalOf,
  recordEvent,
} from '../../platform/index.js';
import { findWorkspaceById, updateWorkspace, type Workspace } from './workspaces.repo.js';

const settingsSchema = z.strictObject({
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code, e.g. DE')
    .optional(),
  locale: z.string().min(2).max(20).optional(),
  timeZone: z.string().min(1).max(60).optional(),
  autoCloseDays: z.number().int().min(1).max(365).optional(),
});

export const workspaceSchema = z
  .object({
    id: z.number(),
    slug: z.string(),
    name: z.string(),
    settings: settingsSchema,
    createdAt: isoTime,
  })
  .describe('Workspace');

export const presentWorkspace = (w: Workspace) => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  settings: w.settings,
  createdAt: iso(w.createdAt)!,
});

export function registerWorkspaceRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/workspace',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags: ['workspace'],
        summary: 'The workspace of the caller',
        response: { 200: workspaceSchema, ...commonErrors },
      },
    },
    async (request) => {
      const w = await findWorkspaceById(deps.db, principalOf(request).workspaceId);
      if (!w) throw new HttpError('NOT_FOUND', 'Workspace not found');
      return presentWorkspace(w);
    },
  );
  r.patch(
    '/workspace',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags: ['workspace'],
        summary: 'Rename the workspace or change its settings',
        body: z
          .strictObject({
            name: z.string().trim().min(1).max(120).optional(),
            settings: settingsSchema.optional(),
          })
          .refine(
            (b) => b.name !== undefined || b.settings !== undefined,
            'Nothing to change: send name or settings',
          ),
        response: { 200: workspaceSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const updated = await deps.db.transaction(async (tx) => {
        const before = await findWorkspaceById(tx, p.workspaceId);
        if (!before) return undefined;
        const settings = request.body.settings ? { ...before.settings, ...request.body.settings } : undefined;
        const after = await updateWorkspace(tx, p.workspaceId, { name: request.body.name, settings });
        await recordEvent(tx, {
          workspaceId: p.workspaceId,
          type: 'workspace.updated',
          entityType: 'workspace',
          entityId: p.workspaceId,
          actor: { type: 'person', id: p.personId },
          data: {
            before: { name: before.name, settings: before.settings },
            after: { name: after?.name, settings: after?.settings },
          },
          at: deps.clock.now(),
        });
        return after;
      });
      if (!updated) throw new HttpError('NOT_FOUND', 'Workspace not found');
      return presentWorkspace(updated);
    },
  );
}
