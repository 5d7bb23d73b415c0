import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channels } from '../../db/schema/conversations.js';
import { type ChannelCapacity, routingModes } from '../../db/schema/routing.js';
import { commonErrors, type Deps, idParam, principalOf, unwrap } from '../../platform/index.js';
import { changeMemberCapacity, changeTeamRouting, teamRoutingView } from './routing.service.js';

const limit = z.number().int().min(0).max(1000);
const capacitySchema = z
  .strictObject(
    Object.fromEntries(channels.map((ch) => [ch, limit.optional()])) as Record<
      (typeof channels)[number],
      z.ZodOptional<typeof limit>
    >,
  )
  .describe(
    'Most open conversations (new, open, pending, on hold) per channel an agent is given by routing, e.g. { "email": 5, "chat": 2 }; a channel not named has no limit, 0 means none',
  );
const modeSchema = z
  .enum(routingModes)
  .describe(
    'manual: nobody is assigned automatically; round_robin: online members in turn; least_busy: the online member with the fewest open conversations',
  );

const routingSchema = z
  .object({
    teamId: z.number(),
    mode: modeSchema,
    capacity: capacitySchema,
    members: z.array(
      z.object({
        personId: z.number(),
        name: z.string(),
        availability: z.enum(['online', 'away', 'offline']),
        capacity: capacitySchema.describe(
          "The member's own limits over the team's (empty: the team's apply)",
        ),
        openConversations: z.number(),
      }),
    ),
  })
  .describe('TeamRouting');

const memberParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  personId: z.coerce.number().int().positive(),
});

export function registerRoutingRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

  r.get(
    '/teams/:id/routing',
    {
      config: { action: 'teams.read' },
      schema: {
        tags: ['teams'],
        summary: "The team's routing: rule, capacities, and each member's availability and open work",
        params: idParam,
        response: { 200: routingSchema, ...commonErrors },
      },
    },
    async (request) =>
      unwrap(await teamRoutingView(deps.db, principalOf(request).workspaceId, request.params.id)),
  );

  r.put(
    '/teams/:id/routing',
    {
      config: { action: 'teams.admin' },
      schema: {
        tags: ['teams'],
        summary: "Set the team's routing rule and its default capacity per channel",
        description:
          'New conversations of the team, and those moved into it unassigned, go to an online member with room, by the rule; when nobody has room they wait in the Unassigned view and are handed out as soon as someone comes online or frees capacity.',
        params: idParam,
        body: z
          .strictObject({ mode: modeSchema.optional(), capacity: capacitySchema.optional() })
          .refine((b) => b.mode !== undefined || b.capacity !== undefined, 'Say what to change'),
        response: { 200: routingSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const body = request.body as { mode?: (typeof routingModes)[number]; capacity?: ChannelCapacity };
      return unwrap(await changeTeamRouting(deps, p.workspaceId, request.params.id, actor(p), body));
    },
  );

  r.put(
    '/teams/:id/routing/members/:personId',
    {
      config: { action: 'teams.admin' },
      schema: {
        tags: ['teams'],
        summary: "A member's own capacity in the team (over the team's, channel by channel)",
        params: memberParams,
        body: z.strictObject({ capacity: capacitySchema }),
        response: { 200: routingSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { id, personId } = request.params;
      return unwrap(
        await changeMemberCapacity(
          deps,
          p.workspaceId,
          id,
          personId,
          actor(p),
          request.body.capacity as ChannelCapacity,
        ),
      );
    },
  );
}
