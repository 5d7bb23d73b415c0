import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  isoDateTime,
  isoTime,
  principalOf,
  reportPeriod,
} from '../../platform/index.js';
import { keptCounts, listOverdue } from './commitments.repo.js';
import { commitmentSchema, presentCommitment } from './commitments.routes.js';
import { keptRate } from './kept-rate.js';

const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const rateRow = z.object({
  id: z.number().nullable().describe('The person or team (null: no team)'),
  name: z.string().nullable(),
  due: z.number().describe('Commitments due in the period with a known outcome'),
  kept: z.number().describe('Of those, fulfilled by their due time'),
  rate: z.number().nullable().describe('kept / due; null when nothing was due'),
});

const tags = ['commitments'];

/** The workspace's view of its promises: the overdue list and the promise-kept rate. */
export function registerCommitmentFigureRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/commitments/overdue',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: 'Open promises past their due time, the longest overdue first',
        querystring: z.strictObject({
          ownerId: queryId.optional(),
          teamId: queryId.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(
              commitmentSchema.extend({ conversationSubject: z.string(), ownerName: z.string() }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      const now = deps.clock.now();
      const rows = await listOverdue(deps.db, principalOf(request).workspaceId, now, filter, limit);
      return {
        items: rows.map((c) => ({
          ...presentCommitment(c, now),
          conversationSubject: c.conversationSubject,
          ownerName: c.ownerName,
        })),
      };
    },
  );

  r.get(
    '/commitments/kept-rate',
    {
      config: { action: 'analytics.read' },
      schema: {
        tags,
        summary:
          'Promise-kept rate for a period: commitments fulfilled by their due time / commitments due (README "Commitments")',
        description:
          "A commitment counts when its due time is in [from, to) and its outcome is known now: due by now, or already kept or broken. It is kept when fulfilled at or before its due time. Per agent: by owner; per team: by the conversation's team when the promise was recorded. Default period: the last 30 days up to now.",
        querystring: z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() }),
        response: {
          200: z.object({
            from: isoTime,
            to: isoTime,
            workspace: rateRow,
            agents: z.array(rateRow),
            teams: z.array(rateRow),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const now = deps.clock.now();
      const { from, to } = reportPeriod(request.query, now);
      const period = { from, to };
      const rows = async (by: 'owner' | 'team' | 'workspace') =>
        (await keptCounts(deps.db, ws, period, now, by)).map((x) => ({
          id: x.key,
          name: x.name,
          due: x.due,
          kept: x.kept,
          rate: keptRate(x),
        }));
      const [workspace] = await rows('workspace');
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        workspace: workspace!,
        agents: await rows('owner'),
        teams: await rows('team'),
      };
    },
  );
}
