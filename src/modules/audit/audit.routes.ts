import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schema } from '../../db/index.js';
import { commonErrors, type Deps, iso, isoTime, principalOf } from '../../platform/index.js';

const eventSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    entityType: z.string(),
    entityId: z.number(),
    actorType: z.string(),
    actorId: z.number().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: isoTime,
  })
  .describe('Event');

/**
 * The audit log: every state change of the workspace, newest first, from the append-only event log.
 * Read-only by construction: there is no route that changes or deletes an event.
 */
export function registerAuditRoutes(app: FastifyInstance, deps: Deps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/events',
    {
      config: { action: 'events.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (filter by entity or event type; page with beforeId)',
        querystring: z.strictObject({
          entityType: z.string().trim().min(1).max(40).optional(),
          entityId: z.coerce.number().int().positive().optional(),
          type: z.string().trim().min(1).max(80).optional(),
          beforeId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({ items: z.array(eventSchema), nextBeforeId: z.number().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const e = schema.events;
      const where: SQL[] = [eq(e.workspaceId, p.workspaceId)];
      if (q.entityType) where.push(eq(e.entityType, q.entityType));
      if (q.entityId) where.push(eq(e.entityId, q.entityId));
      if (q.type) where.push(eq(e.type, q.type));
      if (q.beforeId) where.push(lt(e.id, q.beforeId));
      const rows = await deps.db
        .select()
        .from(e)
        .where(and(...where))
        .orderBy(desc(e.id))
        .limit(q.limit);
      return {
        items: rows.map((r) => ({
          id: r.id,
          type: r.type,
          entityType: r.entityType,
          entityId: r.entityId,
          actorType: r.actorType,
          actorId: r.actorId,
          data: r.data,
          createdAt: iso(r.createdAt)!,
        })),
        nextBeforeId: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null,
      };
    },
  );
}
