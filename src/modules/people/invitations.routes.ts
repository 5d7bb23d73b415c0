import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, idParam, iso, isoTime, principalOf, unwrap } from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import { canSendAccountMail } from './account-mail.js';
import { listPendingInvitations, type PendingInvitation } from './accounts.repo.js';
import {
  acceptInvitation,
  type Delivery,
  inviteColleague,
  lookUpInvitation,
  resendInvitation,
  revokeInvitation,
} from './invitations.service.js';
import { email, password, roleSchema } from './people.schemas.js';
import { sendNewSession, sessionSchema } from './session.routes.js';
import { startSession } from './sessions.service.js';

const invitationSchema = z
  .object({
    id: z.number(),
    personId: z.number(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    invitedById: z.number().nullable(),
    createdAt: isoTime,
    sentAt: isoTime,
    expiresAt: isoTime,
    expired: z.boolean(),
  })
  .describe('Invitation');

const presentInvitation = ({ invitation, person }: PendingInvitation, now: Date) => ({
  id: invitation.id,
  personId: person.id,
  email: person.email,
  name: person.name,
  role: person.role,
  invitedById: invitation.invitedById,
  createdAt: iso(invitation.createdAt)!,
  sentAt: iso(invitation.sentAt)!,
  expiresAt: iso(invitation.expiresAt)!,
  expired: invitation.expiresAt <= now,
});

const sentSchema = z.object({
  invitation: invitationSchema,
  delivery: z
    .enum(['email', 'link'])
    .describe('`email`: a mail is on its way. `link`: Steward cannot send e-mail; pass `link` on yourself'),
  link: z.string().optional().describe('Only with delivery `link`, shown this once'),
});

const presentSent = (sent: PendingInvitation & Delivery, now: Date) => ({
  invitation: presentInvitation(sent, now),
  delivery: sent.delivery,
  link: sent.delivery === 'link' ? sent.link : undefined,
});

const token = z.string().trim().min(20).max(200);
const actorOf = (p: { personId: number }) => ({ type: 'person' as const, id: p.personId });

export function registerInvitationRoutes(app: FastifyInstance, deps: Deps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perAddress = { max: deps.settings.signInPerMinute, timeWindow: '1 minute' };

  r.get(
    '/invitations',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Invitations not yet accepted, and whether Steward can mail them',
        response: {
          200: z.object({ items: z.array(invitationSchema), canSendEmail: z.boolean() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const now = deps.clock.now();
      const rows = await listPendingInvitations(deps.db, principalOf(request).workspaceId);
      return {
        items: rows.map((row) => presentInvitation(row, now)),
        canSendEmail: canSendAccountMail(deps.settings),
      };
    },
  );

  r.post(
    '/invitations',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Invite a colleague: an invited person and a mail with a one-time link, valid 7 days',
        body: z.strictObject({
          email,
          name: z.string().trim().min(1).max(120),
          role: roleSchema,
          teamIds: z.array(z.number().int().positive()).max(50).default([]),
        }),
        response: { 201: sentSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const sent = unwrap(await inviteColleague(deps, p.workspaceId, p, request.body));
      return reply.status(201).send(presentSent(sent, deps.clock.now()));
    },
  );

  r.post(
    '/invitations/:id/resend',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Send the invitation again: a new link, valid 7 days; the old link stops working',
        params: idParam,
        response: { 200: sentSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const sent = unwrap(await resendInvitation(deps, p.workspaceId, request.params.id, actorOf(p)));
      return presentSent(sent, deps.clock.now());
    },
  );

  r.delete(
    '/invitations/:id',
    {
      config: { action: 'people.admin' },
      schema: {
        tags: ['people'],
        summary: 'Revoke an invitation: its link stops working and the invited person is removed',
        params: idParam,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await revokeInvitation(deps, p.workspaceId, request.params.id, actorOf(p)));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/invitations/lookup',
    {
      config: { public: true, rateLimit: perAddress },
      schema: {
        tags: ['people'],
        summary: 'What an invitation link is for (workspace, address, name, role), before accepting it',
        security: [],
        body: z.strictObject({ token }),
        response: {
          200: z.object({
            workspace: z.object({ name: z.string(), slug: z.string() }),
            email: z.string(),
            name: z.string(),
            role: roleSchema,
            expiresAt: isoTime,
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { invitation, person } = unwrap(await lookUpInvitation(deps, request.body.token));
      const workspace = await findWorkspaceById(deps.db, person.workspaceId);
      return {
        workspace: { name: workspace?.name ?? '', slug: workspace?.slug ?? '' },
        email: person.email,
        name: person.name,
        role: person.role,
        expiresAt: iso(invitation.expiresAt)!,
      };
    },
  );

  r.post(
    '/invitations/accept',
    {
      config: { public: true, rateLimit: perAddress },
      schema: {
        tags: ['people'],
        summary: 'Accept an invitation: choose your name and password, and sign in',
        security: [],
        body: z.strictObject({ token, name: z.string().trim().min(1).max(120), password }),
        response: { 200: sessionSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const person = unwrap(await acceptInvitation(deps, request.body));
      return sendNewSession(deps, request, reply, await startSession(deps, person));
    },
  );
}
