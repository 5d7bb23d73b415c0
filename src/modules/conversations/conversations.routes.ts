import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  decodeCursor,
  idParam,
  isoDateTime,
  listEntityEvents,
  pageQuery,
  principalOf,
  unwrap,
} from '../../platform/index.js';
import { findCustomer } from '../customers/index.js';
import { teamsOfPerson } from '../people/index.js';
import { claimConversation } from './assignment.service.js';
import { NONE_FITS, setContactReason } from './contact-reason.service.js';
import {
  channelSchema,
  conversationListItemSchema,
  conversationSchema,
  customerSummarySchema,
  eventSchema,
  externalId,
  messageBody,
  messageHtml,
  messageSchema,
  optionalId,
  pageSchema,
  presentConversation,
  presentConversationListItem,
  presentCustomerSummary,
  presentEvent,
  presentMessage,
  prioritySchema,
  statusSchema,
  subject,
  tags,
} from './conversations.schemas.js';
import { createConversation } from './create-conversation.service.js';
import { listConversations } from './inbox-list.repo.js';
import { inboxSorts } from './inbox-sorts.js';
import { listMessages } from './messages.repo.js';
import { pageOf } from './paging.js';
import { callerOf } from './references.js';
import { requireConversation } from './require-conversation.js';
import { changeConversation } from './update-conversation.service.js';

const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
/**
 * The most messages one read of a conversation returns (a message may hold 500 KB of text and HTML); longer
 * conversations continue through GET /conversations/:id/messages with `messagesNextCursor`.
 */
const TIMELINE_MESSAGES = 100;

export const customerRef = z.union([
  z.strictObject({ id: positiveId }),
  z
    .strictObject({
      email: email.optional(),
      phone: z.string().trim().min(3).max(40).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      locale: z.string().trim().min(2).max(35).optional(),
    })
    .refine(
      (c) => c.email !== undefined || c.phone !== undefined,
      'A customer needs an id, an email or a phone',
    ),
]);

/** `status=open,pending` or `status=open&status=pending`. */
const statusList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',') : v),
  z.array(statusSchema).min(1).max(6),
);

const listQuery = z.strictObject({
  status: statusList.optional(),
  assigneeId: z
    .union([z.literal('none'), queryId])
    .optional()
    .describe('A person id, or `none` for unassigned'),
  teamId: z
    .union([z.literal('mine'), queryId])
    .optional()
    .describe('A team id, or `mine` for the teams I am a member of'),
  priority: prioritySchema.optional(),
  tag: z.string().trim().toLowerCase().min(1).max(50).optional(),
  channel: channelSchema.optional(),
  customerId: queryId.optional(),
  contactReasonId: z
    .union([z.literal('none'), z.literal(NONE_FITS), queryId])
    .optional()
    .describe(
      'A contact reason id (a group matches its sub-reasons too), `none` for conversations without one, or `none_fits` for those a person said no reason fits',
    ),
  tier: z.string().trim().min(1).max(50).optional().describe("The customer's tier"),
  updatedSince: isoDateTime.optional(),
  distressed: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: only conversations whose customer showed distress (anger, a threat to leave...)'),
  sort: z
    .enum(inboxSorts)
    .default('newest')
    .describe(
      'newest: latest activity first; waiting: the customer waiting longest first; priority: urgent first; deadline: the next SLA deadline soonest (most overdue) first; distress: the most distress signals first, then the longest waiting',
    ),
  ...pageQuery,
});

export function registerConversationCoreRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/conversations',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: 'Create a conversation with its first message (idempotent on message.externalId)',
        body: z.strictObject({
          subject,
          channel: channelSchema,
          customer: customerRef,
          message: z.strictObject({
            body: messageBody,
            html: messageHtml.optional(),
            externalId: externalId.optional(),
            direction: z.enum(['inbound', 'outbound']).default('inbound'),
          }),
          priority: prioritySchema.optional(),
          teamId: positiveId.optional(),
          assigneeId: positiveId.optional(),
          tags: tags.optional(),
        }),
        response: {
          201: z.object({
            conversation: conversationSchema,
            message: messageSchema,
            customer: customerSummarySchema,
            customerCreated: z.boolean(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = unwrap(await createConversation(deps, p.workspaceId, callerOf(p), request.body));
      return reply.status(201).send({
        conversation: presentConversation(created.conversation),
        message: presentMessage(created.message),
        customer: presentCustomerSummary(created.customer),
        customerCreated: created.customerCreated,
      });
    },
  );

  r.get(
    '/conversations',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'List conversations: latest activity, longest waiting or most urgent first (keyset pages)',
        querystring: listQuery,
        response: { 200: pageSchema(conversationListItemSchema), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { status, updatedSince, limit, cursor, teamId, sort, distressed, ...rest } = request.query;
      const teams =
        teamId === 'mine' ? { teamIds: await teamsOfPerson(deps.db, p.workspaceId, p.personId) } : { teamId };
      const rows = await listConversations(
        deps.db,
        p.workspaceId,
        {
          ...rest,
          ...teams,
          statuses: status,
          updatedSince: updatedSince ? new Date(updatedSince) : undefined,
          distressed: distressed === 'true',
        },
        decodeCursor(cursor),
        limit + 1,
        sort,
      );
      return pageOf(rows, limit, presentConversationListItem);
    },
  );

  r.get(
    '/conversations/:id',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'A conversation with its timeline: messages (oldest first), events and customer',
        params: idParam,
        response: {
          200: z.object({
            conversation: conversationSchema,
            customer: customerSummarySchema.nullable(),
            messages: z
              .array(messageSchema)
              .describe(`The first ${TIMELINE_MESSAGES} messages, oldest first`),
            messagesNextCursor: z
              .string()
              .nullable()
              .describe('More messages: pass as `cursor` to GET /conversations/{id}/messages'),
            events: z.array(eventSchema),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const workspaceId = principalOf(request).workspaceId;
      const conversation = await requireConversation(deps.db, workspaceId, request.params.id);
      const [messages, events, customer] = await Promise.all([
        listMessages(deps.db, workspaceId, conversation.id, undefined, TIMELINE_MESSAGES + 1),
        listEntityEvents(deps.db, workspaceId, 'conversation', conversation.id),
        findCustomer(deps.db, workspaceId, conversation.customerId),
      ]);
      const page = pageOf(messages, TIMELINE_MESSAGES, (m) => presentMessage(m.message));
      return {
        conversation: presentConversation(conversation),
        customer: customer ? presentCustomerSummary(customer) : null,
        messages: page.items,
        messagesNextCursor: page.nextCursor,
        events: events.map(presentEvent),
      };
    },
  );

  r.patch(
    '/conversations/:id',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: 'Change status, priority, assignee, team, tags or subject',
        description:
          'Assigning someone other than yourself, or changing an assignment that is someone else’s, needs conversations.reassign.',
        params: idParam,
        body: z.strictObject({
          subject: subject.optional(),
          status: statusSchema.optional(),
          priority: prioritySchema.optional(),
          assigneeId: optionalId,
          teamId: optionalId,
          tags: tags.optional(),
        }),
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const conversation = unwrap(
        await changeConversation(deps, p.workspaceId, request.params.id, callerOf(p), request.body),
      );
      return presentConversation(conversation);
    },
  );

  r.post(
    '/conversations/:id/claim',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: 'Take an unassigned conversation: I become its assignee',
        description:
          'Refused with 409 CONVERSATION_ALREADY_ASSIGNED (`details.assigneeId`) when someone else has it already, also when they took it a moment earlier; taking one that is already mine changes nothing.',
        params: idParam,
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return presentConversation(
        unwrap(await claimConversation(deps, p.workspaceId, request.params.id, callerOf(p))),
      );
    },
  );

  r.put(
    '/conversations/:id/contact-reason',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags: ['conversations'],
        summary: "Set, change or clear (null) the conversation's contact reason, or say none fits",
        description:
          'Records `conversation.contact_reason_set` with before and after. An archived reason cannot be newly set (422 CONTACT_REASON_ARCHIVED). `none_fits`: no reason of the taxonomy fits (a problem it does not know yet); the conversation shows `contactReasonNoneFits`, `GET /conversations?contactReasonId=none_fits` lists them, and the reason model learns them as "none of these".',
        params: idParam,
        body: z.strictObject({
          contactReasonId: z.union([positiveId, z.literal(NONE_FITS)]).nullable(),
          source: z
            .enum(['agent', 'suggestion'])
            .default('agent')
            .describe(
              "`suggestion`: the agent accepted one of Steward's suggestions (GET /conversations/{id}/reason-prediction)",
            ),
        }),
        response: { 200: conversationSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const conversation = unwrap(
        await setContactReason(
          deps,
          p.workspaceId,
          request.params.id,
          { actor: { type: 'person', id: p.personId }, personId: p.personId, source: request.body.source },
          request.body.contactReasonId,
        ),
      );
      return presentConversation(conversation);
    },
  );
}
