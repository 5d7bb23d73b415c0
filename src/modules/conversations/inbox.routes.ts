import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, principalOf } from '../../platform/index.js';
import { teamsOfPerson } from '../people/index.js';
import {
  conversationSchema,
  optionalId,
  presentConversation,
  prioritySchema,
  statusSchema,
  tags,
} from './conversations.schemas.js';
import { type ConversationFilter, countConversations } from './inbox-list.repo.js';
import { BULK_LIMIT, type BuiltInView, builtInViews, COUNT_CAP } from './inbox-views.js';
import { callerOf } from './references.js';
import { listSavedViews, viewFilter } from './saved-views.js';
import { changeConversation } from './update-conversation.service.js';

const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The inbox's own routes: the counts of its views, and bulk changes of a selection. */
export function registerInboxRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const count = z.object({ count: z.number(), capped: z.boolean().describe(`true: ${COUNT_CAP} or more`) });
  r.get(
    '/conversations/counts',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary:
          "How many conversations each of the inbox's views (built-in and my saved ones) holds for me, counted up to 1,000",
        response: {
          200: z.object({
            views: z.object(
              Object.fromEntries(Object.keys(builtInViews).map((k) => [k, count])) as Record<
                BuiltInView,
                typeof count
              >,
            ),
            saved: z
              .array(z.object({ id: z.number(), count: z.number(), capped: z.boolean() }))
              .describe('My saved views (GET /views), in their order'),
            cap: z.number(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const [teamIds, saved] = await Promise.all([
        teamsOfPerson(deps.db, p.workspaceId, p.personId),
        listSavedViews(deps.db, p.workspaceId, p.personId),
      ]);
      const count = (filter: ConversationFilter) =>
        countConversations(deps.db, p.workspaceId, filter, COUNT_CAP);
      const [entries, savedCounts] = await Promise.all([
        Promise.all(
          (Object.keys(builtInViews) as BuiltInView[]).map(async (k) => [
            k,
            await count(builtInViews[k](p.personId, teamIds)),
          ]),
        ),
        Promise.all(
          saved.map(async (v) => ({
            id: v.id,
            ...(await count(viewFilter(v.filters, p.personId, teamIds))),
          })),
        ),
      ]);
      return {
        views: Object.fromEntries(entries) as Record<BuiltInView, { count: number; capped: boolean }>,
        saved: savedCounts,
        cap: COUNT_CAP,
      };
    },
  );

  r.post(
    '/conversations/bulk',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: `Change up to ${BULK_LIMIT} conversations at once (assign, tag, status, priority, team)`,
        description:
          'Each conversation is changed on its own, with the rules, permissions and events of PATCH /conversations/:id; the answer lists each outcome, so one refused conversation (closed, not found, not allowed) does not stop the others.',
        body: z.strictObject({
          ids: z
            .array(positiveId)
            .min(1)
            .max(BULK_LIMIT)
            .transform((ids) => [...new Set(ids)]),
          change: z
            .strictObject({
              status: statusSchema.optional(),
              priority: prioritySchema.optional(),
              assigneeId: optionalId,
              teamId: optionalId,
              addTags: tags.optional(),
              removeTags: tags.optional(),
            })
            .refine((c) => Object.values(c).some((v) => v !== undefined), 'Say what to change'),
        }),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                id: z.number(),
                ok: z.boolean(),
                conversation: conversationSchema.optional(),
                error: z.object({ code: z.string(), message: z.string() }).optional(),
              }),
            ),
            changed: z.number(),
            failed: z.number(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const results = [];
      for (const id of request.body.ids) {
        const outcome = await changeConversation(deps, p.workspaceId, id, callerOf(p), request.body.change);
        results.push(
          outcome.ok
            ? { id, ok: true, conversation: presentConversation(outcome.value) }
            : { id, ok: false, error: { code: outcome.code, message: outcome.message } },
        );
      }
      const changed = results.filter((r) => r.ok).length;
      return { results, changed, failed: results.length - changed };
    },
  );
}
