import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, id, idParam, principalOf, unwrap } from '../../platform/index.js';
import { conversationSchema, presentConversation, subject } from './conversations.schemas.js';
import { mergeConversations, SPLIT_LIMIT, splitConversation } from './merge-split.service.js';
import { callerOf } from './references.js';

const tags = ['conversations'];

export function registerMergeSplitRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/conversations/:id/merge',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Merge this conversation into another of the same customer',
        description:
          "Every message (with its attachments) and the handle time move to `intoId`, whose facts are recomputed and tags joined; this conversation is closed with `mergedIntoId` and keeps its history. Both are locked in id order. 422 INVALID_MERGE: itself, another customer's, already merged, or into a closed one.",
        params: idParam,
        body: z.strictObject({ intoId: id }),
        response: {
          200: z.object({
            conversation: conversationSchema.describe('The one merged into'),
            merged: conversationSchema.describe('This one, now closed'),
            movedMessageIds: z.array(z.number()),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const done = unwrap(
        await mergeConversations(deps, p.workspaceId, callerOf(p), request.params.id, request.body.intoId),
      );
      return {
        conversation: presentConversation(done.target),
        merged: presentConversation(done.source),
        movedMessageIds: done.movedMessageIds,
      };
    },
  );

  r.post(
    '/conversations/:id/split',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Split messages off into a new conversation of the same customer',
        description:
          'The new conversation starts open with the priority, team, assignee and tags of this one, and the moved messages (with their attachments); at least one message stays here. 422 INVALID_SPLIT otherwise.',
        params: idParam,
        body: z.strictObject({
          messageIds: z.array(id).min(1).max(SPLIT_LIMIT),
          subject: subject.optional().describe("The new conversation's subject (default: this one's)"),
        }),
        response: {
          201: z.object({
            conversation: conversationSchema.describe('The new conversation'),
            from: conversationSchema.describe('This one, with the messages that stayed'),
            movedMessageIds: z.array(z.number()),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const done = unwrap(
        await splitConversation(deps, p.workspaceId, callerOf(p), request.params.id, request.body),
      );
      return reply.status(201).send({
        conversation: presentConversation(done.created),
        from: presentConversation(done.source),
        movedMessageIds: done.movedMessageIds,
      });
    },
  );
}
