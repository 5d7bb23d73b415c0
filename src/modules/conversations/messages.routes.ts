import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  decodeCursor,
  id,
  idParam,
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../attachments/index.js';
import { addMessage } from './add-message.service.js';
import {
  channelSchema,
  conversationSchema,
  externalId,
  messageBody,
  messageHtml,
  messageSchema,
  pageSchema,
  presentConversation,
  presentMessage,
  statusSchema,
} from './conversations.schemas.js';
import { listMessages } from './messages.repo.js';
import { pageOf } from './paging.js';
import { callerOf } from './references.js';
import { requireConversation } from './require-conversation.js';

export function registerMessageRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/conversations/:id/messages',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: 'Reply, add an internal note, or record an inbound message (idempotent on externalId)',
        description:
          'An inbound message on a closed conversation starts a new conversation linked to it (previousConversationId); the response carries the new conversation and `startedNew: true`.',
        params: idParam,
        body: z.strictObject({
          direction: z.enum(['inbound', 'outbound', 'note']),
          body: messageBody,
          html: messageHtml.optional(),
          externalId: externalId.optional(),
          channel: channelSchema.optional(),
          status: statusSchema
            .optional()
            .describe('With a reply only: the status to leave the conversation in'),
          attachmentIds: z
            .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
            .max(MAX_ATTACHMENTS_PER_MESSAGE)
            .optional()
            .describe('Pending uploads (POST /attachments) this message carries; each can be attached once'),
          mentionIds: z
            .array(id)
            .max(50)
            .optional()
            .describe('With a note only: ids of colleagues (people of this workspace) to notify'),
          cc: z
            .array(z.email().max(254))
            .max(20)
            .optional()
            .describe('With an e-mail reply only: copies to these addresses'),
          bcc: z
            .array(z.email().max(254))
            .max(20)
            .optional()
            .describe('With an e-mail reply only: blind copies to these addresses'),
        }),
        response: {
          201: z.object({
            conversation: conversationSchema,
            message: messageSchema,
            startedNew: z.boolean(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { cc, bcc, ...body } = request.body;
      const added = unwrap(
        await addMessage(deps, p.workspaceId, request.params.id, callerOf(p), {
          ...body,
          channelMeta: cc || bcc ? { cc: cc ?? [], bcc: bcc ?? [] } : undefined,
        }),
      );
      return reply.status(201).send({
        conversation: presentConversation(added.conversation),
        message: presentMessage(added.message),
        startedNew: added.startedNew,
      });
    },
  );

  r.get(
    '/conversations/:id/messages',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'The messages of a conversation, oldest first (keyset pages)',
        params: idParam,
        querystring: z.strictObject(pageQuery),
        response: { 200: pageSchema(messageSchema), ...commonErrors },
      },
    },
    async (request) => {
      const workspaceId = principalOf(request).workspaceId;
      const conversation = await requireConversation(deps.db, workspaceId, request.params.id);
      const { limit, cursor } = request.query;
      const rows = await listMessages(deps.db, workspaceId, conversation.id, decodeCursor(cursor), limit + 1);
      return pageOf(rows, limit, (row) => presentMessage(row.message));
    },
  );
}
