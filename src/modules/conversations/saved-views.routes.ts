import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, iso, isoTime, principalOf, unwrap } from '../../platform/index.js';
import { NONE_FITS } from './contact-reason.service.js';
import { channelSchema, prioritySchema, statusSchema } from './conversations.schemas.js';
import { inboxSorts } from './inbox-sorts.js';
import {
  changeSavedView,
  createSavedView,
  listSavedViews,
  removeSavedView,
  type SavedView,
} from './saved-views.js';

const personOrTeamId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const filters = z
  .strictObject({
    statuses: z
      .array(statusSchema)
      .min(1)
      .max(6)
      .transform((s) => [...new Set(s)])
      .optional(),
    priority: prioritySchema.optional(),
    teamId: z
      .union([z.literal('mine'), personOrTeamId])
      .optional()
      .describe('A team id, or `mine`'),
    assigneeId: z
      .union([z.literal('me'), z.literal('none'), personOrTeamId])
      .optional()
      .describe('A person id, `me` (whoever opens the view) or `none` (unassigned)'),
    channel: channelSchema.optional(),
    tag: z.string().trim().toLowerCase().min(1).max(50).optional(),
    tier: z.string().trim().min(1).max(50).optional().describe("The customer's tier"),
    contactReasonId: z
      .union([z.literal('none'), z.literal(NONE_FITS), personOrTeamId])
      .optional()
      .describe(
        'A contact reason id (of this workspace; a group matches its sub-reasons too), `none` (no reason yet) or `none_fits` (a person said no reason fits)',
      ),
    distressed: z
      .literal(true)
      .optional()
      .describe(
        'Only conversations whose customer showed distress (anger, a threat to leave...); leave it out for any',
      ),
  })
  .describe('SavedViewFilters');
const filtersOut = z
  .object({
    statuses: z.array(z.string()).optional(),
    priority: z.string().optional(),
    teamId: z.union([z.literal('mine'), z.number()]).optional(),
    assigneeId: z.union([z.literal('me'), z.literal('none'), z.number()]).optional(),
    channel: z.string().optional(),
    tag: z.string().optional(),
    tier: z.string().optional(),
    contactReasonId: z.union([z.literal('none'), z.literal(NONE_FITS), z.number()]).optional(),
    distressed: z.boolean().optional(),
  })
  .describe('SavedViewFiltersOut');
const fields = {
  name: z.string().trim().min(1).max(60),
  filters,
  sort: z.enum(inboxSorts).optional(),
  position: z.number().int().min(0).max(1000).optional().describe('Lower comes first in the navigation'),
  shared: z.boolean().optional().describe("The workspace's (leads and admins keep these), else your own"),
};
const viewSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    filters: filtersOut,
    sort: z.enum(inboxSorts),
    position: z.number(),
    shared: z.boolean(),
    ownerId: z.number().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('SavedView');

const present = (v: SavedView) => ({
  id: v.id,
  name: v.name,
  filters: v.filters,
  sort: v.sort,
  position: v.position,
  shared: v.ownerId === null,
  ownerId: v.ownerId,
  createdAt: iso(v.createdAt)!,
  updatedAt: iso(v.updatedAt)!,
});

const tags = ['views'];

export function registerSavedViewRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/views',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "My saved inbox views: the workspace's shared ones and my own",
        response: { 200: z.object({ items: z.array(viewSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { items: (await listSavedViews(deps.db, p.workspaceId, p.personId)).map(present) };
    },
  );

  r.post(
    '/views',
    {
      config: { action: 'views.write' },
      schema: {
        tags,
        summary: 'Save an inbox view: filters and a sort (shared ones need views.admin)',
        body: z.strictObject(fields),
        response: { 201: viewSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(present(unwrap(await createSavedView(deps, principalOf(request), request.body)))),
  );

  r.patch(
    '/views/:id',
    {
      config: { action: 'views.write' },
      schema: {
        tags,
        summary: 'Change a saved view: your own, or a shared one with views.admin',
        params: idParam,
        body: z.strictObject({
          name: fields.name.optional(),
          filters: filters.optional(),
          sort: fields.sort,
          position: fields.position,
          shared: fields.shared,
        }),
        response: { 200: viewSchema, ...commonErrors },
      },
    },
    async (request) =>
      present(unwrap(await changeSavedView(deps, principalOf(request), request.params.id, request.body))),
  );

  r.delete(
    '/views/:id',
    {
      config: { action: 'views.write' },
      schema: {
        tags,
        summary: 'Delete a saved view: your own, or a shared one with views.admin',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      unwrap(await removeSavedView(deps, principalOf(request), request.params.id));
      return reply.status(204).send(null);
    },
  );
}
