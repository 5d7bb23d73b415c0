import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { presenceStates } from '../../db/schema/handle-time.js';
import { commonErrors, type Deps, idParam, iso, isoTime, principalOf, unwrap } from '../../platform/index.js';
import { ACTIVITY_GAP_MS, handleTimeOf, PRESENCE_TTL_MS, reportActivity, seconds } from './activity.js';
import { requireConversation } from './require-conversation.js';

const tags = ['conversations'];

export function registerActivityRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/conversations/:id/activity',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Report that I have the conversation open (handle time, and who is viewing or typing)',
        description: [
          'The agent app sends this every 20 s while the conversation is open, and at once when the agent starts',
          'or stops typing, or leaves. `active` (focused, with activity in the last 2 minutes) adds the time since',
          `my previous report to my handle time when that report came less than ${ACTIVITY_GAP_MS / 1000} s ago`,
          "(by the server's clock; nothing else is ever counted). Colleagues with the conversation open get a",
          '`conversation.presence` push; the answer lists who else is there now',
          `(seen in the last ${PRESENCE_TTL_MS / 1000} s).`,
        ].join(' '),
        params: idParam,
        body: z.strictObject({
          state: z.enum([...presenceStates, 'left']),
          active: z.boolean(),
        }),
        response: {
          200: z.object({
            handleTime: z.object({ mineSeconds: z.number(), totalSeconds: z.number() }),
            viewers: z.array(
              z.object({ personId: z.number(), state: z.enum(presenceStates), seenAt: isoTime }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const outcome = unwrap(await reportActivity(deps, p, request.params.id, request.body));
      return {
        handleTime: { mineSeconds: seconds(outcome.mineMs), totalSeconds: seconds(outcome.totalMs) },
        viewers: outcome.viewers.map((v) => ({ ...v, seenAt: iso(v.seenAt)! })),
      };
    },
  );

  r.get(
    '/conversations/:id/handle-time',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: "A conversation's handle time: agents' active time with it open, per agent",
        params: idParam,
        response: {
          200: z.object({
            totalSeconds: z.number(),
            people: z.array(z.object({ personId: z.number(), seconds: z.number() })),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      await requireConversation(deps.db, p.workspaceId, request.params.id);
      const people = await handleTimeOf(deps, p.workspaceId, request.params.id);
      return {
        totalSeconds: seconds(people.reduce((sum, t) => sum + t.activeMs, 0)),
        people: people.map((t) => ({ personId: t.personId, seconds: seconds(t.activeMs) })),
      };
    },
  );
}
