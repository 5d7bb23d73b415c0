import { z } from 'zod';
import {
  callOutcomes,
  channels,
  contactReasonSources,
  conversationStatuses,
  deliveryStates,
  priorities,
} from '../../db/schema/conversations.js';
import { type DistressSignal, distressSignals } from '../../db/schema/understanding.js';
import { iso, isoTime, optionalIsoTime, type StoredEvent } from '../../platform/index.js';
import type { CustomerSummary } from '../customers/index.js';
import type { Conversation } from './conversations.repo.js';
import type { StoredMessage } from './messages.repo.js';

export const statusSchema = z.enum(conversationStatuses);
export const prioritySchema = z.enum(priorities);
export const channelSchema = z.enum(channels);
const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const MAX_BODY = 100_000;
export const subject = z.string().trim().min(1).max(500);
export const messageBody = z.string().min(1).max(MAX_BODY);
/** Sanitized before storage; a raw limit bigger than the text's, since markup is verbose. */
export const messageHtml = z.string().max(4 * MAX_BODY);
export const externalId = z.string().trim().min(1).max(500);
/** Tags are case-insensitive labels: folded, trimmed and deduplicated so filters find them. */
export const tags = z
  .array(z.string().trim().toLowerCase().min(1).max(50))
  .max(30)
  .transform((list) => [...new Set(list)]);
export const optionalId = positiveId.nullable().optional();

export const conversationSchema = z
  .object({
    id: z.number(),
    subject: z.string(),
    status: statusSchema,
    priority: prioritySchema,
    channel: channelSchema,
    customerId: z.number(),
    assigneeId: z.number().nullable(),
    teamId: z.number().nullable(),
    tags: z.array(z.string()),
    contactReasonId: z.number().nullable().describe('Why the customer got in touch (GET /contact-reasons)'),
    contactReasonSource: z
      .enum(contactReasonSources)
      .nullable()
      .describe('How the reason was chosen: by an agent, an accepted suggestion, or a rule'),
    contactReasonSetById: z.number().nullable().describe('The person who set it'),
    contactReasonSetAt: optionalIsoTime,
    contactReasonNoneFits: z
      .boolean()
      .describe(
        'A person said no reason of the taxonomy fits (`contactReasonId` is null): a problem the taxonomy does not know yet',
      ),
    previousConversationId: z.number().nullable(),
    mergedIntoId: z
      .number()
      .nullable()
      .describe('Set when this conversation was merged into another (its messages are there now)'),
    lastMessagePreview: z.string(),
    messageCount: z.number(),
    createdAt: isoTime,
    updatedAt: isoTime,
    firstInboundAt: optionalIsoTime,
    firstResponseAt: optionalIsoTime,
    lastInboundAt: optionalIsoTime,
    lastOutboundAt: optionalIsoTime,
    solvedAt: optionalIsoTime,
    closedAt: optionalIsoTime,
    reopenedCount: z.number(),
    slaNextDueAt: optionalIsoTime.describe(
      'The next SLA deadline still to meet (GET /conversations/{id}/sla)',
    ),
    slaWarnAt: optionalIsoTime.describe('When that deadline becomes at risk (its warning)'),
    distressSignals: z
      .array(z.enum(distressSignals))
      .describe(
        "The distress its customer's messages showed (GET /conversations/{id}/sentiment says where and why)",
      ),
    distressLevel: z
      .number()
      .describe(
        'How distressed: the sum of its different signals’ weights (legal or public threat, threat to leave 3; anger, repeat contact, high effort 2; urgency 1; 0: none)',
      ),
  })
  .describe('Conversation');

export const presentConversation = (c: Conversation) => ({
  id: c.id,
  subject: c.subject,
  status: c.status,
  priority: c.priority,
  channel: c.channel,
  customerId: c.customerId,
  assigneeId: c.assigneeId,
  teamId: c.teamId,
  tags: c.tags,
  contactReasonId: c.contactReasonId,
  contactReasonSource: c.contactReasonSource,
  contactReasonSetById: c.contactReasonSetById,
  contactReasonSetAt: iso(c.contactReasonSetAt),
  contactReasonNoneFits: c.contactReasonNoneFits,
  previousConversationId: c.previousConversationId,
  mergedIntoId: c.mergedIntoId,
  lastMessagePreview: c.lastMessagePreview,
  messageCount: c.messageCount,
  createdAt: iso(c.createdAt)!,
  updatedAt: iso(c.updatedAt)!,
  firstInboundAt: iso(c.firstInboundAt),
  firstResponseAt: iso(c.firstResponseAt),
  lastInboundAt: iso(c.lastInboundAt),
  lastOutboundAt: iso(c.lastOutboundAt),
  solvedAt: iso(c.solvedAt),
  closedAt: iso(c.closedAt),
  reopenedCount: c.reopenedCount,
  slaNextDueAt: iso(c.slaNextDueAt),
  slaWarnAt: iso(c.slaWarnAt),
  distressSignals: c.distressSignals as DistressSignal[],
  distressLevel: c.distressLevel,
});

export const messageSchema = z
  .object({
    id: z.number(),
    conversationId: z.number(),
    direction: z.enum(['inbound', 'outbound', 'note']),
    channel: channelSchema,
    authorCustomerId: z.number().nullable(),
    authorPersonId: z.number().nullable(),
    body: z.string(),
    bodyHtml: z.string().nullable(),
    externalId: z.string().nullable(),
    attachments: z
      .array(
        z.object({
          id: z.number(),
          filename: z.string(),
          contentType: z.string().describe('Sniffed from the content at upload, not what the sender said'),
          size: z.number(),
        }),
      )
      .describe('Download each at /api/v1/attachments/{id}'),
    email: z
      .object({
        from: z.string().nullable(),
        to: z.array(z.string()),
        cc: z.array(z.string()),
        bcc: z.array(z.string()),
        subject: z.string().nullable(),
        fullText: z
          .string()
          .nullable()
          .describe('The whole text when the body was trimmed of quoted history'),
        forward: z.boolean().describe('Forwarded to a third party, not sent to the customer'),
      })
      .nullable()
      .describe('E-mail messages: addresses and the untrimmed text'),
    call: z
      .object({
        direction: z.enum(['inbound', 'outbound']),
        durationSeconds: z.number(),
        outcome: z.enum(callOutcomes),
      })
      .nullable()
      .describe('A logged phone call: which way, how long, how it ended'),
    links: z
      .array(z.object({ url: z.string(), filename: z.string().nullable() }))
      .describe("Files a messaging bridge pointed to, at the provider's URLs (not downloaded)"),
    delivery: z
      .object({
        state: z.enum(deliveryStates),
        detail: z.string().nullable().describe('Why it failed or bounced; the relay answer when sent'),
        at: isoTime.nullable(),
      })
      .nullable()
      .describe('Replies on a channel Steward delivers itself (e-mail): queued, sent, failed or bounced'),
    createdAt: isoTime,
  })
  .describe('Message');

function presentEmail(m: StoredMessage) {
  const meta = m.channelMeta;
  if (m.channel !== 'email' || !meta) return null;
  return {
    from: meta.from ?? null,
    to: meta.to ?? [],
    cc: meta.cc ?? [],
    bcc: meta.bcc ?? [],
    subject: meta.subject ?? null,
    fullText: meta.fullText ?? null,
    forward: meta.forward ?? false,
  };
}

export const presentMessage = (m: StoredMessage) => ({
  id: m.id,
  conversationId: m.conversationId,
  direction: m.direction,
  channel: m.channel,
  authorCustomerId: m.authorCustomerId,
  authorPersonId: m.authorPersonId,
  body: m.bodyText,
  bodyHtml: m.bodyHtml,
  externalId: m.externalId,
  attachments: m.attachments,
  email: presentEmail(m),
  call: m.channelMeta?.call ?? null,
  links: (m.channelMeta?.links ?? []).map((l) => ({ url: l.url, filename: l.filename ?? null })),
  delivery: m.deliveryState
    ? { state: m.deliveryState, detail: m.deliveryDetail, at: iso(m.deliveryAt) ?? null }
    : null,
  createdAt: iso(m.createdAt)!,
});

export const eventSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    actorType: z.string(),
    actorId: z.number().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: isoTime,
  })
  .describe('Event');

export const presentEvent = (e: StoredEvent) => ({
  id: e.id,
  type: e.type,
  actorType: e.actorType,
  actorId: e.actorId,
  data: e.data,
  createdAt: iso(e.createdAt)!,
});

/** What a conversation shows of its customer; the full profile is at /customers/:id. */
export const customerSummarySchema = z
  .object({
    id: z.number(),
    name: z.string(),
    company: z.string().nullable(),
    tier: z.string().nullable(),
    locale: z.string().nullable(),
    mergedIntoId: z.number().nullable(),
  })
  .describe('CustomerSummary');

export const presentCustomerSummary = (c: CustomerSummary) => ({
  id: c.id,
  name: c.name,
  company: c.company,
  tier: c.tier,
  locale: c.locale,
  mergedIntoId: c.mergedIntoId,
});

/** A row of a conversation list (the inbox): the conversation and what the row shows of its customer. */
export const conversationListItemSchema = conversationSchema
  .extend({
    customer: customerSummarySchema.describe(
      'The customer (the same summary as GET /conversations/{id}), read in the same query: no request per row',
    ),
  })
  .describe('ConversationListItem');

export const presentConversationListItem = (row: {
  conversation: Conversation;
  customer: CustomerSummary;
}) => ({
  ...presentConversation(row.conversation),
  customer: presentCustomerSummary(row.customer),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
  });
