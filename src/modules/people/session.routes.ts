import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, type Deps, HttpError, principalOf, sha256, unwrap } from '../../platform/index.js';
import { findWorkspaceById, presentWorkspace, workspaceSchema } from '../workspaces/index.js';
import { CSRF_HEADER, SESSION_COOKIE } from './auth.hook.js';
import { findLiveSession } from './auth.repo.js';
import { findPerson } from './people.repo.js';
import { email, password, personSchema, presentPerson } from './people.schemas.js';
import { roleMatrix } from './permissions.js';
import { changePassword, type SignedIn, signIn, signOut, signOutOtherSessions } from './sessions.service.js';

export const sessionSchema = z
  .object({
    person: personSchema,
    workspace: workspaceSchema,
    permissions: z.array(z.string()),
    csrfToken: z
      .string()
      .nullable()
      .describe(`Send it as the ${CSRF_HEADER} header on every signed-in write`),
  })
  .describe('Session');

function secure(deps: Deps, request: FastifyRequest): boolean {
  return deps.settings.cookieSecure === 'auto' ? request.protocol === 'https' : deps.settings.cookieSecure;
}

function setSessionCookie(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  expires: Date,
) {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(deps, request),
    expires,
  });
}

/** Sets the cookie of a new session and answers what GET /session answers. */
export async function sendNewSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  s: SignedIn,
  status = 200,
) {
  setSessionCookie(deps, request, reply, s.cookie, s.expiresAt);
  const workspace = await findWorkspaceById(deps.db, s.person.workspaceId);
  if (!workspace) throw new HttpError('NOT_FOUND', 'Workspace not found');
  return reply.status(status).send({
    person: presentPerson(s.person),
    workspace: presentWorkspace(workspace),
    permissions: [...roleMatrix[s.person.role]],
    csrfToken: s.csrfToken,
  });
}

export async function registerSessionRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // Per address: a guessing script is slowed here, and each account also locks after repeated failures.
  await app.register(rateLimit, { global: false });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/session',
    {
      config: { public: true, rateLimit: { max: deps.settings.signInPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['session'],
        summary: 'Sign in with a workspace, an e-mail address and a password; sets the session cookie',
        body: z.strictObject({
          workspace: z.string().trim().min(1).max(60).describe('The workspace slug'),
          email,
          password: z.string().min(1).max(200),
        }),
        response: { 200: sessionSchema, ...commonErrors },
      },
    },
    async (request, reply) => sendNewSession(deps, request, reply, unwrap(await signIn(deps, request.body))),
  );

  r.get(
    '/session',
    {
      config: { action: 'profile.read' },
      schema: {
        tags: ['session'],
        summary: 'Who is signed in',
        response: { 200: sessionSchema, ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const [person, workspace] = await Promise.all([
        findPerson(deps.db, p.workspaceId, p.personId),
        findWorkspaceById(deps.db, p.workspaceId),
      ]);
      if (!person || !workspace) throw new HttpError('UNAUTHENTICATED', 'Sign in again');
      const cookie = request.cookies[SESSION_COOKIE];
      const live =
        cookie && p.via === 'session'
          ? await findLiveSession(deps.db, sha256(cookie), deps.clock.now())
          : undefined;
      return {
        person: presentPerson(person),
        workspace: presentWorkspace(workspace),
        permissions: [...p.permissions],
        csrfToken: live?.session.csrfToken ?? null,
      };
    },
  );

  r.delete(
    '/session',
    {
      config: { action: 'profile.write' },
      schema: { tags: ['session'], summary: 'Sign out', response: { 204: z.null(), ...commonErrors } },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.sessionId) await signOut(deps, p.workspaceId, p.personId, p.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.put(
    '/me/password',
    {
      config: { action: 'profile.write', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['session'],
        summary: 'Change your own password (ends your other sessions)',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password }),
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      unwrap(await changePassword(deps, p.workspaceId, p.personId, request.body));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.delete(
    '/me/sessions',
    {
      config: { action: 'profile.write' },
      schema: {
        tags: ['session'],
        summary: 'Sign out everywhere else: ends every session of yours but this one',
        response: { 200: z.object({ ended: z.number() }), ...commonErrors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return { ended: await signOutOtherSessions(deps, p.workspaceId, p.personId, p.sessionId) };
    },
  );
}
