import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channels, conversationStatuses } from '../../db/schema/conversations.js';
import { contactKinds, matterRules } from '../../db/schema/matters.js';
import {
  commonErrors,
  type Deps,
  id,
  idParam,
  inTransaction,
  iso,
  isoDateTime,
  isoTime,
  optionalIsoTime,
  principalOf,
  reportPeriod,
  unwrap,
} from '../../platform/index.js';
import { requireConversation } from '../conversations/index.js';
import { queueBackfill, replayUnderway } from './backfill.job.js';
import { matterFigures, matterGroupings } from './figures.repo.js';
import {
  matterContacts,
  matterConversations,
  otherConversations,
  repeatWindowDays,
  writeRepeatWindowDays,
} from './matter-view.repo.js';
import { findMatter, type Matter, matterOfConversation } from './matters.repo.js';
import { linkTo, splitOff } from './matters.service.js';

const tags = ['matters'];

const ruleSchema = z
  .enum(matterRules)
  .describe(
    'Why the conversation is on the matter: no_candidate / not_similar (it started the matter: no matter of the customer in reach, or none similar enough), same_reason, similar_text (score: text similarity), predicted_reason (score: overlap of the reasons the model predicts for both), continued (the customer wrote again after the previous conversation was closed), agent_link / agent_split (an agent decided), split_off (split from another conversation), customer_changed',
  );

const matterSchema = z.object({
  id,
  customerId: id,
  status: z.enum(['open', 'solved']),
  contactCount: z.number().int().describe('Inbound contacts on the matter (PRODUCT.md "Contact")'),
  channels: z.array(z.enum(channels)).describe('The channels the customer used, in order of first use'),
  firstConversationId: id,
  contactReasonId: id.nullable(),
  firstContactAt: isoTime,
  lastContactAt: isoTime,
  solvedAt: optionalIsoTime.describe('When the last of its conversations was solved (null while open)'),
  firstSolvedAt: optionalIsoTime,
  contactsAtFirstSolve: z.number().int().nullable(),
  firstRepeatAt: optionalIsoTime.describe('The first contact after the matter was first solved'),
  resolutionSeconds: z
    .number()
    .nullable()
    .describe('From the first contact to the solve, in calendar seconds (null while open)'),
});

const presentMatter = (m: Matter) => ({
  id: m.id,
  customerId: m.customerId,
  status: m.status,
  contactCount: m.contactCount,
  channels: m.channels,
  firstConversationId: m.firstConversationId,
  contactReasonId: m.contactReasonId,
  firstContactAt: m.firstContactAt.toISOString(),
  lastContactAt: m.lastContactAt.toISOString(),
  solvedAt: iso(m.solvedAt),
  firstSolvedAt: iso(m.firstSolvedAt),
  contactsAtFirstSolve: m.contactsAtFirstSolve,
  firstRepeatAt: iso(m.firstRepeatAt),
  resolutionSeconds:
    m.status === 'solved' && m.solvedAt
      ? Math.max(0, Math.round((m.solvedAt.getTime() - m.firstContactAt.getTime()) / 1000))
      : null,
});

const conversationLine = z.object({
  id,
  subject: z.string(),
  channel: z.enum(channels),
  status: z.enum(conversationStatuses),
  createdAt: isoTime,
});

const matterView = z.object({
  matter: matterSchema.nullable().describe('Null until the customer made a contact on the conversation'),
  conversations: z.array(
    conversationLine.extend({
      contactReasonId: id.nullable(),
      rule: ruleSchema,
      score: z.number().nullable(),
      comparedConversationId: id.nullable(),
      decidedById: id.nullable().describe('The agent who decided (null: Steward)'),
      decidedAt: isoTime,
    }),
  ),
  contacts: z.array(
    z.object({
      id,
      conversationId: id,
      messageId: id,
      kind: z.enum(contactKinds),
      channel: z.enum(channels),
      at: isoTime,
    }),
  ),
  others: z
    .array(conversationLine.extend({ matterId: id }))
    .describe("The customer's other recent conversations on other matters (what this one may be linked to)"),
  replaying: z
    .boolean()
    .describe(
      "The workspace's history is being replayed (POST /matters/backfill): a conversation without a matter may get one shortly",
    ),
});

const figureRow = z.object({
  key: z
    .string()
    .nullable()
    .describe('The agent, team or reason id, or the channel (null: none, or the workspace)'),
  name: z.string().nullable(),
  matters: z.number().int().describe('Matters first contacted in the period'),
  repeated: z.number().int().describe('Of those, matters with 2 or more contacts'),
  repeatContactRate: z.number().nullable().describe('repeated / matters'),
  solved: z.number().int().describe('Matters first solved in the period whose outcome is known'),
  firstContactResolved: z
    .number()
    .int()
    .describe('Of those, solved after exactly one contact, with no further contact within 7 days'),
  firstContactResolution: z.number().nullable().describe('firstContactResolved / solved'),
  pending: z.number().int().describe('First solved in the period at one contact, the 7 days not over yet'),
});

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

export function registerMatterRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function view(ws: number, conversationId: number) {
    const conversation = await requireConversation(deps.db, ws, conversationId);
    const mine = await matterOfConversation(deps.db, ws, conversationId);
    const matter = mine ? await findMatter(deps.db, ws, mine.matterId) : undefined;
    const others = await otherConversations(deps.db, ws, conversation!.customerId, matter?.id ?? null);
    const line = <T extends { createdAt: Date }>(c: T) => ({
      ...c,
      createdAt: c.createdAt.toISOString(),
    });
    const replaying = await replayUnderway(deps.db, ws);
    if (!matter)
      return { matter: null, conversations: [], contacts: [], others: others.map(line), replaying };
    const conversations = await matterConversations(deps.db, ws, matter.id);
    const contacts = await matterContacts(deps.db, ws, matter.id);
    return {
      matter: presentMatter(matter),
      conversations: conversations.map((c) => ({ ...line(c), decidedAt: c.decidedAt.toISOString() })),
      contacts: contacts.map((c) => ({
        id: c.id,
        conversationId: c.conversationId,
        messageId: c.messageId,
        kind: c.kind,
        channel: c.channel,
        at: c.at.toISOString(),
      })),
      others: others.map(line),
      replaying,
    };
  }

  r.get(
    '/conversations/:id/matter',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary:
          'The conversation\'s matter (README "Matters"): its figures, its conversations with why each joined, its contacts, and the customer\'s other matters',
        params: idParam,
        response: { 200: matterView, ...commonErrors },
      },
    },
    async (request) => view(principalOf(request).workspaceId, request.params.id),
  );

  r.post(
    '/conversations/:id/matter/split',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Take the conversation out of its matter: it becomes a matter of its own (rule agent_split)',
        description:
          '422 NO_MATTER when the customer made no contact on it yet, MATTER_ALONE when it is the only conversation of its matter.',
        params: idParam,
        response: { 200: matterView, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      unwrap(
        await inTransaction(deps.db, (tx) =>
          splitOff(
            tx,
            p.workspaceId,
            request.params.id,
            { actor: { type: 'person', id: p.personId }, personId: p.personId },
            deps.clock.now(),
          ),
        ),
      );
      return view(p.workspaceId, request.params.id);
    },
  );

  r.post(
    '/conversations/:id/matter/link',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary:
          "Link the conversation to another conversation of the same customer: it joins that one's matter (rule agent_link)",
        description:
          "422 OTHER_CUSTOMER when the other conversation is another customer's, NO_MATTER when either has no contact yet. Linking to a conversation already on the same matter changes nothing.",
        params: idParam,
        body: z.strictObject({ conversationId: id }),
        response: { 200: matterView, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      unwrap(
        await inTransaction(deps.db, (tx) =>
          linkTo(
            tx,
            p.workspaceId,
            request.params.id,
            request.body.conversationId,
            { actor: { type: 'person', id: p.personId }, personId: p.personId },
            deps.clock.now(),
          ),
        ),
      );
      return view(p.workspaceId, request.params.id);
    },
  );

  const settings = z.object({
    repeatWindowDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .describe(
        'A new conversation may join a matter that is open or whose last contact was within this many days',
      ),
  });

  r.get(
    '/matters/settings',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: "The workspace's matter settings",
        response: { 200: settings, ...commonErrors },
      },
    },
    async (request) => ({
      repeatWindowDays: await repeatWindowDays(deps.db, principalOf(request).workspaceId),
    }),
  );

  r.put(
    '/matters/settings',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change the repeat window (1-90 days, default 14); decisions already made stay',
        body: settings.strict(),
        response: { 200: settings, ...commonErrors },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      await writeRepeatWindowDays(deps.db, ws, request.body.repeatWindowDays, deps.clock.now());
      return { repeatWindowDays: request.body.repeatWindowDays };
    },
  );

  r.post(
    '/matters/backfill',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary:
          'Give the history from before matters existed its contacts and matters (a background job; once at a time)',
        description:
          "Replays the workspace's events so far through the same decisions as live, in order; conversations that already have a matter are left alone. No escalations, timeline entries or notifications for the past.",
        response: { 202: z.object({ queued: z.literal(true) }), ...commonErrors },
      },
    },
    async (request, reply) => {
      await queueBackfill(deps.db, principalOf(request).workspaceId, deps.clock.now());
      return reply.status(202).send({ queued: true as const });
    },
  );

  r.get(
    '/matters/figures',
    {
      config: { action: 'analytics.read' },
      schema: {
        tags,
        summary:
          'First-contact resolution and repeat-contact rate for a period (PRODUCT.md definitions), for the workspace or by agent, team, channel or reason',
        description:
          "Repeat-contact rate: matters first contacted in [from, to) with 2 or more contacts / all of them. FCR: matters first solved in [from, to) after exactly one contact with no further contact within 7 days / those whose outcome is known (more than one contact, a contact within the 7 days, or the 7 days over); the rest are `pending`. Agent, team and channel are those of the matter's first conversation (its current assignee and team); reason is the matter's. Default period: the last 30 days up to now.",
        querystring: z.strictObject({
          from: isoDateTime.optional(),
          to: isoDateTime.optional(),
          by: z.enum(matterGroupings).default('workspace'),
        }),
        response: {
          200: z.object({
            from: isoTime,
            to: isoTime,
            by: z.enum(matterGroupings),
            rows: z.array(figureRow),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const ws = principalOf(request).workspaceId;
      const now = deps.clock.now();
      const { from, to } = reportPeriod(request.query, now);
      const rows = await matterFigures(deps.db, ws, { from, to }, now, request.query.by);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        by: request.query.by,
        rows: rows.map((x) => ({
          ...x,
          repeatContactRate: rate(x.repeated, x.matters),
          firstContactResolution: rate(x.firstContactResolved, x.solved),
        })),
      };
    },
  );
}
