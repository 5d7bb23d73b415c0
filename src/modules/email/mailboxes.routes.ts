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
  unwrap,
} from '../../platform/index.js';
import { findImap, type ImapSettingsRow, listImap } from './imap.repo.js';
import { findMailbox, listMailboxes, type Mailbox } from './mailboxes.repo.js';
import { changeMailbox, createMailbox, removeMailbox, rotateMailboxSecret } from './mailboxes.service.js';

export const mailboxSchema = z
  .object({
    id: z.number(),
    address: z.string(),
    name: z.string(),
    teamId: z.number().nullable(),
    isDefault: z.boolean(),
    acknowledge: z.boolean().describe('Send an automatic acknowledgement to a new conversation'),
    signature: z.string(),
    promiseFooter: z.boolean().describe("Replies list the conversation's open promises and their due dates"),
    inboundPath: z
      .string()
      .describe('POST raw RFC 822 mail here with Authorization: Bearer <inbound secret>'),
    imap: z
      .object({
        host: z.string(),
        enabled: z.boolean(),
        lastError: z.string().nullable(),
        lastSuccessAt: isoTime.nullable(),
      })
      .nullable()
      .describe('Also fetched by IMAP (details: GET /mailboxes/{id}/imap)'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Mailbox');

export const presentMailbox = (m: Mailbox, imap: ImapSettingsRow | undefined) => ({
  id: m.id,
  address: m.address,
  name: m.name,
  teamId: m.teamId,
  isDefault: m.isDefault,
  acknowledge: m.acknowledge,
  signature: m.signature,
  promiseFooter: m.promiseFooter,
  inboundPath: `/api/v1/mailboxes/${m.id}/inbound`,
  imap: imap
    ? {
        host: imap.host,
        enabled: imap.enabled,
        lastError: imap.lastError,
        lastSuccessAt: iso(imap.lastSuccessAt),
      }
    : null,
  createdAt: iso(m.createdAt)!,
  updatedAt: iso(m.updatedAt)!,
});

const fields = {
  address: z.email().max(254).describe('The support address customers write to'),
  name: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .describe("Shown as the sender of replies (on creation, absent: the workspace's name)"),
  teamId: z.number().int().positive().nullable().optional(),
  isDefault: z.boolean().optional(),
  acknowledge: z.boolean().optional(),
  signature: z
    .string()
    .max(5_000)
    .optional()
    .describe('Under every reply; {{agent}} and {{team}} are filled in'),
  promiseFooter: z
    .boolean()
    .optional()
    .describe("Under every reply, the conversation's open promises and their due dates"),
};

const withSecret = z.object({
  mailbox: mailboxSchema,
  inboundSecret: z.string().describe('Shown only now: authenticates raw mail posted to inboundPath'),
});

const tags = ['email'];

export function registerMailboxRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });
  async function presentAll(workspaceId: number) {
    const [mailboxes, imaps] = await Promise.all([
      listMailboxes(deps.db, workspaceId),
      listImap(deps.db, workspaceId),
    ]);
    const byMailbox = new Map(imaps.map((i) => [i.mailboxId, i]));
    return mailboxes.map((m) => presentMailbox(m, byMailbox.get(m.id)));
  }

  r.get(
    '/mailboxes',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: 'List the support addresses (mailboxes)',
        response: { 200: z.object({ items: z.array(mailboxSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await presentAll(principalOf(request).workspaceId),
    }),
  );

  r.get(
    '/mailboxes/:id',
    {
      config: { action: 'workspace.read' },
      schema: {
        tags,
        summary: 'A mailbox',
        params: idParam,
        response: { 200: mailboxSchema, ...commonErrors },
      },
    },
    async (request) => {
      const mailbox = await findMailbox(deps.db, principalOf(request).workspaceId, request.params.id);
      if (!mailbox) throw new HttpError('MAILBOX_NOT_FOUND', 'Mailbox not found');
      return presentMailbox(mailbox, await findImap(deps.db, mailbox.workspaceId, mailbox.id));
    },
  );

  r.post(
    '/mailboxes',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Add a support address; the answer carries its inbound secret, shown once',
        body: z.strictObject({ ...fields, name: fields.name.optional() }),
        response: { 201: withSecret, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const created = unwrap(await createMailbox(deps, p.workspaceId, actor(p), request.body));
      return reply
        .status(201)
        .send({ mailbox: presentMailbox(created.mailbox, undefined), inboundSecret: created.inboundSecret });
    },
  );

  r.patch(
    '/mailboxes/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Change a mailbox',
        params: idParam,
        body: z.strictObject(fields).partial(),
        response: { 200: mailboxSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const changed = unwrap(
        await changeMailbox(deps, p.workspaceId, request.params.id, actor(p), request.body),
      );
      return presentMailbox(changed, await findImap(deps.db, p.workspaceId, changed.id));
    },
  );

  r.post(
    '/mailboxes/:id/rotate-secret',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Replace the inbound secret (the old one stops working at once)',
        params: idParam,
        response: { 200: withSecret, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const rotated = unwrap(await rotateMailboxSecret(deps, p.workspaceId, request.params.id, actor(p)));
      const imap = await findImap(deps.db, p.workspaceId, rotated.mailbox.id);
      return { mailbox: presentMailbox(rotated.mailbox, imap), inboundSecret: rotated.inboundSecret };
    },
  );

  r.delete(
    '/mailboxes/:id',
    {
      config: { action: 'workspace.admin' },
      schema: {
        tags,
        summary: 'Remove a mailbox',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await removeMailbox(deps, p.workspaceId, request.params.id, actor(p)));
      return reply.status(204).send(null);
    },
  );
}
