import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  commonErrors,
  type Deps,
  HttpError,
  idParam,
  iso,
  isoTime,
  principalOf,
  safeEqual,
  sha256,
  unwrap,
} from '../../platform/index.js';
import { emailMaxBytes, parseOrRefuse } from './deliver.js';
import { findMailboxById } from './mailboxes.repo.js';
import {
  deleteBlockedSender,
  deleteSpam,
  insertBlockedSender,
  listBlockedSenders,
  listSpam,
} from './noise.repo.js';
import { forgetBlockedSenders, receiveEmail } from './receive.service.js';
import { releaseSpam } from './spam.service.js';

const receivedSchema = z
  .object({
    result: z.enum(['stored', 'duplicate', 'spam', 'bounce']),
    conversationId: z.number().nullable(),
    messageId: z.number().nullable(),
  })
  .describe('ReceivedMail');

const rawTypes = ['message/rfc822', 'application/octet-stream', 'text/plain'];
const tags = ['email'];

export function registerEmailIntakeRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const max = emailMaxBytes(deps);

  // The raw mail as it is: the route below reads it as bytes (its own body limit, the mail size limit).
  app.addContentTypeParser(rawTypes, { parseAs: 'buffer', bodyLimit: max }, (_request, body, done) =>
    done(null, body),
  );

  r.post(
    '/mailboxes/:id/inbound',
    {
      bodyLimit: max,
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Receive one raw RFC 822 mail (inbound webhooks of mail providers, sendmail-style pipes)',
        description:
          "Authenticated by the mailbox's inbound secret (`Authorization: Bearer mbx_…`). Body: the raw message, `Content-Type: message/rfc822`. Answers only after the mail is committed; the same mail posted again answers `duplicate`.",
        params: idParam,
        security: [],
        response: { 200: receivedSchema, 201: receivedSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const secret = /^Bearer\s+(\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const mailbox = await findMailboxById(deps.db, request.params.id);
      // One answer for a wrong secret and an unknown mailbox: ids don't leak between workspaces.
      if (!mailbox || !safeEqual(sha256(secret), mailbox.inboundSecretHash))
        throw new HttpError('UNAUTHENTICATED', 'A mailbox id and its inbound secret are needed');
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send the raw mail with Content-Type: message/rfc822');
      const parsed = await parseOrRefuse(request.body);
      if ('smtpCode' in parsed) throw new HttpError('INVALID_EMAIL', parsed.message.replace(/^\S+ /, ''));
      const received = unwrap(await receiveEmail(deps, mailbox, parsed, request.body));
      const ids =
        received.kind === 'stored' || received.kind === 'duplicate'
          ? { conversationId: received.conversationId ?? null, messageId: received.messageId ?? null }
          : {
              conversationId: null,
              messageId: received.kind === 'bounce' ? (received.messageId ?? null) : null,
            };
      return reply.status(received.kind === 'stored' ? 201 : 200).send({ result: received.kind, ...ids });
    },
  );

  const spamSchema = z
    .object({
      id: z.number(),
      mailboxId: z.number(),
      from: z.string(),
      subject: z.string(),
      size: z.number(),
      receivedAt: isoTime,
    })
    .describe('SpamMail');

  r.get(
    '/email/spam',
    {
      config: { action: 'conversations.read' },
      schema: {
        tags,
        summary: 'Mail an upstream filter flagged as spam, kept out of the inbox (newest first)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.coerce.number().int().positive().optional().describe('The last id of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(spamSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const rows = await listSpam(deps.db, p.workspaceId, request.query.limit, request.query.before);
      return {
        items: rows.map((s) => ({
          id: s.id,
          mailboxId: s.mailboxId,
          from: s.fromAddress,
          subject: s.subject,
          size: s.size,
          receivedAt: iso(s.receivedAt)!,
        })),
      };
    },
  );

  r.post(
    '/email/spam/:id/release',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Not spam: receive the mail into the inbox as any other',
        params: idParam,
        response: { 200: receivedSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const received = unwrap(await releaseSpam(deps, p.workspaceId, request.params.id));
      return {
        result: received.kind,
        conversationId: 'conversationId' in received ? (received.conversationId ?? null) : null,
        messageId: 'messageId' in received ? (received.messageId ?? null) : null,
      };
    },
  );

  r.delete(
    '/email/spam/:id',
    {
      config: { action: 'conversations.write' },
      schema: {
        tags,
        summary: 'Delete a spam mail',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if ((await deleteSpam(deps.db, p.workspaceId, [request.params.id])) === 0)
        throw new HttpError('SPAM_NOT_FOUND', 'Spam mail not found');
      return reply.status(204).send(null);
    },
  );

  const blockedSchema = z
    .object({ id: z.number(), pattern: z.string(), createdAt: isoTime })
    .describe('BlockedSender');

  r.get(
    '/email/blocked-senders',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Senders whose mail is refused',
        response: { 200: z.object({ items: z.array(blockedSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: (await listBlockedSenders(deps.db, principalOf(request).workspaceId)).map((b) => ({
        id: b.id,
        pattern: b.pattern,
        createdAt: iso(b.createdAt)!,
      })),
    }),
  );

  r.post(
    '/email/blocked-senders',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Refuse mail from an address, or from a whole domain written as @example.com',
        body: z.strictObject({
          pattern: z
            .string()
            .trim()
            .toLowerCase()
            .max(254)
            .regex(/^([^@\s]+@|@)[^@\s]+\.[^@\s]+$/, 'an address or @domain'),
        }),
        response: { 201: blockedSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = await insertBlockedSender(deps.db, p.workspaceId, request.body.pattern, deps.clock.now());
      if (!row) throw new HttpError('BLOCKED_SENDER_EXISTS', 'This sender is blocked already');
      forgetBlockedSenders(deps, p.workspaceId);
      return reply.status(201).send({ id: row.id, pattern: row.pattern, createdAt: iso(row.createdAt)! });
    },
  );

  r.delete(
    '/email/blocked-senders/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Unblock a sender',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (!(await deleteBlockedSender(deps.db, p.workspaceId, request.params.id)))
        throw new HttpError('BLOCKED_SENDER_NOT_FOUND', 'Blocked sender not found');
      forgetBlockedSenders(deps, p.workspaceId);
      return reply.status(204).send(null);
    },
  );
}
